# under EXECUTE the data are the mem window: dst over the vectors being
# scored would change them under a call made again after a yield: -EINVAL
# (here dst = mem + 4 while the vectors are [0, 8) of the stream)
-- data
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- asm
ldxdw r5, [r1+72]
add r5, 4
stw [r10-8], 0x01010101
mov r1, 0
mov r2, r10
add r2, -8
mov r3, 4
mov r4, 2
call 10
exit
-- error
EINVAL at 8
