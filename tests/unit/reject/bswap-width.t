-- asm
raw 0xdc, 0, 0, 0, 8
exit
-- reject
invalid byte swap width 8 at insn 0
