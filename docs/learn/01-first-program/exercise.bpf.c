// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Lesson 1: your first program.  See docs/learn/01-first-program.md.
 *
 * The drive calls this function with a read-only context (ctx) and sends
 * back what it returns (r0).  Make it return 42, then check it:
 *   make learn N=1
 */
#include "uringblk_prog.h"

SEC(URINGBLK_PROG_SEC)
__u64 first(const struct uringblk_prog_ctx *ctx)
{
	/* TODO: return 42 */
	return 0;
}
