# bpf-to-bpf call: r6-r9 preserved for the caller, r0 returned
-- asm
mov r6, 100
mov r1, 5
call local double
add r0, r6
exit
double:
mov r6, 7               # clobbers the callee's r6 only
mov r0, r1
add r0, r1
exit
-- result
110
