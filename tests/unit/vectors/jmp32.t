# JMP32 compares only the low halves, signed as s32
-- asm
mov r0, 0
lddw r1, 0x1234567800000005
jeq32 r1, 5, +1
exit
add r0, 1
jeq r1, 5, bad          # 64-bit compare sees the high half
lddw r2, 0x00000000ffffffff   # -1 as s32, huge as u64
jslt32 r2, 0, +1
exit
add r0, 2
jsgt r2, 0, +1          # positive as s64
exit
add r0, 4
jgt32 r2, 5, +1         # 0xffffffff > 5 unsigned
exit
add r0, 8
mov r3, 7
jle32 r1, r3, +1
exit
add r0, 16
jset32 r1, 0x4, +1
exit
add r0, 32
jsge32 r2, r3, bad
jne32 r1, 5, bad
jsle32 r2, -1, +1
exit
add r0, 64
jge32 r2, r3, +1
exit
add r0, 128
jlt32 r3, r2, +1
exit
add r0, 256
exit
bad:
mov r0, -1
exit
-- result
511
