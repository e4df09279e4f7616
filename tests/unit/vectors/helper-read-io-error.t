-- config
fail_at=4
-- data
00 11 22 33 44 55 66 77
-- asm
mov r1, 0
mov r2, r10
add r2, -8
mov r3, 8
call 1
exit
-- error
EIO at 4
