# the embedder's reschedule hook can stop a long run
-- config
budget=100000000
resched_every=1000
stop_after=3
-- asm
loop:
ja loop
-- error
EINTR
