-- asm
mov r0, 1
raw 0x97, 0, 0, -1, 3
exit
-- reject
invalid off -1 for div/mod (0 unsigned, 1 signed) at insn 1
