# .rodata and the writable globals are two regions: one access may not
# span both (each lies in a different kernel buffer)
-- rodata
01 02 03 04 05 06 07 08
-- gdata
09 0a 0b 0c 0d 0e 0f 10
-- asm
lddw r2, 0x400000000
ldxdw r0, [r2+0]
ldxdw r3, [r2+8]
add r0, r3
ldxdw r3, [r2+4]
exit
-- error
EFAULT at 5
