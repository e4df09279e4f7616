-- asm
raw 0x37, 0, 1, 1, 5
exit
-- reject
src must be 0 at insn 0
