# every 32-bit condition with a register operand; high halves differ
-- asm
mov r0, 0
lddw r1, 0x00000001fffffffb     # low half -5
lddw r2, 0xffffffff00000003     # low half 3
jeq32 r1, r2, bad
jne32 r1, r2, +1
ja bad
jgt32 r2, r1, bad
jge32 r1, r2, +1
ja bad
jlt32 r1, r2, bad
jle32 r2, r1, +1
ja bad
jsgt32 r1, r2, bad
jsge32 r2, r1, +1
ja bad
jslt32 r2, r1, bad
jsle32 r1, r2, +1
ja bad
jset32 r1, r2, +1
ja bad
mov r0, 1
exit
bad:
mov r0, -1
exit
-- result
1
