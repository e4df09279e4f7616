-- data-text
one two three two
-- asm
stw [r10-4], 0x6f7774           # "two"
ldxdw r2, [r1+16]
mov r1, 0
mov r3, r10
add r3, -4
mov r4, 3
call 6
mov r6, r0              # 4
mov r1, 5
mov r2, 13
mov r3, r10
add r3, -4
mov r4, 3
call 6                  # 14
lsh r0, 8
add r0, r6
exit
-- result
0x0e04
