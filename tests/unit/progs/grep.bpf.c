// SPDX-License-Identifier: GPL-2.0
/*
 * grep: emit every line that contains the pattern in args[0..2]
 * (args[3] bytes), once, up to the output capacity.  Returns the number
 * of matching lines (including those that did not fit).
 */
#include "uringblk_prog.h"

#define LINE_MAX	256

/* offset of the first '\n' in [off, end), or end */
static __noinline __u64 line_end(__u64 off, __u64 end)
{
	__u8 nl = '\n';
	long r = uringblk_find(off, end - off, &nl, 1);

	return r < 0 ? end : (__u64)r;
}

/* start of the line holding off: scan back in small steps */
static __noinline __u64 line_start(__u64 off)
{
	__u8 buf[64];
	__u64 lo;
	int i;

	while (off > 0) {
		lo = off > sizeof(buf) ? off - sizeof(buf) : 0;
		if (uringblk_read(lo, buf, off - lo))
			return 0;
		for (i = off - lo - 1; i >= 0; i--)
			if (buf[i] == '\n')
				return lo + i + 1;
		off = lo;
	}
	return 0;
}

SEC("uringblk")
__u64 grep(const struct uringblk_prog_ctx *ctx)
{
	__u8 line[LINE_MAX];
	__u64 off = 0, end = ctx->data_len, m, s, e, lines = 0;
	__u32 n;

	if (ctx->args[3] == 0 || ctx->args[3] > 24)
		return -1;
	while (off < end) {
		long r = uringblk_find(off, end - off, &ctx->args[0], ctx->args[3]);

		if (r < 0)
			break;
		m = r;
		s = line_start(m);
		e = line_end(m, end);
		lines++;
		n = e - s + 1 > LINE_MAX ? LINE_MAX : e - s + (e < end);
		if (uringblk_read(s, line, n))
			return -1;
		uringblk_emit(line, n);
		off = e + 1;
	}
	return lines;
}
