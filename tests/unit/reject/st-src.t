-- asm
raw 0x7a, 10, 1, -8, 5
exit
-- reject
src must be 0 at insn 0
