# 32-bit signed division by zero: x / 0 = 0, x % 0 = x zero-extended; the
# divisor is the low half only
-- asm
ldxdw r9, [r1+32]       # r9 = ctx->out
lddw r0, 0xdeadbeef80000007
lddw r1, 0x0000000100000000   # low half 0
sdiv32 r0, r1
stxdw [r9+0], r0        # 0
lddw r0, 0xdeadbeef80000007
smod32 r0, r1
stxdw [r9+8], r0        # 0x0000000080000007
mov r0, 0
exit
-- out
00 00 00 00 00 00 00 00
07 00 00 80 00 00 00 00
