// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * tools/bench/kbpf: what the kernel's verifier lets a SEC("syscall")
 * program run, measured with BPF_PROG_TEST_RUN outside the drive (which
 * refuses callbacks without the tick), and the ticked loop the drive
 * accepts.
 *   loop:	bpf_loop(args[0] turns) of an empty callback, no tick
 *   nested:	bpf_loop(args[0]) of a bpf_loop(args[1]), no tick
 *   ticked:	bpf_loop(args[0]) of a callback that only ticks (the drive)
 */
#include "uringblk_kbpf.h"

static long empty(__u64 i, void *arg)
{
	(*(__u64 *)arg)++;
	return 0;
}

static long outer(__u64 i, void *arg)
{
	__u64 *a = arg;

	bpf_loop(a[1], empty, a + 2, 0);
	return 0;
}

static long tick(__u64 i, void *arg)
{
	URINGBLK_LOOP_TICK();
	(*(__u64 *)arg)++;
	return 0;
}

SEC(URINGBLK_KBPF_SEC)
int loop(struct uringblk_prog_ctx *ctx)
{
	__u64 n = 0;

	bpf_loop(ctx->args[0], empty, &n, 0);
	return n;
}

SEC(URINGBLK_KBPF_SEC)
int nested(struct uringblk_prog_ctx *ctx)
{
	__u64 a[3] = { 0, ctx->args[1], 0 };

	bpf_loop(ctx->args[0], outer, a, 0);
	return a[2];
}

SEC(URINGBLK_KBPF_SEC)
int ticked(struct uringblk_prog_ctx *ctx)
{
	__u64 n = 0;

	bpf_loop(ctx->args[0], tick, &n, 0);
	uringblk_kf_result(n);
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
