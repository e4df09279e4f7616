-- asm
mov32 r0, 1
mov r2, 33          # masked to 1
lsh32 r0, r2        # 2
lddw r1, 0xffffffff80000000
rsh32 r1, 31        # 1 (upper half ignored)
add r0, r1
exit
-- result
3
