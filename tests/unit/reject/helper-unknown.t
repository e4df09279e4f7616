-- asm
call 7
exit
-- reject
unknown helper 7 at insn 0
