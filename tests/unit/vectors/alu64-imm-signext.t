# 64-bit K operands are sign-extended: mov -1 is all ones, and with -2 clears bit 0
-- asm
mov r0, -1
and r0, -2
exit
-- result
0xfffffffffffffffe
