-- data-text
one two three
-- asm
stw [r10-4], 0x6f7774
mov r1, 5
mov r2, 9
mov r3, r10
add r3, -4
mov r4, 3
call 6
exit
-- result
-2
