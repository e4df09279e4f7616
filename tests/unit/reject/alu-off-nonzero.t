# off means something only for div/mod (sdiv/smod) and mov (movsx)
-- asm
raw 0x0f, 0, 1, 8, 0
exit
-- reject
off must be 0 at insn 0
