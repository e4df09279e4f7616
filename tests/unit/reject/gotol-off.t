# JMP32 | JA (gotol) has its target in imm; off is reserved
-- asm
raw 0x06, 0, 0, 1, 0
exit
exit
-- reject
gotol has its target in imm: off must be 0 at insn 0
