-- asm
raw 0xbf, 0, 1, 8, 5
exit
-- reject
imm must be 0 at insn 0
