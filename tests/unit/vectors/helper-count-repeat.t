# a long pattern across many windows: 1000 copies of the line, each has one
-- config
repeat=1000
-- data-text
xxAlphabetagammadeltaxx
-- asm
lddw r6, 0x7465626168706c41    # "Alphabet"
stxdw [r10-16], r6
lddw r6, 0x6564616d6d616761    # "agammade"
stxdw [r10-8], r6
ldxdw r2, [r1+16]
mov r1, 0
mov r3, r10
add r3, -16
mov r4, 16
call 3
exit
-- result
1000
-- stats
scanned=24000
