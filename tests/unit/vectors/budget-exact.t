# charge = slots passed: the loop body [1,3] is 3 slots x 10 iterations,
# plus 1 for mov and 1 for exit; the first segment starts at 0
-- config
budget=32
-- asm
mov r1, 10
loop:
sub r1, 1
mov r0, r1
jne r1, 0, loop
exit
-- result
0
-- stats
insns=32
