-- config
args=8
-- asm
ldxdw r1, [r1+40]
call local down
exit
down:
mov r0, r1
jeq r1, 1, +3
sub r1, 1
call local down
add r0, 1
exit
-- error
ELOOP at 6
