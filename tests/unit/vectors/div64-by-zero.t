# x / 0 = 0
-- asm
mov r0, 12345
mov r1, 0
div r0, r1
exit
-- result
0
