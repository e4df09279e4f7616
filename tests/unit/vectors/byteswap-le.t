# on a little-endian host le truncates
-- asm
lddw r1, 0x1122334455667788
mov r0, r1
le16 r0
mov r2, r1
le32 r2
mov r3, r1
le64 r3
add r0, r2
add r0, r3
exit
-- result
0x11223344aacd6698
