# a gotol loop is charged like any backward jump
-- config
budget=1000
-- asm
mov r0, 0
loop:
add r0, 1
gotol loop
-- error
ETIME
