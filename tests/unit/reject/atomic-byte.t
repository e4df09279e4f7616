# atomics exist only for W and DW
-- asm
raw 0xd3, 1, 2, 0, 0
exit
-- reject
unknown opcode 0xd3 at insn 0
