// SPDX-License-Identifier: GPL-2.0
/* Byte histogram of the range into the output buffer (u64[256]), in bytecode. */
#include "uringblk_prog.h"

#define BUF	256

SEC("uringblk")
__u64 hist_bytecode(const struct uringblk_prog_ctx *ctx)
{
	__u64 *hist = (__u64 *)ctx->out;
	__u8 buf[BUF];
	__u64 off, len = ctx->data_len;
	__u32 i, n;

	if (ctx->out_len < 256 * sizeof(__u64))
		return -1;
	for (off = 0; off < len; off += n) {
		n = len - off < BUF ? len - off : BUF;
		if (uringblk_read(off, buf, n))
			return -1;
		for (i = 0; i < n; i++)
			hist[buf[i]]++;
	}
	return len;
}
