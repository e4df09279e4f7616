# a helper call clobbers r1-r5: reading one before writing it is refused,
# as the kernel's verifier does (the value would be the program's relying
# on an accident)
-- asm
mov r1, 0
mov r2, 0
call 4
mov r0, r1
exit
-- reject
r1 is read after a call clobbered it at insn 3
