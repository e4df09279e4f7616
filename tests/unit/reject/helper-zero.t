-- asm
call 0
exit
-- reject
unknown helper 0 at insn 0
