-- asm
raw 0xdb, 1, 2, 0, 0x10
exit
-- reject
unknown atomic op 0x10 at insn 0
