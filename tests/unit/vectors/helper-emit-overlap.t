# emit from the output buffer itself (memmove semantics), then direct
# stores beyond the cursor: out_used = max(cursor, highest store)
-- config
out_len=32
-- asm
ldxdw r6, [r1+32]
stw [r6+0], 0x64636261          # "abcd" stored directly (wm = 4)
mov r1, r6
mov r2, 4
call 2                          # appends out[0..4) at cursor 0: same bytes
mov r1, r6
mov r2, 4
call 2                          # cursor 4 -> 8: "abcdabcd"
stb [r6+11], 0x7a               # direct store at 11: wm = 12
mov r0, 0
exit
-- out
61 62 63 64 61 62 63 64 00 00 00 7a
-- stats
emitted=8 used=12
