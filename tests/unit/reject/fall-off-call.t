-- asm
mov r0, 0
exit
call 1
-- reject
last insn is not exit or ja at insn 2
