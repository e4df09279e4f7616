-- asm
raw 0xd7, 1, 0, 0, 8
exit
-- reject
invalid byte swap width 8 at insn 0
