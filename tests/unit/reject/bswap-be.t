# ALU64 | END has no byte-order bit: bswap is unconditional
-- asm
raw 0xdf, 1, 0, 0, 16
exit
-- reject
bswap (ALU64 end) must have the source bit clear at insn 0
