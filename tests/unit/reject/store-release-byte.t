# load-acquire/store-release also exist for B and H
-- asm
raw 0xd3, 10, 1, -8, 0x110
exit
-- reject
load-acquire and store-release are not supported at insn 0
EOPNOTSUPP
