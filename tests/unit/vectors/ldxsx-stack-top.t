# sign-extending loads are bounds-checked like ldx
-- asm
ldxsw r0, [r10-2]
exit
-- error
EFAULT at 0
