# may_goto (JMP | JCOND), emitted by can_loop / bpf_for in newer headers
-- asm
raw 0xe5, 0, 0, 0, 0
exit
-- reject
may_goto is not supported at insn 0
EOPNOTSUPP
