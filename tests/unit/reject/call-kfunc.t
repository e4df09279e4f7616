-- asm
raw 0x85, 0, 2, 0, 100
exit
-- reject
kfunc calls are not supported at insn 0
EOPNOTSUPP
