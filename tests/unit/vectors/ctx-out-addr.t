-- asm
ldxdw r0, [r1+32]
exit
-- result
0x300000000
