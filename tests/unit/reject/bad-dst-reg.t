-- asm
raw 0xb7, 11, 0, 0, 1
exit
-- reject
invalid dst register r11 at insn 0
