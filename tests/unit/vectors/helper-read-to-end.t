# off + len == data_len is fine
-- data
00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff
-- asm
mov r1, 12
mov r2, r10
add r2, -4
mov r3, 4
call 1
ldxw r0, [r10-4]
exit
-- result
0xffeeddcc
