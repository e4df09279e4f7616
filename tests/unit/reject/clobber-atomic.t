-- asm
mov r1, 0
mov r2, 0
call 4
atomic_add [r10-8], r2
exit
-- reject
r2 is read after a call clobbered it at insn 3
