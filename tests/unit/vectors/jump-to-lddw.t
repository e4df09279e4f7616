# jumping to the first slot of an lddw is fine
-- asm
mov r0, 0
ja +1
exit
lddw r0, 0x100000001
exit
-- result
0x100000001
