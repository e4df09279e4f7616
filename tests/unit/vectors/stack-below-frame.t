-- asm
stb [r10-513], 1
mov r0, 0
exit
-- error
EFAULT at 0
