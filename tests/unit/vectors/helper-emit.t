-- config
out_len=16
-- asm
stdw [r10-8], 0x64636261        # "abcd"
mov r1, r10
add r1, -8
mov r2, 4
call 2
mov r6, r0              # 4
mov r1, r10
add r1, -7
mov r2, 2
call 2                  # "bc"
add r0, r6
exit
-- result
6
-- out
61 62 63 64 62 63
-- stats
emitted=6 used=6
