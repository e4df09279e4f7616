# arguments set after a helper call reach a callee
-- data
01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00
-- asm
mov r1, 0
mov r2, 16
call 4                  # 10
mov r6, r0
mov r1, 3
mov r2, 4
call local fn
add r0, r6              # r0 survives, r6 too
exit
fn:
mov r0, r1
mul r0, r2
exit
-- result
22
