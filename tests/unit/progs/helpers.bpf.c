// SPDX-License-Identifier: GPL-2.0
/*
 * The bulk helpers: count args[0..2] (pattern, args[3] bytes long) with
 * count_pattern, and sum/histogram with their helpers.  Returns the count;
 * the output holds { count, sum, hist[256] }.
 */
#include "uringblk_prog.h"

SEC("uringblk")
__u64 helpers(const struct uringblk_prog_ctx *ctx)
{
	__u64 *out = (__u64 *)ctx->out;
	__u64 len = ctx->data_len, count;

	if (ctx->out_len < 258 * sizeof(__u64) || ctx->args[3] > 24)
		return -1;
	count = uringblk_count_pattern(0, len, &ctx->args[0], ctx->args[3]);
	out[0] = count;
	out[1] = uringblk_sum_u32(0, len & ~3ULL);
	uringblk_histogram(0, len, &out[2]);
	return count;
}
