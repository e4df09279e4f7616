# BPF_PSEUDO_BTF_ID: a kernel variable (__ksym)
-- asm
raw 0x18, 1, 3, 0, 100
raw 0, 0, 0, 0, 0
exit
-- reject
kernel variable references are not supported at insn 0
EOPNOTSUPP
