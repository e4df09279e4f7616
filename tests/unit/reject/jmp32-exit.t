-- asm
mov r0, 0
raw 0x96, 0, 0, 0, 0
-- reject
call and exit exist only in class JMP at insn 1
