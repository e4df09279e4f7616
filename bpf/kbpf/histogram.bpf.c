// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * histogram, kernel-BPF twin of bpf/histogram.bpf.c: the same output
 * (256 u64 counts in the output buffer, which uringblk_kf_out() hands
 * out), result and errors.
 */
#include "uringblk_kbpf.h"

#define BINS	256

SEC(URINGBLK_KBPF_SEC)
int histogram(struct uringblk_prog_ctx *ctx)
{
	__u64 *hist = (__u64 *)uringblk_kf_out(BINS * sizeof(__u64));
	__u64 distinct = 0;
	int b;

	if (!hist)	/* the output buffer is smaller */
		return uringblk_kf_abort_einval();
	uringblk_kf_histogram(0, ctx->data_len, hist, BINS * sizeof(__u64));
	for (b = 0; b < BINS; b++)
		distinct += hist[b] != 0;
	uringblk_kf_result(distinct);
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
