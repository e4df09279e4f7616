// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * grep, kernel-BPF twin of bpf/grep.bpf.c: the same arguments, output,
 * result and errors.  The search loop, whose length depends on the data,
 * is a bpf_loop(): one uringblk_kf_find() and one uringblk_kf_emit() per
 * occurrence, each turn beginning with the tick.
 */
#include "uringblk_kbpf.h"

#define PAT_MAX		16
#define GREP_MORE	(1ULL << 63)
/* bpf_loop()'s own limit; the output (1 MiB, 8 bytes a hit) ends first */
#define MAX_TURNS	(1U << 23)

struct grep {
	__u64 pat[2];
	__u64 plen;
	__u64 off;
	__u64 end;
	__u64 n;
	__u64 more;
};

static long turn(__u64 i __attribute__((unused)), void *arg)
{
	struct grep *g = arg;
	__u32 plen;
	__s64 at;

	URINGBLK_LOOP_TICK();
	if (g->off >= g->end)
		return 1;
	/* 1..16 (checked before the loop), in a form the verifier follows */
	plen = ((g->plen - 1) & (PAT_MAX - 1)) + 1;
	at = uringblk_kf_find(g->off, g->end - g->off, g->pat, plen);
	if (at < 0)
		return 1;
	/* -ENOSPC: nothing was written and the run goes on */
	if (uringblk_kf_emit(&at, sizeof(at)) < 0) {
		g->more = GREP_MORE;
		return 1;
	}
	g->n++;
	g->off = at + 1;	/* overlapping occurrences count */
	return 0;
}

SEC(URINGBLK_KBPF_SEC)
int grep(struct uringblk_prog_ctx *ctx)
{
	struct grep g = {
		.pat	= { ctx->args[0], ctx->args[1] },
		.plen	= ctx->args[2],
		.end	= ctx->data_len,
	};

	if (g.plen == 0 || g.plen > PAT_MAX)
		return uringblk_kf_abort_einval();
	bpf_loop(MAX_TURNS, turn, &g, 0);
	uringblk_kf_result(g.n | g.more);
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
