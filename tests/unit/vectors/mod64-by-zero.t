# x % 0 = x
-- asm
lddw r0, 0x123456789abcdef0
mov r1, 0
mod r0, r1
exit
-- result
0x123456789abcdef0
