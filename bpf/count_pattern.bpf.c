// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * count_pattern: how many times a pattern occurs in the granted range.
 *
 * args[0], args[1]: the pattern, up to 16 bytes, stored in the two u64s
 *		as they lie in memory (byte i of the pattern is byte i of
 *		&args[0]); `uringblk exec --pattern STR` and
 *		count_pattern_args() (count_pattern.h) pack it that way
 * args[2]:	the pattern length, 1..16
 * r0:		number of occurrences lying wholly inside the range,
 *		overlapping ones included ("aa" is 3 times in "aaaa")
 * output:	none
 * errors:	a length of 0 or above 16 stops the run with -EINVAL
 *		(abort "arg")
 *
 * All the work is one uringblk_count_pattern() call, so the run costs
 * what the helper's work does: about 0.13 budget units per byte over
 * English-like text (140 M for 1 GiB), 0.06 where the pattern's first
 * byte never occurs, 1 to 2 where nearly every position almost matches
 * (page fetches included; 1024 units more per 4 KiB on a file-backed
 * drive).
 */
#include "uringblk_prog.h"
#include "count_pattern.h"

/*
 * Counts add up; a match may straddle two pieces, so they overlap by the
 * pattern's length (args[2]) less one and the overlaps' matches are taken
 * away.
 */
URINGBLK_COMBINE(count_pattern, .r0 = URINGBLK_COMBINE_SUM, .overlap_arg = 3);

SEC(URINGBLK_PROG_SEC)
__u64 count_pattern(const struct uringblk_prog_ctx *ctx)
{
	__u64 plen = ctx->args[2];

	if (plen == 0 || plen > COUNT_PATTERN_MAX)
		return uringblk_abort_einval(ctx);
	/* the pattern is read in place from the (read-only) ctx */
	return uringblk_count_pattern(0, ctx->data_len, &ctx->args[0], plen);
}
