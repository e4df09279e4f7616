# a helper reads only its own arguments (sum_u32: r1, r2); r6-r9 survive
-- data
01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00
-- asm
mov r6, 6
mov r7, 70
mov r8, 800
mov r9, 9000
mov r1, 0
mov r2, 4
call 4                  # 1
mov r1, 4
mov r2, 4
call 4                  # 2
add r0, r6
add r0, r7
add r0, r8
add r0, r9
exit
-- result
9878
