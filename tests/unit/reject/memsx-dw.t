# sign-extending loads: sizes b, h, w
-- asm
ldxsdw r0, [r10-8]
exit
-- reject
sign-extending loads exist only for sizes b, h and w at insn 0
