-- asm
raw 0x8f, 0, 1, 0, 0
exit
-- reject
neg has no register source at insn 0
