# unsigned compares: -1 is the largest value
-- asm
mov r0, 0
mov r1, -1
mov r2, 1
jgt r1, r2, +1
exit                # not reached
add r0, 1
jge r1, -1, +1
exit
add r0, 2
jlt r2, r1, +1
exit
add r0, 4
jle r2, 1, +1
exit
add r0, 8
jgt r2, r1, bad
jlt r1, 1, bad
add r0, 16
exit
bad:
mov r0, -1
exit
-- result
31
