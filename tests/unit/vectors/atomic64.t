-- asm
stdw [r10-8], 10
mov r1, 5
atomic_add [r10-8], r1
mov r2, 3
atomic_fetch_add [r10-8], r2     # r2 = 15, mem = 18
mov r3, 0xff
atomic_fetch_and [r10-8], r3     # r3 = 18, mem = 18
mov r4, 0x100
atomic_or [r10-8], r4            # mem = 0x112
mov r5, 0x2
atomic_fetch_xor [r10-8], r5     # r5 = 0x112, mem = 0x110
mov r6, 7
xchg [r10-8], r6                 # r6 = 0x110, mem = 7
mov r0, 7
mov r7, 99
cmpxchg [r10-8], r7              # equal: mem = 99, r0 = 7
mov r8, r0
mov r0, 1
cmpxchg [r10-8], r7              # not equal: mem stays 99, r0 = 99
ldxdw r9, [r10-8]
add r0, r9        # 198
add r0, r2        # 213
add r0, r3        # 231
add r0, r5        # 505
add r0, r6        # 777
add r0, r8        # 784
exit
-- result
784
