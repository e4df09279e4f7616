# 4096 padding slots + exit = 4097 slots
-- config
pad=4096
-- asm
exit
-- reject
program longer than 4096 insns at insn 4096
E2BIG
