-- data
01 00 00 00 02 00 00 00
-- asm
mov r1, 0
mov r2, 6
call 4
exit
-- error
EINVAL at 2
