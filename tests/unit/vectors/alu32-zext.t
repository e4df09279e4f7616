# every 32-bit op zero-extends its destination
-- asm
lddw r0, 0xffffffffffffffff
add32 r0, 1         # 0xffffffff + 1 wraps to 0, upper half cleared
lddw r1, 0xdeadbeef00000005
mov32 r2, r1        # 5
add r0, r2
lddw r3, 0x1234567800000000
or32 r3, 0          # upper half cleared even by a no-op
add r0, r3
exit
-- result
5
