-- asm
ja +1
lddw r0, 1
exit
-- reject
jump into the middle of lddw at insn 0
