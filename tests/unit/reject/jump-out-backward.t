-- asm
mov r0, 0
jeq r0, 0, -3
exit
-- reject
jump out of range at insn 1
