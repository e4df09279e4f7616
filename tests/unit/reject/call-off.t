-- asm
raw 0x85, 0, 0, 1, 1
exit
-- reject
off must be 0 at insn 0
