// SPDX-License-Identifier: GPL-2.0
/* __sync builtins: BPF_ATOMIC (XADD with -mcpu=v1/v2, fetch ops with v3). */
#include "uringblk_prog.h"

SEC("uringblk")
__u64 atomics(const struct uringblk_prog_ctx *ctx)
{
	__u64 *out = (__u64 *)ctx->out;
	__u64 a = ctx->args[0], r = 0;

	out[0] = a;
	__sync_fetch_and_add(&out[0], 5);		/* result unused: XADD */
#ifdef FETCH_ATOMICS	/* -mcpu=v3: clang 14 has no __BPF_CPU_VERSION__ */
	r += __sync_fetch_and_add(&out[0], 1);		/* a + 5 */
	r += __sync_fetch_and_or(&out[0], 0x100);	/* a + 6 */
	r += __sync_val_compare_and_swap(&out[0], out[0], 7);
	r += __sync_lock_test_and_set(&out[0], 9);	/* 7 */
#endif
	return r + out[0];
}
