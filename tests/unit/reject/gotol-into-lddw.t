-- asm
gotol +1
lddw r0, 5
exit
-- reject
jump into the middle of lddw at insn 0
