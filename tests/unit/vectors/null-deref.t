-- asm
mov r1, 0
ldxb r0, [r1+0]
exit
-- error
EFAULT at 1
