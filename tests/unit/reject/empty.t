-- asm
-- reject
program is empty at insn 0
