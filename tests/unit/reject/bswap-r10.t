-- asm
bswap16 r10
exit
-- reject
r10 is read-only at insn 0
