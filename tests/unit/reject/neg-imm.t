-- asm
raw 0x87, 0, 0, 0, 1
exit
-- reject
imm must be 0 at insn 0
