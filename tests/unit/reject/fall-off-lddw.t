-- asm
exit
lddw r0, 5
-- reject
last insn is not exit or ja at insn 2
