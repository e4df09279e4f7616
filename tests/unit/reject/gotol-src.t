-- asm
raw 0x06, 0, 1, 0, 0
exit
-- reject
src must be 0 at insn 0
