-- config
budget=10000
-- asm
mov r0, 0
loop:
add r0, 1
ja loop
-- error
ETIME at 2
