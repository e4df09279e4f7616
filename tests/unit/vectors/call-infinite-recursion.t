-- asm
f:
call local f
exit
-- error
ELOOP at 0
