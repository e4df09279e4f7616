-- asm
raw 0x48, 0, 1, 0, 0
exit
-- reject
legacy packet loads (ld_abs, ld_ind) are not supported at insn 0
EOPNOTSUPP
