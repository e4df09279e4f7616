# emitting from ctx (read-only) is allowed
-- config
args=0x4847464544434241
-- asm
add r1, 40
mov r2, 8
call 2
exit
-- out-text
ABCDEFGH
-- result
8
