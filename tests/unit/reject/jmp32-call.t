-- asm
raw 0x86, 0, 0, 0, 1
exit
-- reject
call and exit exist only in class JMP at insn 0
