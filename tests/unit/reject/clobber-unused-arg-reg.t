# r5 is not an argument of sum_u32 but it is still clobbered by the call
-- asm
mov r1, 0
mov r2, 4
mov r5, 1
call 4
add r0, r5
exit
-- reject
r5 is read after a call clobbered it at insn 4
