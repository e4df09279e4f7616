# out_len smaller than the access size: no wraparound in the check
-- config
out_len=2
-- asm
ldxdw r2, [r1+32]
ldxw r0, [r2+0]
exit
-- error
EFAULT at 1
