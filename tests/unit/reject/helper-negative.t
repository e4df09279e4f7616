-- asm
call -1
exit
-- reject
unknown helper -1 at insn 0
