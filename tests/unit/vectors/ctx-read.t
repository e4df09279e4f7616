-- config
args=11,22,33,44
lba_start=100
block_size=512
-- data
00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
-- asm
ldxdw r0, [r1+0]        # lba_start
ldxdw r2, [r1+16]       # data_len
add r0, r2
ldxw r2, [r1+24]        # block_size
add r0, r2
ldxw r2, [r1+28]        # out_len
add r0, r2
ldxdw r2, [r1+40]       # args[0]
add r0, r2
ldxdw r2, [r1+64]       # args[3]
add r0, r2
ldxdw r2, [r1+120]      # last rsvd word
add r0, r2
exit
-- result
939
