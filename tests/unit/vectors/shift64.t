-- asm
mov r0, 1
lsh r0, 63
rsh r0, 60          # 8
mov r1, 1
mov r2, 65          # shift by register: masked to 1
lsh r1, r2          # 2
add r0, r1          # 10
exit
-- result
10
