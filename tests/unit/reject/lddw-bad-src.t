-- asm
raw 0x18, 1, 7, 0, 0
raw 0, 0, 0, 0, 0
exit
-- reject
bad lddw src 7 at insn 0
