-- asm
mov r0, 1
mod32 r0, 0
exit
-- reject
division by zero at insn 1
