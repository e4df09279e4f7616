-- asm
ldxb r0, [r10+0]
exit
-- error
EFAULT at 0
