-- config
out_len=0
-- asm
ldxdw r2, [r1+32]
stb [r2+0], 1
exit
-- error
EFAULT at 1
