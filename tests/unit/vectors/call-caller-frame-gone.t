# after return, the callee's frame is below the caller's: not accessible
-- asm
call local f
ldxb r0, [r0+0]
exit
f:
mov r0, r10
add r0, -1
exit
-- error
EFAULT at 1
