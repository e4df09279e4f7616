# direct stores to the output buffer: out_used = end of the highest store
-- config
out_len=16
-- asm
ldxdw r2, [r1+32]
stw [r2+4], 0x44434241
stb [r2+1], 0x5a
mov r0, 0
exit
-- out
00 5a 00 00 41 42 43 44
-- stats
used=8
