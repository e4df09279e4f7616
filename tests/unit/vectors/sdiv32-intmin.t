# INT32_MIN / -1 = INT32_MIN and INT32_MIN % -1 = 0, zero-extended
-- asm
ldxdw r9, [r1+32]       # r9 = ctx->out
lddw r0, 0xdeadbeef80000000
sdiv32 r0, -1
stxdw [r9+0], r0        # 0x0000000080000000
lddw r0, 0xdeadbeef80000000
lddw r1, 0x12345678ffffffff   # low half -1
sdiv32 r0, r1
stxdw [r9+8], r0        # 0x0000000080000000
lddw r0, 0xdeadbeef80000000
smod32 r0, -1
stxdw [r9+16], r0       # 0
lddw r0, 0xdeadbeef80000000
smod32 r0, r1
stxdw [r9+24], r0       # 0
lddw r0, 0xdeadbeef00000005
sdiv32 r0, r1
stxdw [r9+32], r0       # -5, zero-extended
lddw r0, 0xdeadbeef80000000
sdiv32 r0, 2
stxdw [r9+40], r0       # -2^30, zero-extended
mov r0, 0
exit
-- out
00 00 00 80 00 00 00 00
00 00 00 80 00 00 00 00
00 00 00 00 00 00 00 00
00 00 00 00 00 00 00 00
fb ff ff ff 00 00 00 00
00 00 00 c0 00 00 00 00
