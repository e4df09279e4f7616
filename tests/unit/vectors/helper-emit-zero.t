# a zero-length emit is a no-op, whatever the pointer
-- asm
mov r1, 0
mov r2, 0
call 2
exit
-- result
0
-- stats
emitted=0 used=0
