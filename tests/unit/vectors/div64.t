-- asm
lddw r0, 0xffffffffffffffff
mov r1, 0x10
div r0, r1
exit
-- result
0x0fffffffffffffff
