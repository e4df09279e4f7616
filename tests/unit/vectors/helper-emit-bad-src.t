-- asm
mov r1, 0x1000
mov r2, 4
call 2
exit
-- error
EFAULT at 2
