# movsx exists only with a register source
-- asm
movsxb r0, 5
exit
-- reject
movsx has no immediate form at insn 0
