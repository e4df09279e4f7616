-- asm
raw 0x18, 0, 0, 0, 1
raw 0x18, 0, 0, 0, 0
exit
-- reject
bad lddw second slot at insn 1
