-- asm
mov r0, 0
exit
jeq r0, 0, -2
-- reject
last insn is not exit or ja at insn 2
