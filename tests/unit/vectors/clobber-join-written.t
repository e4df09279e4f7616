# both paths write r2 after (or without) the call: accepted
-- data
01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00
-- config
args=1
-- asm
ldxdw r6, [r1+40]
mov r1, 0
mov r2, 16
jeq r6, 0, skip
call 4                  # 10
mov r2, r0
ja join
skip:
mov r2, 99
join:
mov r0, r2
exit
-- result
10
