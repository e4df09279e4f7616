-- asm
mov r10, 0
exit
-- reject
r10 is read-only at insn 0
