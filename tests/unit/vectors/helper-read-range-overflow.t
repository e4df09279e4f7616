# off + len wraps around 2^64: must still be a range error
-- data
00 11 22 33 44 55 66 77
-- asm
mov r1, -2
mov r2, r10
add r2, -8
mov r3, 8
call 1
exit
-- error
ERANGE at 4
