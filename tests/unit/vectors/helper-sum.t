-- data
01 00 00 00 02 00 00 00 ff ff ff ff 10 00 00 00 05 00 00 00
-- asm
ldxdw r2, [r1+16]
mov r1, 0
call 4
exit
-- result
0x100000017
-- stats
scanned=20
