-- asm
call 99
exit
-- reject
unknown helper 99 at insn 0
