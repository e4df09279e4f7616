-- asm
raw 0x0d, 1, 0, 0, 0
exit
-- reject
indirect jumps (gotox) are not supported at insn 0
EOPNOTSUPP
