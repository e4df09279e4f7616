-- asm
ja +1
exit
-- reject
jump out of range at insn 0
