# sdiv32/smod32 use the low halves as s32 and zero-extend the result;
# the immediate is an s32
-- asm
ldxdw r9, [r1+32]       # r9 = ctx->out
lddw r0, 0x55555555fffffff9   # low half -7
sdiv32 r0, 2
stxdw [r9+0], r0        # 0x00000000fffffffd
lddw r0, 0xaaaaaaaa00000064   # low half 100
sdiv32 r0, -7
stxdw [r9+8], r0        # -14, zero-extended
lddw r0, 0x12345678ffffff9c   # -100
lddw r1, 0x9999999900000007   # 7: the high half is ignored
smod32 r0, r1
stxdw [r9+16], r0       # -2, zero-extended
mov r0, 100
smod32 r0, -7
stxdw [r9+24], r0       # 2
mov32 r0, -100
mov32 r1, -7
sdiv32 r0, r1
stxdw [r9+32], r0       # 14
mov32 r0, -100
smod32 r0, r1
stxdw [r9+40], r0       # -2, zero-extended
mov32 r0, -7
div32 r0, 2             # off 0 is still unsigned
stxdw [r9+48], r0
mov r0, 0
exit
-- out
fd ff ff ff 00 00 00 00
f2 ff ff ff 00 00 00 00
fe ff ff ff 00 00 00 00
02 00 00 00 00 00 00 00
0e 00 00 00 00 00 00 00
fe ff ff ff 00 00 00 00
fc ff ff 7f 00 00 00 00
