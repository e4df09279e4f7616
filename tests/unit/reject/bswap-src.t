-- asm
raw 0xd7, 1, 2, 0, 32
exit
-- reject
src must be 0 at insn 0
