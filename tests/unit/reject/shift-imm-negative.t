-- asm
rsh r0, -1
exit
-- reject
shift by -1 out of range at insn 0
