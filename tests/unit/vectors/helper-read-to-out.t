-- config
out_len=8
-- data-text
hello, world
-- asm
ldxdw r2, [r1+32]
mov r1, 7
mov r3, 5
call 1
exit
-- out-text
world
-- stats
used=5
