# add reads its destination
-- asm
mov r1, 0
mov r2, 0
call 4
add r1, 1
exit
-- reject
r1 is read after a call clobbered it at insn 3
