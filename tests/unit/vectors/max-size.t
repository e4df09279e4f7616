# 4095 padding slots + exit = 4096 slots: the largest program
-- config
pad=4095
-- asm
exit
-- result
0
-- stats
insns=4096
