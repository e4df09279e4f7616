# 64-bit division by a negative immediate: divisor sign-extended, division unsigned
-- asm
lddw r0, 0xfffffffffffffffe
div r0, -1          # 0xfff..fe / 0xfff..ff = 0
mov r1, 100
div32 r1, 7
add r0, r1          # 14
mov r2, 100
mod32 r2, 7         # 2
add r0, r2
mov r3, -7
mod r3, 5           # 0xfff..f9 % 5 = 18446744073709551609 % 5 = 4
add r0, r3
exit
-- result
20
