# the last 8 bytes of mem are reachable, one byte further is not
-- mem
01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
-- asm
lddw r2, 0x1000000000
ldxdw r0, [r2+8]
stxdw [r2+8], r0
ldxdw r0, [r2+9]
exit
-- error
EFAULT at 4
