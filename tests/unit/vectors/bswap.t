# bswap (ALU64 | END, v4): unconditional; 16 and 32 zero the bits above
-- asm
ldxdw r9, [r1+32]       # r9 = ctx->out
lddw r1, 0x1122334455667788
mov r0, r1
bswap16 r0
stxdw [r9+0], r0
mov r0, r1
bswap32 r0
stxdw [r9+8], r0
mov r0, r1
bswap64 r0
stxdw [r9+16], r0
mov r0, r1
be16 r0                 # the same as bswap16 on this little-endian host
stxdw [r9+24], r0
mov r0, 0
exit
-- out
77 88 00 00 00 00 00 00
55 66 77 88 00 00 00 00
11 22 33 44 55 66 77 88
77 88 00 00 00 00 00 00
