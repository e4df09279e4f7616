# helpers read into mem and emit from it; the pattern may live there too
-- mem
00 00 00 00 00 00 00 00
-- data-text
abcabc
-- asm
lddw r6, 0x1000000000
mov r1, 3
mov r2, r6
mov r3, 3
call 1                  # mem[0..3) = "abc"
mov r1, r6
mov r2, 2
call 2                  # emit "ab"
mov r1, 0
mov r2, 7
mov r3, r6
mov r4, 3
call 3                  # "abc" twice
exit
-- result
2
-- out-text
ab
-- mem-after
61 62 63 00 00 00 00 00
