// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * count_pattern, kernel-BPF twin of bpf/count_pattern.bpf.c: the same
 * arguments, result and errors.
 */
#include "uringblk_kbpf.h"

#define PAT_MAX		16	/* args[0..1] */

SEC(URINGBLK_KBPF_SEC)
int count_pattern(struct uringblk_prog_ctx *ctx)
{
	__u64 plen = ctx->args[2];
	__u64 pat[2] = { ctx->args[0], ctx->args[1] };

	if (plen == 0 || plen > PAT_MAX)
		return uringblk_kf_abort_einval();
	/* the verifier wants a constant-bounded size: plen is 1..16 here */
	uringblk_kf_result(uringblk_kf_count_pattern(0, ctx->data_len, pat,
						     plen & 31));
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
