# 32-bit mod by zero leaves dst zero-extended
-- asm
lddw r0, 0xffffffff00001234
mov r1, 0
mod32 r0, r1
exit
-- result
0x1234
