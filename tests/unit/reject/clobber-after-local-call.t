# bpf-to-bpf calls clobber r1-r5 too (the callee may change them)
-- asm
mov r1, 1
call local fn
add r0, r1
exit
fn:
mov r0, r1
exit
-- reject
r1 is read after a call clobbered it at insn 2
