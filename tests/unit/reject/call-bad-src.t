-- asm
raw 0x85, 0, 3, 0, 1
exit
-- reject
bad call src 3 at insn 0
