# calls in a loop are charged: an endless loop of calls ends with ETIME
-- config
budget=5000
-- asm
loop:
call local f
ja loop
f:
exit
-- error
ETIME
