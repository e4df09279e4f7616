-- asm
mov r0, 0
-- reject
last insn is not exit or ja at insn 0
