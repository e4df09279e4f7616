# BPF_ALU64 | BPF_END (cpu v4 bswap) is not supported
-- asm
raw 0xd7, 1, 0, 0, 16
exit
-- reject
unknown opcode 0xd7 at insn 0
