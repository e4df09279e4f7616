# movsx: off 8, 16 or 32 (ALU64)
-- asm
raw 0xbf, 0, 1, 64, 0
exit
-- reject
invalid movsx width 64 (8, 16 or 32) at insn 0
