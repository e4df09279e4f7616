-- asm
raw 0x0f, 0, 1, 0, 1
exit
-- reject
imm must be 0 at insn 0
