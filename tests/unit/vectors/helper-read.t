-- data
00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff
-- asm
mov r1, 3               # off
mov r2, r10
add r2, -8              # dst
mov r3, 8               # len
call 1
mov r6, r0
ldxdw r0, [r10-8]
add r0, r6              # read returns 0
exit
-- result
0xaa99887766554433
-- stats
scanned=8
