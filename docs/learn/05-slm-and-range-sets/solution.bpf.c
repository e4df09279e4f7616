// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Lesson 5, solution: upper-case the text in a memory range set, in place
 * in the drive's memory (SLM); r0 = how many letters changed.
 *
 * Under EXECUTE the set's ranges are one window the program addresses
 * directly, read-write: ctx->mem, ctx->mem_len.  Under EXEC there is no
 * window (ctx->mem is 0): refuse, with -EINVAL.
 */
#include "uringblk_prog.h"

SEC(URINGBLK_PROG_SEC)
__u64 upcase(const struct uringblk_prog_ctx *ctx)
{
	__u8 *mem = (__u8 *)(unsigned long)ctx->mem;
	__u64 i, n = 0;

	if (!ctx->mem)
		return uringblk_abort_einval(ctx);
	for (i = 0; i < ctx->mem_len; i++) {
		__u8 c = mem[i];

		if (c >= 'a' && c <= 'z') {
			mem[i] = c - 'a' + 'A';
			n++;
		}
	}
	return n;
}
