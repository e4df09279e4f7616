# emit that does not fit returns -ENOSPC and writes nothing; the run goes on
-- config
out_len=6
-- asm
stdw [r10-8], 0x64636261
mov r1, r10
add r1, -8
mov r2, 4
call 2
mov r1, r10
add r1, -8
mov r2, 4
call 2
exit
-- result
-28
-- out
61 62 63 64
