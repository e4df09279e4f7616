# JMP32 | JA (cpu v4 gotol) is not supported
-- asm
raw 0x06, 0, 0, 0, 0
exit
-- reject
unknown opcode 0x06 at insn 0
