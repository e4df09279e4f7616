# a callee's arguments are its caller's r1-r5: here clobbered by a helper
-- asm
mov r1, 0
mov r2, 0
call 4
call local fn
exit
fn:
mov r0, r3
exit
-- reject
r3 is read after a call clobbered it at insn 5
