// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * A table of pointers in global data: the data itself has relocations,
 * which the loader does not apply; it refuses the section.
 */
#include "uringblk_prog.h"

/* Pointers in global data need relocating the data: refused. */
static const char *const names[2] = { "one", "two" };

SEC("uringblk")
__u64 pointer_table(const struct uringblk_prog_ctx *ctx)
{
	return (unsigned char)names[ctx->args[0] & 1][0];
}

