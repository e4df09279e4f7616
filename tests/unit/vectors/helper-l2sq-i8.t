# l2sq_i8: the vectors of helper-dot-i8.t: (2-1)^2 + (-3-2)^2 + (4-3)^2
# = 27 and 3^2 + 125^2 + (-123)^2 = 30763 (the largest differences
# -128..127 do not overflow); from off 1: one vector {2, 3, -1}
-- config
out_len=12
-- data
01 02 03 ff 80 7f 00
-- asm
ldxdw r6, [r1+32]
stb [r10-4], 2
stb [r10-3], 0xfd
stb [r10-2], 4
mov r1, 0
mov r2, r10
add r2, -4
mov r3, 3
mov r4, 2
mov r5, r6
call 11
mov r1, 1               # one vector from off 1: (0)^2 + (-6)^2 + (5)^2
mov r2, r10
add r2, -4
mov r3, 3
mov r4, 1
mov r5, r6
add r5, 8
call 11
exit
-- result
1
-- out
1b 00 00 00 2b 78 00 00 3d 00 00 00
