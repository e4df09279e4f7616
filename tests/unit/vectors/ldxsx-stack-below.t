-- asm
ldxsb r0, [r10-513]
exit
-- error
EFAULT at 0
