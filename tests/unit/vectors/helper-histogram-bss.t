# the histogram's 2048 bytes in .bss, which starts zeroed every run
-- config
bss=2048
-- data-text
aab
-- asm
lddw r6, 0x400000000
mov r1, 0
mov r2, 3
mov r3, r6
call 5
ldxdw r0, [r6+776]      # hist['a'] = 2
ldxdw r2, [r6+784]      # hist['b'] = 1
lsh r2, 8
add r0, r2
exit
-- result
0x102
