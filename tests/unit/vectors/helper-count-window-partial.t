# near misses at window edges must not count
-- data-text
AlphAlphaAlpAlphaAAlphaAlpha
-- asm
stdw [r10-8], 0
stw [r10-8], 0x68706c41
stb [r10-4], 0x61
ldxdw r2, [r1+16]
mov r1, 0
mov r3, r10
add r3, -8
mov r4, 5
call 3
exit
-- result
4
