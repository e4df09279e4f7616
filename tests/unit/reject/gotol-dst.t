-- asm
raw 0x06, 1, 0, 0, 0
exit
-- reject
dst must be 0 at insn 0
