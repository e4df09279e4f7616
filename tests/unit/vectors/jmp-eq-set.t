-- asm
mov r0, 0
mov r1, 6
jeq r1, 6, +1
exit
add r0, 1
jne r1, 6, bad
jset r1, 2, +1
exit
add r0, 2
jset r1, 1, bad
mov r2, 9
jset r1, r2, bad
mov r2, 12
jset r1, r2, +1
exit
add r0, 4
jeq r1, r2, bad
jne r1, r2, +1
exit
add r0, 8
exit
bad:
mov r0, -1
exit
-- result
15
