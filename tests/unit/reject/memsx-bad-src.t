-- asm
raw 0x81, 0, 11, 0, 0
exit
-- reject
invalid src register r11 at insn 0
