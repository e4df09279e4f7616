# .rodata is read-only: a store aborts with -EFAULT (ABORT_MEM)
-- rodata
41 6c 70 68 61 00 00 00
-- gdata
00 00 00 00 00 00 00 00
-- asm
lddw r2, 0x400000000
ldxb r0, [r2+0]
stb [r2+7], 1
exit
-- error
EFAULT at 3
