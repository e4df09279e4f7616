-- asm
raw 0x91, 0, 10, -8, 1
exit
-- reject
imm must be 0 at insn 0
