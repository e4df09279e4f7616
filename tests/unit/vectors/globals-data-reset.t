# .data starts from the image at every run, .bss at zero: the program
# returns what it found and leaves its own stores behind (the harness
# dirties the buffer and runs every test many times)
-- config
bss=8
-- rodata
ff ff ff ff ff ff ff ff
-- gdata
2a 00 00 00 00 00 00 00
-- asm
lddw r2, 0x400000008    # .data
ldxdw r0, [r2+0]
ldxdw r3, [r2+8]        # .bss
add r0, r3
stdw [r2+0], 1000
stdw [r2+8], 2000
ldxdw r3, [r2+0]        # the store is seen within the run
add r0, r3
exit
-- result
1042
