-- data-text
abc
-- asm
stb [r10-1], 0x61
mov r1, 2
mov r2, 3
mov r3, r10
add r3, -1
mov r4, 1
call 3
exit
-- error
ERANGE at 6
