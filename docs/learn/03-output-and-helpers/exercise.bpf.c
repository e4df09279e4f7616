// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Lesson 3: output buffer and helpers.  See docs/learn/03-output-and-helpers.md.
 *
 * Send back the offset of every occurrence of a pattern in the range, as
 * little-endian u64s in the output buffer, and return how many there are.
 * The pattern is in args[0..1] (`--pattern ERROR` packs it there) and its
 * length in args[2].  Searching is uringblk_find()'s job; appending to the
 * output is uringblk_emit()'s.
 *   make learn N=3
 */
#include "uringblk_prog.h"

SEC(URINGBLK_PROG_SEC)
__u64 find_all(const struct uringblk_prog_ctx *ctx)
{
	__u64 plen = ctx->args[2], off = 0, n = 0;
	__s64 at;

	if (plen == 0 || plen > 16)
		return uringblk_abort_einval(ctx);
	while (off < ctx->data_len) {
		at = uringblk_find(off, ctx->data_len - off, &ctx->args[0], plen);
		if (at < 0)
			break;
		/* TODO: append at (8 bytes) to the output with uringblk_emit()
		 * and count it in n */
		off = at + 1;
	}
	return n;
}
