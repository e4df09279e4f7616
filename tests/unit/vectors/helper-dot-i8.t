# dot_i8: two 3-byte vectors {1, 2, 3} and {-1, -128, 127} against the
# query {2, -3, 4} on the stack: 2 - 6 + 12 = 8 and -2 + 384 + 508 = 890;
# the scores land in the output buffer; r0 = n.  Work: 128 per call,
# 8 per byte, 32 per vector = 240 steps = 4 units on top of 14 slots.
-- config
out_len=8
-- data
01 02 03 ff 80 7f
-- asm
ldxdw r5, [r1+32]       # dst = out
stb [r10-4], 2
stb [r10-3], 0xfd       # -3
stb [r10-2], 4
mov r1, 0               # off
mov r2, r10
add r2, -4              # q
mov r3, 3               # dim
mov r4, 2               # n
call 10
exit
-- result
2
-- out
08 00 00 00 7a 03 00 00
-- stats
scanned=6 work=240 insns=15
