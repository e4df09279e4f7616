# 5-byte vectors from off 1 cut by every window size the runner tries
# (whole, 1, 7, 4096 bytes): the partial sums carry over;
# q = {1, 1, 1, 1, 1}: each score is the vector's sum
-- config
out_len=12
-- data
00 01 02 03 04 05 fb fc fd fe ff 7f 7f 7f 7f 7f
-- asm
ldxdw r5, [r1+32]
stw [r10-8], 0x01010101
stb [r10-4], 1
mov r1, 1
mov r2, r10
add r2, -8
mov r3, 5
mov r4, 3
call 10
exit
-- result
3
-- out
0f 00 00 00 f1 ff ff ff 7b 02 00 00
