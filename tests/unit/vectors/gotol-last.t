# gotol may end the program, like ja
-- asm
mov r0, 7
gotol +1
exit
gotol -2
-- result
7
