# slots skipped by a forward jump are still charged (upper bound)
-- asm
mov r0, 1
ja +3
mov r0, 2
mov r0, 3
mov r0, 4
exit
-- result
1
-- stats
insns=6
