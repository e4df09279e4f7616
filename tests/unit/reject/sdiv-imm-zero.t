# sdiv by an immediate 0 is refused like div
-- asm
raw 0x37, 0, 0, 1, 0
exit
-- reject
division by zero at insn 0
