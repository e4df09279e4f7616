-- asm
mov r1, 0
mov r2, 0
call 4
stxdw [r10-8], r3
exit
-- reject
r3 is read after a call clobbered it at insn 3
