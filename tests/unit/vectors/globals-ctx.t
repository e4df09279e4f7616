# ctx->globals and globals_len describe the region: .rodata (rounded up
# to 8), .data and .bss; no mem region (EXEC), so ctx->mem and mem_len 0
-- config
bss=8
-- rodata
01 02 03
-- gdata
00 00 00 00 00 00 00 00
-- asm
ldxdw r0, [r1+88]       # globals
ldxdw r2, [r1+96]       # globals_len
add r0, r2
ldxdw r2, [r1+72]       # mem
add r0, r2
ldxdw r2, [r1+80]       # mem_len
add r0, r2
exit
-- result
0x400000018
