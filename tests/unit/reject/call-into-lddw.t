-- asm
call local +1
lddw r0, 1
exit
-- reject
call into the middle of lddw at insn 0
