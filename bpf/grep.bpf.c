// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * grep: the offsets of every occurrence of a pattern.
 *
 * args[0..2]:	the pattern, as for count_pattern.bpf.c (up to 16 bytes in
 *		args[0..1], length in args[2])
 * output:	one little-endian u64 per occurrence: its byte offset from
 *		the start of the range (lba_start * block_size on the
 *		device), in increasing order, overlapping occurrences
 *		included, so without truncation there are exactly as many as
 *		count_pattern.bpf.c counts
 * r0:		number of offsets in the output; bit 63 (GREP_MORE) is set
 *		as well when the output filled up and at least one more
 *		occurrence follows the last one written: the search stopped
 *		there (run it again from that offset, or with a larger
 *		output, for the rest)
 * errors:	a bad pattern length stops the run with -EINVAL
 *
 * Each occurrence costs one uringblk_find() (charged for the bytes it
 * examined) and one uringblk_emit().
 */
#include "uringblk_prog.h"

#define PAT_MAX		16
#define GREP_MORE	(1ULL << 63)

SEC(URINGBLK_PROG_SEC)
__u64 grep(const struct uringblk_prog_ctx *ctx)
{
	__u64 plen = ctx->args[2], end = ctx->data_len, off = 0, n = 0;
	__s64 at;

	if (plen == 0 || plen > PAT_MAX)
		return uringblk_abort_einval(ctx);
	while (off < end) {
		at = uringblk_find(off, end - off, &ctx->args[0], plen);
		if (at < 0)
			break;
		/* -ENOSPC: nothing was written and the run goes on */
		if (uringblk_emit(&at, sizeof(at)) < 0)
			return n | GREP_MORE;
		n++;
		off = at + 1;	/* overlapping occurrences count */
	}
	return n;
}
