-- data-text
abc
-- asm
stb [r10-1], 0x61
mov r1, 4               # == data_len, len 0: allowed, nothing to count
mov r2, 0
mov r3, r10
add r3, -1
mov r4, 1
call 3
exit
-- result
0
