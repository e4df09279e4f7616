# only matches wholly inside [off, off+len) count
-- data-text
abcabcabc
-- asm
stw [r10-4], 0x636261
mov r1, 1
mov r2, 7               # [1, 8): "bcabcab" holds one "abc" (at 3)
mov r3, r10
add r3, -4
mov r4, 3
call 3
exit
-- result
1
