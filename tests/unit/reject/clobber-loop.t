# the clobber reaches the loop head through the back edge
-- asm
mov r6, 3
mov r1, 0
loop:
mov r0, r1
mov r2, 0
call 4
sub r6, 1
jne r6, 0, loop
exit
-- reject
r1 is read after a call clobbered it at insn 2
