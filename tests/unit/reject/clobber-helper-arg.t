# the second call's len (r2) is the first call's, which it clobbered
-- asm
mov r1, 0
mov r2, 4
call 4
mov r6, r0
mov r1, 4
call 4
add r0, r6
exit
-- reject
r2 is read after a call clobbered it at insn 5
