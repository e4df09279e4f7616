-- asm
gotol -2
exit
-- reject
jump out of range at insn 0
