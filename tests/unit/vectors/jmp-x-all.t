# every 64-bit condition with a register operand, taken and not taken
-- asm
mov r0, 0
mov r1, -5
mov r2, 3
jeq r1, r2, bad
jne r1, r2, +1
ja bad
jgt r2, r1, bad
jge r1, r2, +1
ja bad
jlt r1, r2, bad
jle r2, r1, +1
ja bad
jsgt r1, r2, bad
jsge r2, r1, +1
ja bad
jslt r2, r1, bad
jsle r1, r2, +1
ja bad
jset r1, r2, +1
ja bad
mov r0, 1
exit
bad:
mov r0, -1
exit
-- result
1
