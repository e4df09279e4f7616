-- asm
raw 0x94, 0, 0, 1, 0
exit
-- reject
division by zero at insn 0
