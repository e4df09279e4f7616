-- asm
mov32 r0, 0x7fffffff
add32 r0, 1
exit
-- result
0x80000000
