-- asm
mov r0, 0
exit
raw 0x18, 0, 0, 0, 1
-- reject
lddw truncated at insn 2
