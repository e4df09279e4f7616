# a helper's pointer range lies in one region: not across .rodata and .data
-- rodata
01 02 03 04 05 06 07 08
-- gdata
09 0a 0b 0c 0d 0e 0f 10
-- asm
lddw r1, 0x400000000
mov r2, 8
call 2
lddw r1, 0x400000004
mov r2, 8
call 2
exit
-- error
EFAULT at 7
