-- asm
mov r0, 1
div r0, 0
exit
-- reject
division by zero at insn 1
