# the first id past the int8 vector helpers (10, 11)
-- asm
call 12
exit
-- reject
unknown helper 12 at insn 0
