// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * count_word: how many times a word occurs in the granted range, the word
 * being a constant of the program rather than an argument: global data
 * (ABI 1.3; see "Global data" in bpf/README.md).
 *
 * args[0]:	0 counts word[] ("Alpha"); 1..3 count more[args[0] - 1]
 * r0:		number of occurrences lying wholly inside the range,
 *		overlapping ones included
 * output:	none
 * errors:	args[0] above 3 stops the run with -EINVAL (abort "arg")
 *
 * clang puts both arrays in .rodata; liburingblk's loader lays .rodata
 * out in the program's globals region, relocates the instructions that
 * take their addresses and loads the program with PROG_LOAD F_IMAGE.
 * The helper reads the pattern there like any other program memory.
 */
#include "uringblk_prog.h"

/* what one writes first: a constant string (its NUL is not counted) */
const char word[] = "Alpha";

/* a constant table: NUL-padded words and their lengths */
static const char more[3][8] = { "Beta", "Gamma", "Delta" };
static const __u8 more_len[3] = { 4, 5, 5 };

/* Counts add up; pieces overlap by the longest word (5 bytes) less one. */
URINGBLK_COMBINE(count_word, .r0 = URINGBLK_COMBINE_SUM, .overlap = 4);

SEC(URINGBLK_PROG_SEC)
__u64 count_word(const struct uringblk_prog_ctx *ctx)
{
	__u64 i = ctx->args[0];

	if (i == 0)
		return uringblk_count_pattern(0, ctx->data_len, word,
					      sizeof(word) - 1);
	if (i > 3)
		return uringblk_abort_einval(ctx);
	return uringblk_count_pattern(0, ctx->data_len, more[i - 1],
				      more_len[i - 1]);
}
