-- asm
mov r0, 0
stxdw [r10-516], r0
exit
-- error
EFAULT at 1
