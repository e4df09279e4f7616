// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/* Global and static data in each of its sections: all refused. */
#include "uringblk_prog.h"

__u64 data_var = 5;			/* .data */
static __u64 bss_var;			/* .bss */
const volatile __u64 rodata_var = 9;	/* .rodata */

SEC("uringblk")
__u64 uses_data(const struct uringblk_prog_ctx *ctx)
{
	return data_var + ctx->args[0];
}

SEC("uringblk")
__u64 uses_bss(const struct uringblk_prog_ctx *ctx)
{
	bss_var += ctx->args[0];
	return bss_var;
}

SEC("uringblk")
__u64 uses_rodata(const struct uringblk_prog_ctx *ctx)
{
	return rodata_var * ctx->args[0];
}

/* a string literal: clang puts it in .rodata.str1.1 */
SEC("uringblk")
__u64 uses_string(const struct uringblk_prog_ctx *ctx)
{
	return uringblk_count_pattern(0, ctx->data_len, "needle in a haystack",
				      20);
}
