// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Lesson 5: SLM and memory range sets.  See docs/learn/05-slm-and-range-sets.md.
 *
 * The check copies blocks into the drive's memory (SLM) at two places,
 * makes a range set of both and EXECUTEs this program over it.  Turn every
 * lower-case letter (a..z) of the set into upper case, in place, and
 * return how many you changed.  The set is one window of ctx->mem_len
 * bytes at ctx->mem, which the program reads and writes directly.
 *   make learn N=5
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
			/* TODO: store the upper-case letter back into mem[i] */
			n++;
		}
	}
	return n;
}
