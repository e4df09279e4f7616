# an 8-byte load that ends one byte past the top
-- asm
ldxdw r0, [r10-7]
exit
-- error
EFAULT at 0
