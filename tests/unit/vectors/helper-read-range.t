-- data
00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff
-- asm
mov r1, 13
mov r2, r10
add r2, -4
mov r3, 4
call 1
exit
-- error
ERANGE at 4
