# ctx is read-only: not a valid destination
-- data
00 11 22 33 44 55 66 77
-- asm
mov r2, r1
mov r1, 0
mov r3, 8
call 1
exit
-- error
EFAULT at 3
