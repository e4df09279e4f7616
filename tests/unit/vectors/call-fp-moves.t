# r10 in a callee is 512 below the caller's
-- asm
mov r6, r10
call local f
sub r6, r0
mov r0, r6
exit
f:
mov r0, r10
exit
-- result
512
