# sum_u32 costs 3 steps a byte, 64 a unit: 64 KiB = 3074 units > budget
-- config
budget=1000
repeat=4096
-- data
00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
-- asm
ldxdw r2, [r1+16]
mov r1, 0
call 4
exit
-- error
ETIME at 2
