-- asm
lsh r0, 64
exit
-- reject
shift by 64 out of range at insn 0
