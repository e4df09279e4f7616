-- asm
raw 0x20, 0, 0, 0, 0
exit
-- reject
unknown opcode 0x20 at insn 0
