# Defence in depth: the interpreter zeroes r1-r5 after a helper call, so
# even a program the validator did not see reads 0, never a stale value.
# (With -- result after -- reject, the runner runs it anyway.)
-- data
01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00
-- asm
mov r1, 0
mov r2, 16
mov r3, 3
mov r4, 4
mov r5, 5
call 4
mov r0, r1
or r0, r2
or r0, r3
or r0, r4
or r0, r5
exit
-- reject
r1 is read after a call clobbered it at insn 6
-- result
0
