-- asm
movsxw r10, r1
exit
-- reject
r10 is read-only at insn 0
