-- asm
mov r0, 0
mov r1, -1
mov r2, 1
jsgt r1, r2, bad
jslt r1, r2, +1
exit
add r0, 1
jsge r1, -1, +1
exit
add r0, 2
jsle r1, -2, bad
jslt r1, 0, +1
exit
add r0, 4
jsgt r2, -5, +1
exit
add r0, 8
exit
bad:
mov r0, -1
exit
-- result
15
