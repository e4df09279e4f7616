-- asm
raw 0xd7, 1, 0, 1, 64
exit
-- reject
off must be 0 at insn 0
