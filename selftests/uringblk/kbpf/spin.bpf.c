// SPDX-License-Identifier: GPL-2.0
/*
 * As long a run as a program may ask for: bpf_loop() nested three deep,
 * 2^23 turns at each level (about 6e20 turns), every callback with its
 * tick.  Only the budget, device removal or the submitter's death end it:
 * the tests of termination (prog_kbpf.c, kbpf_lifetime.sh).
 * args[0] != 0: one sum_u32 of 4 KiB per innermost turn as well.
 */
#include "uringblk_kbpf.h"

#define TURNS	(1U << 23)

struct spin {
	__u64 turns;
	__u64 work;
};

static long inner(__u64 i, void *arg)
{
	struct spin *s = arg;

	URINGBLK_LOOP_TICK();
	s->turns++;
	if (s->work)
		uringblk_kf_sum_u32(0, 4096);
	return 0;
}

static long middle(__u64 i, void *arg)
{
	URINGBLK_LOOP_TICK();
	bpf_loop(TURNS, inner, arg, 0);
	return 0;
}

static long outer(__u64 i, void *arg)
{
	URINGBLK_LOOP_TICK();
	bpf_loop(TURNS, middle, arg, 0);
	return 0;
}

SEC(URINGBLK_KBPF_SEC)
int spin(struct uringblk_prog_ctx *ctx)
{
	struct spin s = { .work = ctx->args[0] };

	bpf_loop(TURNS, outer, &s, 0);
	uringblk_kf_result(s.turns);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
