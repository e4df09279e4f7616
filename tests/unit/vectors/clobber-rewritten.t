# after a call, r1-r5 written again before they are read: accepted
-- data
01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00
-- asm
mov r1, 0
mov r2, 8
call 4                  # 1 + 2
mov r6, r0
mov r1, 8
mov r2, 8
call 4                  # 3 + 4
mul r0, 10
add r0, r6
mov r1, 5
add r0, r1
exit
-- result
78
