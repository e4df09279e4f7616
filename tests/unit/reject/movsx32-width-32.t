# movsx32 sign-extends 8 or 16 bits into 32; 32 into 32 does not exist
-- asm
raw 0xbc, 0, 1, 32, 0
exit
-- reject
invalid movsx32 width 32 (8 or 16) at insn 0
