# 32-bit atomics touch 4 bytes; fetch results are zero-extended
-- asm
stdw [r10-8], -1
mov32 r1, 1
atomic_fetch_add32 [r10-8], r1   # low word 0xffffffff -> 0, r1 = 0xffffffff
ldxdw r0, [r10-8]                # 0xffffffff00000000
add r0, r1                       # 0xffffffffffffffff
lddw r2, 0xaaaaaaaa00000000
mov r0, 0
cmpxchg32 [r10-8], r2            # (u32)r0 == 0: store low word of r2 = 0
mov r3, r0
ldxw r4, [r10-4]
add r3, r4                       # 0 + 0xffffffff
mov32 r5, 0xf0
stw [r10-16], 0x3c
atomic_fetch_and32 [r10-16], r5  # r5 = 0x3c, mem 0x30
mov32 r6, 0x5
xchg32 [r10-16], r6              # r6 = 0x30, mem 5
ldxw r7, [r10-16]
mov r0, r3
add r0, r5
add r0, r6
add r0, r7                       # 0xffffffff + 0x3c + 0x30 + 5
exit
-- result
0x100000070
