-- data
00 11 22 33 44 55 66 77
-- asm
mov r1, 0
mov r2, r10
add r2, -4
mov r3, 8               # 8 bytes at fp-4 cross the top of the stack
call 1
exit
-- error
EFAULT at 4
