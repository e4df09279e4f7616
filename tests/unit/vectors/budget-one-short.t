-- config
budget=31
-- asm
mov r1, 10
loop:
sub r1, 1
mov r0, r1
jne r1, 0, loop
exit
-- error
ETIME at 4
