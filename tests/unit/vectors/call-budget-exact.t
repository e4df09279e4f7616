# a call ends the caller's segment, the callee's exit its own, the return
# starts a new one: 2 + 2 + 1 slots
-- asm
mov r1, 5
call local f
exit
f:
mov r0, r1
exit
-- result
5
-- stats
insns=5
