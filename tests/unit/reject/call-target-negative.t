-- asm
mov r0, 0
call local -3
exit
-- reject
call target out of range at insn 1
