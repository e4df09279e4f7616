// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/* Kernel-side externs: a kconfig value, a kfunc, a callback pointer. */
#include "uringblk_prog.h"

extern int LINUX_KERNEL_VERSION __attribute__((section(".kconfig"), weak));
extern void bpf_rcu_read_lock(void) __attribute__((section(".ksyms")));

static long (*bpf_loop)(__u32 nr, void *cb, void *cb_ctx, __u64 flags) =
	(void *)181;

SEC("uringblk")
__u64 uses_kconfig(const struct uringblk_prog_ctx *ctx)
{
	return LINUX_KERNEL_VERSION + ctx->args[0];
}

SEC("uringblk")
__u64 uses_kfunc(const struct uringblk_prog_ctx *ctx)
{
	bpf_rcu_read_lock();
	return ctx->args[0];
}

static __noinline long step(__u32 i, void *c)
{
	*(__u64 *)c += i;
	return 0;
}

SEC("uringblk")
__u64 uses_callback(const struct uringblk_prog_ctx *ctx)
{
	__u64 sum = ctx->args[0];

	bpf_loop(10, step, &sum, 0);
	return sum;
}
