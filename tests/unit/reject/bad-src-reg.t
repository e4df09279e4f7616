-- asm
mov r0, 0
raw 0x0f, 0, 12, 0, 0
exit
-- reject
invalid src register r12 at insn 1
