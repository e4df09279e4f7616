-- asm
raw 0xb7, 0, 0, 3, 5
exit
-- reject
off must be 0 at insn 0
