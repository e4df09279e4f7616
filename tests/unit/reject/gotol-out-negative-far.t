-- asm
mov r0, 0
gotol -2147483648
exit
-- reject
jump out of range at insn 1
