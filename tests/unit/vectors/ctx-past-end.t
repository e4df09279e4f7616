-- asm
ldxdw r0, [r1+121]
exit
-- error
EFAULT at 0
