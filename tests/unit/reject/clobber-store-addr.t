-- asm
mov r1, r10
mov r2, 0
call 4
stw [r1-8], 5
exit
-- reject
r1 is read after a call clobbered it at insn 3
