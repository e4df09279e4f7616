-- asm
lddw r10, 1
exit
-- reject
r10 is read-only at insn 0
