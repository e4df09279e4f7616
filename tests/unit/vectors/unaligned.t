-- asm
stdw [r10-16], 0
stdw [r10-8], 0
lddw r1, 0x0102030405060708
stxdw [r10-13], r1
ldxw r0, [r10-11]
exit
-- result
0x03040506
