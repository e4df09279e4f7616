# a program may end with a backward ja
-- asm
mov r0, 0
ja +2
loop:
exit
mov r0, 0
add r0, 7
ja loop
-- result
7
