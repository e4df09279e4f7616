# dst in the mem window but after the vectors: allowed; n = 0 writes
# nothing and returns 0
-- data
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- asm
ldxdw r6, [r1+72]
stw [r10-8], 0x01010101
mov r1, 0
mov r2, r10
add r2, -8
mov r3, 4
mov r4, 2
mov r5, r6
add r5, 8
call 10
mov r1, 0
mov r2, r10
add r2, -8
mov r3, 4
mov r4, 0
mov r5, r6
call 10
exit
-- result
0
-- mem-after
01 02 03 04 05 06 07 08 0a 00 00 00 1a 00 00 00
