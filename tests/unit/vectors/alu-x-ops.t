# register forms of or/and/xor/sub/lsh/rsh/arsh, 64 and 32 bits
-- asm
lddw r1, 0xf0f0f0f0f0f0f0f0
lddw r2, 0x0ff00ff00ff00ff0
mov r0, r1
and r0, r2                      # 0x00f000f000f000f0
mov r3, r1
or r3, r2                       # 0xfff0fff0fff0fff0
xor r0, r3                      # 0xff00ff00ff00ff00
mov r4, r1
xor32 r4, r2                    # 0xff00ff00 (zext)
sub r0, r4
mov r5, 4
mov r6, r1
arsh r6, r5                     # 0xff0f0f0f0f0f0f0f
add r0, r6
mov r7, r1
rsh32 r7, r5                    # 0x0f0f0f0f
add r0, r7
mov r8, r2
or32 r8, r5                     # 0x0ff00ff4
sub32 r8, r5                    # 0x0ff00ff0
and32 r8, r1                    # 0x00f000f0
add r0, r8
exit
-- result
0xfe100e0f1f0e1f0e
