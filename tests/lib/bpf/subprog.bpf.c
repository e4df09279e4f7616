// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Calls the loader must resolve: static functions in .text called from
 * two entry programs (each linked copy holds only what it calls), a
 * function called twice (copied once), a call chain three deep, and a
 * global function (its call is relocated against its own symbol instead
 * of the section's).
 */
#include "uringblk_prog.h"

static __noinline __u64 twice(__u64 x)
{
	return x * 2 + 1;
}

static __noinline __u64 thrice(__u64 x)
{
	return twice(x) * 3;
}

static __noinline __u64 chain(__u64 x)
{
	return thrice(x) + 7;
}

__noinline __u64 global_add(__u64 a, __u64 b)
{
	return a + b + 100;
}

/* r0 = chain(args[0]) + twice(args[1]) + global_add(args[2], 1) */
SEC("uringblk")
__u64 calls(const struct uringblk_prog_ctx *ctx)
{
	return chain(ctx->args[0]) + twice(ctx->args[1]) +
	       global_add(ctx->args[2], 1);
}

/* r0 = twice(args[0]) */
SEC("uringblk")
__u64 just_twice(const struct uringblk_prog_ctx *ctx)
{
	return twice(ctx->args[0]);
}

/* not a uringblk program: the loader must not offer it */
SEC("xdp")
int other(void *ctx)
{
	return ctx != 0;
}
