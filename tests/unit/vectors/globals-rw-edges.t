# the last byte of .bss is writable; the first past it is not
-- config
bss=16
-- gdata
01 00 00 00 00 00 00 00
-- asm
lddw r2, 0x400000000
stdw [r2+16], 7
ldxdw r0, [r2+16]
stb [r2+23], 1
ldxb r3, [r2+23]
add r0, r3
stxb [r2+24], r0
exit
-- error
EFAULT at 7
