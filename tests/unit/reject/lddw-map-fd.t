-- asm
raw 0x18, 1, 1, 0, 3
raw 0, 0, 0, 0, 0
exit
-- reject
map references are not supported at insn 0
EOPNOTSUPP
