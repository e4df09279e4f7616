# beyond what off could hold: still checked against the program
-- asm
gotol +70000
exit
-- reject
jump out of range at insn 0
