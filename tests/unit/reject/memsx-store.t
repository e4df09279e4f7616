# MEMSX is a mode of LDX only
-- asm
raw 0x93, 10, 1, -8, 0
exit
-- reject
unknown opcode 0x93 at insn 0
