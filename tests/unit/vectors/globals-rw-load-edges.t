# loads at the end of .bss (the interpreter checks the writable globals
# inline): the last 8 bytes load, 4 bytes from 2 before the end do not
-- config
bss=16
-- gdata
01 00 00 00 00 00 00 00
-- asm
lddw r2, 0x400000000
stdw [r2+16], 5
ldxdw r0, [r2+16]
ldxdw r3, [r2+0]
add r0, r3
ldxw r3, [r2+22]
exit
-- error
EFAULT at 6
