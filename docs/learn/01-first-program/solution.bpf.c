// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/* Lesson 1, solution: a program that returns a constant. */
#include "uringblk_prog.h"

SEC(URINGBLK_PROG_SEC)
__u64 first(const struct uringblk_prog_ctx *ctx)
{
	return 42;
}
