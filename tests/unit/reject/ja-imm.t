# JMP | JA has its target in off; imm is reserved
-- asm
raw 0x05, 0, 0, 0, 1
exit
-- reject
imm must be 0 at insn 0
