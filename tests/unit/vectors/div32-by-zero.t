# 32-bit: divisor's low half is zero -> 0, even if the high half is not
-- asm
lddw r0, 0xffffffff00001234
lddw r1, 0x0000000100000000
div32 r0, r1
exit
-- result
0
