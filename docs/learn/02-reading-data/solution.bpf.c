// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Lesson 2, solution: count the bytes equal to args[0] in the range,
 * reading the data in chunks onto the stack with uringblk_read().
 */
#include "uringblk_prog.h"

#define CHUNK	256	/* bytes per read: well inside the 512-byte stack frame */

SEC(URINGBLK_PROG_SEC)
__u64 count_byte(const struct uringblk_prog_ctx *ctx)
{
	__u8 buf[CHUNK];
	__u8 want = ctx->args[0];
	__u64 off, len, i, n = 0;

	for (off = 0; off < ctx->data_len; off += len) {
		len = ctx->data_len - off < CHUNK ? ctx->data_len - off : CHUNK;
		uringblk_read(off, buf, len);
		for (i = 0; i < len; i++)
			if (buf[i] == want)
				n++;
	}
	return n;
}
