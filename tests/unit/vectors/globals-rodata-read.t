# .rodata reads at its first and last bytes, any width
-- rodata
41 6c 70 68 61 00 00 00 11 22 33 44 55 66 77 88
-- asm
lddw r2, 0x400000000
ldxb r0, [r2+0]         # 'A'
ldxdw r3, [r2+8]
add r0, r3
ldxb r3, [r2+15]        # last byte
add r0, r3
ldxh r3, [r2+14]
add r0, r3
exit
-- result
0x887766554433ab51
