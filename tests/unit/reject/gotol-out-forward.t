-- asm
mov r0, 0
gotol +1
exit
-- reject
jump out of range at insn 1
