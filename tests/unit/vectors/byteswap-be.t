-- asm
lddw r1, 0x1122334455667788
mov r0, r1
be16 r0             # 0x8877
mov r2, r1
be32 r2             # 0x88776655
mov r3, r1
be64 r3             # 0x8877665544332211
add r0, r2
xor r0, r3
exit
-- result
0x88776655cc44ccdd
