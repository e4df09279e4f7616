// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * minmax: the smallest and the largest little-endian u32 of the granted
 * range, two programs in one object (load one with --section-prog or
 * uringblk_prog_read_obj()'s prog_name).
 *
 * min_u32	r0: the smallest u32 (0xffffffff for an empty range)
 * max_u32	r0: the largest u32 (0 for an empty range)
 * args:	none
 * output:	none
 *
 * The range is whole logical blocks, so whole u32s; read 256 bytes at a
 * time.  Both declare how their results combine (the minimum of minimums,
 * the maximum of maximums), so a scan splits over the drive's compute
 * units: `uringblk exec --split`.
 */
#include "uringblk_prog.h"

#define CHUNK	256

URINGBLK_COMBINE(min_u32, .r0 = URINGBLK_COMBINE_MIN);
URINGBLK_COMBINE(max_u32, .r0 = URINGBLK_COMBINE_MAX);

/* the largest u32 of [0, len) xor @flip: with flip ~0 the smallest, flipped */
static __noinline __u32 max_xor(__u64 len, __u32 flip)
{
	__u32 buf[CHUNK / 4], best = 0, v;
	__u64 off, n, i;

	for (off = 0; off < len; off += n) {
		n = len - off < CHUNK ? len - off : CHUNK;
		if (uringblk_read(off, buf, n))
			return 0;	/* not reached: a failed read aborts */
		for (i = 0; i < n / 4; i++) {
			v = buf[i] ^ flip;
			best = v > best ? v : best;
		}
	}
	return best;
}

SEC(URINGBLK_PROG_SEC)
__u64 min_u32(const struct uringblk_prog_ctx *ctx)
{
	return max_xor(ctx->data_len, 0xffffffffU) ^ 0xffffffffU;
}

SEC(URINGBLK_PROG_SEC)
__u64 max_u32(const struct uringblk_prog_ctx *ctx)
{
	return max_xor(ctx->data_len, 0);
}
