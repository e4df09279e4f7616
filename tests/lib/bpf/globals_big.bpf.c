// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Global data over the drive's limits (identify.max_globals,
 * max_rw_globals): the loader takes it, the drive refuses it (-E2BIG).
 */
#include "uringblk_prog.h"

static char big_bss[8192];			/* writable: over 4 KiB */
const char big_ro[70000] = { 1 };		/* in all: over 64 KiB */

SEC("uringblk")
__u64 big_rw(const struct uringblk_prog_ctx *ctx)
{
	big_bss[ctx->args[0] & 8191] = 1;
	return big_bss[0];
}

SEC("uringblk")
__u64 big_ro_data(const struct uringblk_prog_ctx *ctx)
{
	return big_ro[ctx->args[0] % sizeof(big_ro)];
}
