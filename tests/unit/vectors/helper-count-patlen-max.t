# pattern longer than 256 bytes is rejected
-- data-text
abc
-- asm
ldxdw r3, [r1+32]
mov r1, 0
mov r2, 3
mov r4, 257
call 3
exit
-- config
out_len=512
-- error
EINVAL at 4
