# the byte below the region faults (the unsigned check wraps)
-- rodata
01 02 03 04 05 06 07 08
-- asm
lddw r2, 0x400000000
ldxb r0, [r2+0]
ldxb r0, [r2-1]
exit
-- error
EFAULT at 3
