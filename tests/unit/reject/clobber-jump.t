-- asm
mov r1, 0
mov r2, 0
call 4
jeq r4, 0, +0
exit
-- reject
r4 is read after a call clobbered it at insn 3
