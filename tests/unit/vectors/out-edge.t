-- config
out_len=16
-- asm
ldxdw r2, [r1+32]
stdw [r2+8], -1
ldxdw r0, [r2+8]
exit
-- result
-1
-- stats
used=16
