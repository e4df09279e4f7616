// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Lesson 3, solution: the offset of every occurrence of a pattern, as
 * little-endian u64s in the output buffer; r0 = how many.
 *
 * args[0..1]: the pattern (`--pattern STR` packs it there), args[2]: its
 * length.  uringblk_find() searches inside the drive; uringblk_emit()
 * appends to the output buffer, which the drive sends back with r0.
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
			break;		/* -ENOENT: no more */
		if (uringblk_emit(&at, sizeof(at)) < 0)
			break;		/* -ENOSPC: the output buffer is full */
		n++;
		off = at + 1;		/* overlapping matches count too */
	}
	return n;
}
