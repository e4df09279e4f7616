-- config
out_len=2048
-- data-text
aab
-- asm
ldxdw r6, [r1+32]
ldxdw r2, [r1+16]
mov r1, 0
mov r3, r6
call 5
mov r1, 0
mov r2, 2               # accumulates: "aa" again
mov r3, r6
call 5
ldxdw r0, [r6+776]      # hist['a'] = 4
ldxdw r1, [r6+784]      # hist['b'] = 1
lsh r1, 8
add r0, r1
ldxdw r1, [r6+80]       # hist['\n'] = 1
lsh r1, 16
add r0, r1
exit
-- result
0x10104
