-- asm
add r10, -8
exit
-- reject
r10 is read-only at insn 0
