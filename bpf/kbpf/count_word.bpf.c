// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * count_word, kernel-BPF twin of bpf/count_word.bpf.c: the same
 * arguments, result and errors, the words again constants of the program
 * (.rodata, which libbpf makes a frozen map).  A kfunc buffer must be
 * writable, so the chosen word is copied to the stack first.
 */
#include "uringblk_kbpf.h"

const char word[] = "Alpha";
static const char more[3][8] = { "Beta", "Gamma", "Delta" };
static const __u8 more_len[3] = { 4, 5, 5 };

/* pat = the n-th word, whose index is a constant where this is used */
#define TAKE(src, n)					\
	do {						\
		for (k = 0; k < (n); k++)		\
			pat[k] = (src)[k];		\
		len = (n);				\
	} while (0)

SEC(URINGBLK_KBPF_SEC)
int count_word(struct uringblk_prog_ctx *ctx)
{
	char pat[8] = {};
	__u32 len, k;

	switch (ctx->args[0]) {
	case 0:
		TAKE(word, sizeof(word) - 1);
		break;
	case 1:
		TAKE(more[0], more_len[0]);
		break;
	case 2:
		TAKE(more[1], more_len[1]);
		break;
	case 3:
		TAKE(more[2], more_len[2]);
		break;
	default:
		return uringblk_kf_abort_einval();
	}
	uringblk_kf_result(uringblk_kf_count_pattern(0, ctx->data_len, pat,
						     len & 7));
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
