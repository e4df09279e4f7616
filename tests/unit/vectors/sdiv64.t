# ISA v4 sdiv (div with off 1): C's truncating signed division
-- asm
ldxdw r9, [r1+32]       # r9 = ctx->out
mov r0, -7
sdiv r0, 2
stxdw [r9+0], r0        # -3
mov r0, 7
mov r1, -2
sdiv r0, r1
stxdw [r9+8], r0        # -3
mov r0, -7
mov r1, -2
sdiv r0, r1
stxdw [r9+16], r0       # 3
mov r0, -8
sdiv r0, 3
stxdw [r9+24], r0       # -2: towards zero
mov r0, -7
div r0, 2               # off 0 is still unsigned
stxdw [r9+32], r0
mov r0, 100
sdiv r0, -3             # the immediate is sign-extended
stxdw [r9+40], r0       # -33
mov r0, -100
sdiv r0, -3
stxdw [r9+48], r0       # 33
mov r0, 0
exit
-- out
fd ff ff ff ff ff ff ff
fd ff ff ff ff ff ff ff
03 00 00 00 00 00 00 00
fe ff ff ff ff ff ff ff
fc ff ff ff ff ff ff 7f
df ff ff ff ff ff ff ff
21 00 00 00 00 00 00 00
