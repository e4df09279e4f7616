# movsx (mov with off 8/16/32): sign-extend the source's low bits to 64;
# the 32-bit forms extend to 32 and zero the upper half
-- asm
ldxdw r9, [r1+32]       # r9 = ctx->out
lddw r1, 0xffffffffffff0080
movsxb r0, r1
stxdw [r9+0], r0        # 0xffffffffffffff80
lddw r1, 0x123456789abc007f
movsxb r0, r1
stxdw [r9+8], r0        # 0x7f
lddw r1, 0x1234567800008000
movsxh r0, r1
stxdw [r9+16], r0       # 0xffffffffffff8000
lddw r1, 0x0000000080000000
movsxw r0, r1
stxdw [r9+24], r0       # 0xffffffff80000000
lddw r1, 0xffffffff7fffffff
movsxw r0, r1
stxdw [r9+32], r0       # 0x7fffffff
lddw r0, 0xdeadbeefdeadbe80
movsxb32 r0, r0         # dst == src
stxdw [r9+40], r0       # 0x00000000ffffff80
lddw r0, 0xdeadbeefdead8001
movsxh32 r0, r0
stxdw [r9+48], r0       # 0x00000000ffff8001
lddw r1, 0xdeadbeefdead7001
lddw r0, -1
movsxh32 r0, r1
stxdw [r9+56], r0       # 0x0000000000007001
mov r0, 0
exit
-- out
80 ff ff ff ff ff ff ff
7f 00 00 00 00 00 00 00
00 80 ff ff ff ff ff ff
00 00 00 80 ff ff ff ff
ff ff ff 7f 00 00 00 00
80 ff ff ff 00 00 00 00
01 80 ff ff 00 00 00 00
01 70 00 00 00 00 00 00
