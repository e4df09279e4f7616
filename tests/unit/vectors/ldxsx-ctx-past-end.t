-- asm
mov r0, 0
ldxsh r0, [r1+127]
exit
-- error
EFAULT at 1
