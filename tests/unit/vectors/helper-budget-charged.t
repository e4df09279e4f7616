# sum_u32 costs URINGBLK_PROG_WORK_SCAN (3) steps per byte plus
# URINGBLK_PROG_WORK_CALL (128) per call, 64 steps a unit: 64 KiB =
# 3074 units on top of the program's 4 slots (and of URINGBLK_PROG_MAP_COST
# per window, which the insns stat leaves out)
-- config
budget=10000000
repeat=4096
-- data
00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
-- asm
ldxdw r2, [r1+16]
mov r1, 0
call 4
exit
-- result
0x24201c18000
-- stats
insns=3078 scanned=65536 work=196736
