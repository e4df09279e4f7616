# an atomic on .rodata is a store too
-- rodata
01 00 00 00 00 00 00 00
-- asm
lddw r2, 0x400000000
mov r3, 1
atomic_add [r2+0], r3
exit
-- error
EFAULT at 3
