# gotol (JMP32 | JA): the target in imm; forward, backward, last insn
-- asm
mov r0, 0
mov r6, 5
gotol fwd
mov r0, 1000            # skipped
loop:
add r0, 10
sub r6, 1
jeq r6, 0, out
gotol loop              # backward: a loop
fwd:
add r0, 1
gotol loop
out:
gotol end
mov r0, 2000            # skipped
end:
exit
-- result
51
