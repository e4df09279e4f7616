// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Well-formed for the loader, refused by the drive: helper 99 does not
 * exist there.  The loader cannot tell (kernel helpers share the numbers),
 * so it hands the program on and the drive's validator says why.
 */
#include "uringblk_prog.h"

static long (*no_such_helper)(__u64 x) = (void *)99;

SEC("uringblk")
__u64 badhelper(const struct uringblk_prog_ctx *ctx)
{
	return no_such_helper(ctx->args[0]);
}
