-- asm
lddw r0, 0x8000000000000001
lddw r1, 0x00000000ffffffff
add r0, r1
exit
-- result
0x8000000100000000
