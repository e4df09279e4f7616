# a 12-byte pattern found across every window size (1, 7, 4096)
-- data-text
xxxxxxxxxxxxxxxxxxxxhello, world!xxxx
-- asm
lddw r6, 0x77202c6f6c6c6568    # "hello, w"
stxdw [r10-16], r6
stw [r10-8], 0x646c726f         # "orld"
ldxdw r2, [r1+16]
mov r1, 0
mov r3, r10
add r3, -16
mov r4, 12
call 6
exit
-- result
20
-- stats
scanned=32
