-- asm
ldxsh r10, [r1+0]
exit
-- reject
r10 is read-only at insn 0
