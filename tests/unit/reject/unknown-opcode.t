-- asm
mov r0, 0
raw 0xff, 0, 0, 0, 0
exit
-- reject
unknown opcode 0xff at insn 1
