// SPDX-License-Identifier: GPL-2.0
/* Count "Alpha" in the whole range, byte by byte in bytecode (benchmark). */
#include "uringblk_prog.h"

#define BUF	256
#define PLEN	5

SEC("uringblk")
__u64 count_bytecode(const struct uringblk_prog_ctx *ctx)
{
	__u8 buf[BUF];
	__u64 off = 0, len = ctx->data_len, n, count = 0;
	__u32 i, last;

	while (off + PLEN <= len) {
		n = len - off < BUF ? len - off : BUF;
		if (uringblk_read(off, buf, n))
			return -1;
		last = n - PLEN;
		for (i = 0; i <= last; i++) {
			if (buf[i] == 'A' && buf[i + 1] == 'l' &&
			    buf[i + 2] == 'p' && buf[i + 3] == 'h' &&
			    buf[i + 4] == 'a')
				count++;
		}
		/* windows overlap by PLEN - 1 bytes so no match is missed */
		off += last + 1;
	}
	return count;
}
