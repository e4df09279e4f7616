# cmpxchg reads r0, which a call sets: accepted
-- data
01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00
-- asm
stdw [r10-8], 10
mov r1, 0
mov r2, 16
call 4                  # r0 = 10
mov r1, 77
cmpxchg [r10-8], r1     # memory == r0: swapped; r0 = old 10
ldxdw r1, [r10-8]
add r0, r1
exit
-- result
87
