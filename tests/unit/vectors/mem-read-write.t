# the mem region: reads, stores that stay (the device's memory), ctx
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- asm
ldxdw r2, [r1+72]       # mem
ldxdw r3, [r1+80]       # mem_len
ldxb r0, [r2+0]
add r0, r3
ldxdw r4, [r2+8]
stxdw [r2+0], r4
stb [r2+15], 0xff
exit
-- result
17
-- mem-after
09 0a 0b 0c 0d 0e 0f 10 09 0a 0b 0c 0d 0e 0f ff
