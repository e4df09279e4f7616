-- asm
raw 0x95, 0, 0, 0, 1
-- reject
imm must be 0 at insn 0
