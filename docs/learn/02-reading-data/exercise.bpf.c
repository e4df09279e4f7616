// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Lesson 2: read the drive's data.  See docs/learn/02-reading-data.md.
 *
 * Return how many bytes of the range are equal to ctx->args[0] (the check
 * passes it with --arg).  The data is not mapped into the program: copy
 * it onto the stack with uringblk_read(off, buf, len), a chunk at a time.
 *   make learn N=2
 */
#include "uringblk_prog.h"

#define CHUNK	256

SEC(URINGBLK_PROG_SEC)
__u64 count_byte(const struct uringblk_prog_ctx *ctx)
{
	__u8 buf[CHUNK];
	__u8 want = ctx->args[0];
	__u64 off, len, n = 0;

	for (off = 0; off < ctx->data_len; off += len) {
		len = ctx->data_len - off < CHUNK ? ctx->data_len - off : CHUNK;
		uringblk_read(off, buf, len);
		/* TODO: add to n the number of bytes of buf[0..len) equal to want */
	}
	return n;
}
