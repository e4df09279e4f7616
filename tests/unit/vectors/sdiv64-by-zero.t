# signed division by zero as unsigned: x / 0 = 0, x % 0 = x (all 64 bits)
-- asm
ldxdw r9, [r1+32]       # r9 = ctx->out
lddw r0, 0x8000000000000007
mov r1, 0
sdiv r0, r1
stxdw [r9+0], r0        # 0
lddw r0, 0x8000000000000007
smod r0, r1
stxdw [r9+8], r0        # unchanged
lddw r0, -5
smod r0, r1
stxdw [r9+16], r0       # unchanged
mov r0, 0
exit
-- out
00 00 00 00 00 00 00 00
07 00 00 00 00 00 00 80
fb ff ff ff ff ff ff ff
