# add/sub/mul/or/and/xor with K and X operands, 64-bit
-- asm
mov r0, 5
add r0, 3           # 8
mov r1, 10
mul r0, r1          # 80
sub r0, 1           # 79
or r0, 0x100        # 0x14f
and r0, 0x1f0       # 0x140
mov r2, 0x41
xor r0, r2          # 0x101
exit
-- result
0x101
