# dst not 4-byte aligned: -EINVAL
-- config
out_len=64
-- data
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- asm
ldxdw r6, [r1+32]
mov r1, 0
stw [r10-8], 0x01010101
mov r2, r10
add r2, -8
mov r3, 4
mov r4, 1
mov r5, r6
add r5, 2
call 10
exit
-- error
EINVAL at 9
