// SPDX-License-Identifier: GPL-2.0
/* Sum of the little-endian u32 words of the range, in bytecode. */
#include "uringblk_prog.h"

#define BUF	256

SEC("uringblk")
__u64 sum_bytecode(const struct uringblk_prog_ctx *ctx)
{
	__u32 buf[BUF / 4];
	__u64 off, len = ctx->data_len & ~3ULL, sum = 0;
	__u32 i, n;

	for (off = 0; off < len; off += n) {
		n = len - off < BUF ? len - off : BUF;
		if (uringblk_read(off, buf, n))
			return -1;
		for (i = 0; i < n / 4; i++)
			sum += buf[i];
	}
	return sum;
}
