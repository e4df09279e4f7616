-- asm
atomic_fetch_add [r1+0], r10
exit
-- reject
r10 is read-only at insn 0
