-- config
out_len=16
-- asm
ldxdw r9, [r1+32]
ldxsw r0, [r9+13]
exit
-- error
EFAULT at 1
