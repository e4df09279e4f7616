# no .rodata: .data starts at the region's start
-- gdata
05 00 00 00 00 00 00 00
-- asm
lddw r2, 0x400000000
ldxdw r0, [r2+0]
exit
-- result
5
