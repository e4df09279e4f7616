-- config
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
insns=1028 scanned=65536
