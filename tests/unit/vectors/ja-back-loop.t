# a counted loop: sum 1..100
-- asm
mov r0, 0
mov r1, 100
loop:
add r0, r1
sub r1, 1
jne r1, 0, loop
exit
-- result
5050
