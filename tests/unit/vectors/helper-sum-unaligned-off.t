# offsets need not be aligned
-- data
00 01 00 00 00 02 00 00 00
-- asm
mov r1, 1
mov r2, 8
call 4
exit
-- result
3
