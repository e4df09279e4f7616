-- asm
lddw r1, 0x7fff00000000
stdw [r1+0], 1
exit
-- error
EFAULT at 2
