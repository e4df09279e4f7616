-- asm
call local +5
exit
-- reject
call target out of range at insn 0
