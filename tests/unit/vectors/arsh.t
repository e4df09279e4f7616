-- asm
mov r0, -16
arsh r0, 2          # -4
mov32 r1, 0x80000000
arsh32 r1, 4        # 0xf8000000, zero-extended
mov r2, 68
mov r3, -256
arsh r3, r2         # masked to 4: -16
add r0, r3          # -20
add r0, r1
exit
-- result
0xf7ffffec
