# classic-BPF packet access, kept in eBPF for sockets: not for a drive
-- asm
raw 0x20, 0, 0, 0, 0
exit
-- reject
legacy packet loads (ld_abs, ld_ind) are not supported at insn 0
EOPNOTSUPP
