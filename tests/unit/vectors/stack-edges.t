# the whole 512-byte frame is usable: lowest byte and highest 8 bytes
-- asm
mov r1, r10
add r1, -512
stxb [r1+0], r1
stdw [r10-8], 3
ldxdw r0, [r10-8]
ldxb r2, [r10-512]
add r0, r2
exit
-- result
3
