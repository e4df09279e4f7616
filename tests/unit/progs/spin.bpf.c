// SPDX-License-Identifier: GPL-2.0
/* Never ends: the budget must stop it (-ETIME). */
#include "uringblk_prog.h"

SEC("uringblk")
__u64 spin(const struct uringblk_prog_ctx *ctx)
{
	volatile __u64 x = ctx->args[0];

	for (;;)
		x++;
	return x;
}
