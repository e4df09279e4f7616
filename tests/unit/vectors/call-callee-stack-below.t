# a callee may not reach below its own frame
-- asm
call local f
exit
f:
stb [r10-513], 1
exit
-- error
EFAULT at 2
