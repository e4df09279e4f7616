# dim 4096, the largest: -128 * -128 * 4096 = 2^26, the largest dot
# product, exact in s32; l2sq of the same vector against a zero query
# (.bss before the read): 128^2 * 4096 = 2^26 as well
-- config
out_len=8
bss=4096
budget=1000000
repeat=256
-- data
80 80 80 80 80 80 80 80 80 80 80 80 80 80 80 80
-- asm
lddw r6, 0x400000000    # .bss: the query
mov r1, 0
mov r2, r6
mov r3, 4096
mov r4, 1
lddw r5, 0x300000004    # out + 4
call 11                 # against zeroes
mov r1, 0
mov r2, r6
mov r3, 4096
call 1                  # query = data[0, 4096): all -128
mov r1, 0
mov r2, r6
mov r3, 4096
mov r4, 1
lddw r5, 0x300000000    # out
call 10
exit
-- result
1
-- out
00 00 00 04 00 00 00 04
