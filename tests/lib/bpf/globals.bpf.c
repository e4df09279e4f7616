// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Global data in every section clang makes of it: .rodata (a string, a
 * table), .rodata.str1.1 (a string literal), .data and .bss, used from
 * the entry and from a called function.  all_sections computes
 * globals_ref() (globals.h); each run must start from the loaded image.
 */
#include "uringblk_prog.h"
#include "globals.h"

const char word[] = GLOBALS_WORD;			/* .rodata */
static const __u32 table[4] = GLOBALS_TABLE;		/* .rodata* */
__u64 data_a = GLOBALS_DATA_INIT;			/* .data */
static __u64 bss_b;					/* .bss */
static __u32 bss_arr[64];				/* .bss */

/* stores to .data from another function: the relocation is in .text */
static __attribute__((noinline)) __u64 sub(__u64 i)
{
	data_a += table[i & 3];
	return data_a;
}

SEC("uringblk")
__u64 all_sections(const struct uringblk_prog_ctx *ctx)
{
	__u64 a = ctx->args[0], b = ctx->args[1], r;

	bss_b += a + 1;
	bss_arr[a & 63] += 7;
	r = sub(a);
	r += bss_b;
	r += bss_arr[a & 63];
	r += (unsigned char)word[b % 5];
	r += (unsigned char)"xyz"[b & 1];		/* .rodata.str1.1 */
	return r;
}

/* A store to .rodata (casting const away): the drive aborts it. */
SEC("uringblk")
__u64 store_rodata(const struct uringblk_prog_ctx *ctx)
{
	volatile char *p = (volatile char *)word;

	p[ctx->args[0] & 3] = 'X';
	return p[0];
}

/* No global data at all: loaded with a plain PROG_LOAD. */
SEC("uringblk")
__u64 no_globals(const struct uringblk_prog_ctx *ctx)
{
	return ctx->args[0] + 1;
}
