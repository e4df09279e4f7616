// SPDX-License-Identifier: GPL-2.0
/* bpf-to-bpf calls: recursive fib(args[0]); depth args[0] frames. */
#include "uringblk_prog.h"

static __noinline __u64 fib(__u64 n)
{
	if (n < 2)
		return n;
	return fib(n - 1) + fib(n - 2);
}

SEC("uringblk")
__u64 fib_entry(const struct uringblk_prog_ctx *ctx)
{
	return fib(ctx->args[0]);
}
