# gotox exists only in class JMP
-- asm
raw 0x0e, 1, 0, 0, 0
exit
-- reject
unknown opcode 0x0e at insn 0
