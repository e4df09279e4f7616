# EXEC has no mem region: ctx->mem is 0 and the address faults
-- asm
ldxdw r0, [r1+72]
jne r0, 0, +2
lddw r2, 0x1000000000
ldxb r0, [r2+0]
exit
-- error
EFAULT at 4
