-- asm
raw 0x79, 0, 1, 0, 5
exit
-- reject
imm must be 0 at insn 0
