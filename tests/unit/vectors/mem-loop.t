# a loop over mem (a backward jump per byte: the yielding runs yield at
# each) adding into .bss and writing mem; results and mem as without yields
-- config
bss=8
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- asm
ldxdw r6, [r1+72]
ldxdw r7, [r1+80]
lddw r8, 0x400000000
mov r9, 0
loop:
jge r9, r7, done
mov r2, r6
add r2, r9
ldxb r3, [r2+0]
ldxdw r4, [r8+0]
add r4, r3
stxdw [r8+0], r4
stxb [r2+0], r4
add r9, 1
ja loop
done:
ldxdw r0, [r8+0]
exit
-- result
136
-- mem-after
01 03 06 0a 0f 15 1c 24 2d 37 42 4e 5b 69 78 88
