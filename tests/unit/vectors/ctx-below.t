-- asm
ldxb r0, [r1-1]
exit
-- error
EFAULT at 0
