-- asm
mov32 r0, 0x10000
mul32 r0, 0x10000   # 2^32 wraps to 0
mov32 r1, 3
neg32 r1            # 0xfffffffd, zero-extended
add r0, r1
exit
-- result
0xfffffffd
