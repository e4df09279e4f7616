# without global data the region is empty: ctx says 0, any access faults
-- asm
ldxdw r0, [r1+88]
ldxdw r2, [r1+96]
add r0, r2
jne r0, 0, +2
lddw r2, 0x400000000
ldxb r0, [r2+0]
exit
-- error
EFAULT at 6
