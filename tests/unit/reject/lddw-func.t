# BPF_PSEUDO_FUNC: a callback's address (bpf_loop, bpf_for_each_map_elem)
-- asm
raw 0x18, 2, 4, 0, 3
raw 0, 0, 0, 0, 0
exit
exit
-- reject
function references (callbacks) are not supported at insn 0
EOPNOTSUPP
