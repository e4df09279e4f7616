-- asm
mov r0, 3
neg r0
exit
-- result
-3
