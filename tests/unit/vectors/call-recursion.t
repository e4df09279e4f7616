# fib(6) = 8 with depth 7 frames: within the limit of 8
-- config
args=6
-- asm
ldxdw r1, [r1+40]
call local fib
exit
fib:
jgt r1, 1, +2
mov r0, r1
exit
mov r6, r1
sub r1, 1
call local fib
mov r7, r0
mov r1, r6
sub r1, 2
call local fib
add r0, r7
exit
-- result
8
