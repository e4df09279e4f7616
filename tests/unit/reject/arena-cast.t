# clang's addr_space_cast (mov with off 1) is for BPF arenas
-- asm
raw 0xbf, 1, 1, 1, 1
exit
-- reject
address space casts (arena) are not supported at insn 0
EOPNOTSUPP
