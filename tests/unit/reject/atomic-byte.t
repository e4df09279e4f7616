# atomics exist only for W and DW
-- asm
raw 0xd3, 1, 2, 0, 0
exit
-- reject
atomic ops exist only for sizes w and dw at insn 0
