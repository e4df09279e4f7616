# one byte past .rodata (nothing writable after it) faults; so does a
# load that starts inside and ends outside
-- rodata
01 02 03 04 05 06 07 08
-- asm
lddw r2, 0x400000000
ldxw r0, [r2+4]
ldxw r0, [r2+5]
exit
-- error
EFAULT at 3
