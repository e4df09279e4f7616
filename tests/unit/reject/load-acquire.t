-- asm
raw 0xdb, 0, 10, -8, 0x100
exit
-- reject
load-acquire and store-release are not supported at insn 0
EOPNOTSUPP
