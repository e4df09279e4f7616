# INT64_MIN / -1 overflows in C; eBPF (the kernel) gives INT64_MIN, and
# INT64_MIN % -1 = 0; any x / -1 = -x, x % -1 = 0
-- asm
ldxdw r9, [r1+32]       # r9 = ctx->out
lddw r0, 0x8000000000000000
mov r1, -1
sdiv r0, r1
stxdw [r9+0], r0        # INT64_MIN
lddw r0, 0x8000000000000000
sdiv r0, -1
stxdw [r9+8], r0        # INT64_MIN
lddw r0, 0x8000000000000000
smod r0, r1
stxdw [r9+16], r0       # 0
lddw r0, 0x8000000000000000
smod r0, -1
stxdw [r9+24], r0       # 0
mov r0, 5
sdiv r0, r1
stxdw [r9+32], r0       # -5
mov r0, 5
smod r0, r1
stxdw [r9+40], r0       # 0
lddw r0, 0x8000000000000000
sdiv r0, 2
stxdw [r9+48], r0       # -2^62
lddw r0, 0x8000000000000000
mov r1, 0x7fffffff
smod r0, r1
stxdw [r9+56], r0
mov r0, 0
exit
-- out
00 00 00 00 00 00 00 80
00 00 00 00 00 00 00 80
00 00 00 00 00 00 00 00
00 00 00 00 00 00 00 00
fb ff ff ff ff ff ff ff
00 00 00 00 00 00 00 00
00 00 00 00 00 00 00 c0
fe ff ff ff ff ff ff ff
