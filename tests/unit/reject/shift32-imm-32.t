-- asm
arsh32 r0, 32
exit
-- reject
shift by 32 out of range at insn 0
