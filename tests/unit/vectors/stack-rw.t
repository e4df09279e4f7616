-- asm
stdw [r10-8], -1
stw [r10-12], 0x11223344
sth [r10-14], 0x5566
stb [r10-15], 0x77
ldxdw r0, [r10-8]
ldxw r1, [r10-12]
ldxh r2, [r10-14]
ldxb r3, [r10-15]
add r0, r1
add r0, r2
add r0, r3
exit
-- result
0x11228920
