-- mem
01 02 03 04 05 06 07 08
-- asm
lddw r2, 0x1000000000
ldxb r0, [r2+0]
stb [r2-1], 0
exit
-- error
EFAULT at 3
