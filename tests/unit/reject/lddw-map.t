# clang emits src_reg = BPF_PSEUDO_MAP_VALUE for global data (.rodata, .data)
-- asm
raw 0x18, 1, 2, 0, 0
raw 0, 0, 0, 0, 0
exit
-- reject
map references are not supported at insn 0
EOPNOTSUPP
