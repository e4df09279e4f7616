# helpers write into the writable globals, read from .rodata
-- config
bss=8
-- rodata
77 6f 72 6c 64 00 00 00
-- data-text
hello, world
-- asm
lddw r8, 0x400000008
mov r1, 7
mov r2, r8
mov r3, 5
call 1                  # read "world" into .bss
ldxw r0, [r8+0]
lddw r3, 0x400000000    # "world" in .rodata
mov r1, 0
mov r2, 13
mov r4, 5
call 3                  # count_pattern
exit
-- result
1
