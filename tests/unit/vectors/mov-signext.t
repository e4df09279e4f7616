# mov K sign-extends, mov32 K zero-extends
-- asm
mov r0, -2
mov32 r2, -2
sub r0, r2
exit
-- result
0xffffffff00000000
