# each frame has its own 512 bytes; a callee may use a pointer into its caller's frame
-- asm
stdw [r10-8], 41
mov r1, r10
add r1, -8
call local inc
ldxdw r0, [r10-8]
exit
inc:
stdw [r10-8], 1000      # own frame, does not touch the caller's slot
ldxdw r2, [r1+0]
add r2, 1
stxdw [r1+0], r2
exit
-- result
42
