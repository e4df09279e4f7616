// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Lesson 4, solution: lesson 2's byte count, with the three mistakes of
 * the exercise fixed:
 *  - no kernel BPF helper (the drive has only its own: the validator
 *    refuses the program at load, "unknown helper 14");
 *  - the index advances on every path (else: abort budget, -ETIME);
 *  - the last read stops at data_len (else: abort range, -ERANGE).
 */
#include "uringblk_prog.h"

#define CHUNK	256

SEC(URINGBLK_PROG_SEC)
__u64 count_byte(const struct uringblk_prog_ctx *ctx)
{
	__u8 buf[CHUNK];
	__u8 want = ctx->args[0];
	__u64 off, len, i, n = 0;

	for (off = 0; off < ctx->data_len; off += CHUNK) {
		len = ctx->data_len - off < CHUNK ? ctx->data_len - off : CHUNK;
		uringblk_read(off, buf, len);
		for (i = 0; i < len; i++) {
			if (buf[i] != want)
				continue;
			n++;
		}
	}
	return n;
}
