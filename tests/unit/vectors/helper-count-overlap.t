# overlapping matches all count, across every window size
-- data-text
aaaaaaaaaa
-- asm
sth [r10-2], 0x6161
mov r1, 0
mov r2, 10
mov r3, r10
add r3, -2
mov r4, 2
call 3
exit
-- result
9
