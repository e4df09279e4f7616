# div/mod: off 0 is unsigned, 1 signed; nothing else
-- asm
raw 0x3f, 0, 1, 2, 0
exit
-- reject
invalid off 2 for div/mod (0 unsigned, 1 signed) at insn 0
