-- asm
stb [r1+0], 1
mov r0, 0
exit
-- error
EFAULT at 0
