# the 2048-byte table does not fit a 512-byte stack frame
-- data-text
aab
-- asm
mov r1, 0
mov r2, 3
mov r3, r10
add r3, -512
call 5
exit
-- error
EFAULT at 4
