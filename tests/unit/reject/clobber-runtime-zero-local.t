# ... and after a bpf-to-bpf call returns (not the callee's values)
-- asm
mov r1, 7
mov r2, 7
call local fn
add r0, r1
add r0, r2
exit
fn:
mov r0, 40
mov r1, 9
exit
-- reject
r1 is read after a call clobbered it at insn 3
-- result
40
