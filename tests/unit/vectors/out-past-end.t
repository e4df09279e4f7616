-- config
out_len=16
-- asm
ldxdw r2, [r1+32]
stxdw [r2+9], r2
exit
-- error
EFAULT at 1
