-- data-text
abc
-- asm
mov r1, 0
mov r2, 3
mov r3, r10
add r3, -8
mov r4, 0
call 3
exit
-- error
EINVAL at 5
