# clobbered on one path is enough
-- asm
ldxdw r6, [r1+40]
mov r1, 0
mov r2, 0
jeq r6, 0, skip
call 4
skip:
mov r0, r2
exit
-- reject
r2 is read after a call clobbered it at insn 5
