# ISA v4 smod (mod with off 1): the sign follows the dividend (-13 % 3 = -1)
-- asm
ldxdw r9, [r1+32]       # r9 = ctx->out
mov r0, -13
smod r0, 3
stxdw [r9+0], r0        # -1
mov r0, 13
mov r1, -3
smod r0, r1
stxdw [r9+8], r0        # 1
mov r0, -13
mov r1, -3
smod r0, r1
stxdw [r9+16], r0       # -1
mov r0, 13
smod r0, 3
stxdw [r9+24], r0       # 1
mov r0, -13
mod r0, 3               # off 0 is still unsigned
stxdw [r9+32], r0
mov r0, 100
smod r0, -7             # the immediate is sign-extended
stxdw [r9+40], r0       # 2
mov r0, -100
smod r0, -7
stxdw [r9+48], r0       # -2
mov r0, 0
exit
-- out
ff ff ff ff ff ff ff ff
01 00 00 00 00 00 00 00
ff ff ff ff ff ff ff ff
01 00 00 00 00 00 00 00
00 00 00 00 00 00 00 00
02 00 00 00 00 00 00 00
fe ff ff ff ff ff ff ff
