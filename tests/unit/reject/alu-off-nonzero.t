# off != 0 on ALU is cpu v4's sdiv/smod/movsx: not supported
-- asm
raw 0xbf, 0, 1, 8, 0
exit
-- reject
off must be 0 at insn 0
