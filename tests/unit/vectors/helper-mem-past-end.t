-- mem
00 00 00 00 00 00 00 00
-- data-text
abcdefghij
-- asm
lddw r2, 0x1000000000
mov r1, 0
mov r3, 9
call 1
exit
-- error
EFAULT at 4
