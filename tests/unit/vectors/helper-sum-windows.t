# words split across windows of 1 and 7 bytes
-- data
ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff 01 00 00 00 02 00 00 00
-- asm
ldxdw r2, [r1+16]
mov r1, 0
call 4
exit
-- result
0x4fffffffe
