-- asm
raw 0x07, 0, 1, 0, 1
exit
-- reject
src must be 0 at insn 0
