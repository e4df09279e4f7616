# a helper may not write .rodata
-- rodata
00 00 00 00 00 00 00 00
-- data-text
hello
-- asm
lddw r2, 0x400000000
mov r1, 0
mov r3, 4
call 1
exit
-- error
EFAULT at 4
