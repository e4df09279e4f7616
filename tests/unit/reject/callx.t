-- asm
raw 0x8d, 1, 0, 0, 0
exit
-- reject
indirect calls (callx) are not supported at insn 0
EOPNOTSUPP
