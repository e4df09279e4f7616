# sign-extending loads (BPF_MEMSX): stack, unaligned, output buffer, ctx
-- config
args=0x80,0x7fff
-- asm
ldxdw r9, [r1+32]       # r9 = ctx->out
lddw r2, 0x7f0102f38485a687
stxdw [r10-8], r2
ldxsb r0, [r10-8]
stxdw [r9+0], r0        # 0x87 -> 0xffffffffffffff87
ldxsh r0, [r10-8]
stxdw [r9+8], r0        # 0xa687
ldxsw r0, [r10-8]
stxdw [r9+16], r0       # 0x8485a687
ldxsh r0, [r10-7]       # unaligned: 0x85a6
stxdw [r9+24], r0
ldxsw r0, [r10-4]       # 0x7f0102f3: positive
stxdw [r9+32], r0
ldxsb r0, [r10-1]       # 0x7f
stxdw [r9+40], r0
ldxsb r0, [r9+0]        # from the output buffer: 0x87 again
stxdw [r9+48], r0
ldxsb r0, [r1+40]       # ctx->args[0] = 0x80
stxdw [r9+56], r0
ldxsh r0, [r1+48]       # ctx->args[1] = 0x7fff
stxdw [r9+64], r0
ldxsw r0, [r1+124]      # the last word of the ctx
stxdw [r9+72], r0
mov r0, 0
exit
-- out
87 ff ff ff ff ff ff ff
87 a6 ff ff ff ff ff ff
87 a6 85 84 ff ff ff ff
a6 85 ff ff ff ff ff ff
f3 02 01 7f 00 00 00 00
7f 00 00 00 00 00 00 00
87 ff ff ff ff ff ff ff
80 ff ff ff ff ff ff ff
ff 7f 00 00 00 00 00 00
00 00 00 00 00 00 00 00
