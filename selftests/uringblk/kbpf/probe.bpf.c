// SPDX-License-Identifier: GPL-2.0
/*
 * The kfuncs one at a time, with the arguments the test chooses, for the
 * sandbox tests (prog_kbpf.c): args[0] picks the kfunc, args[1] and
 * args[2] are its offset and length (or size), r0 (64 bits) is what the
 * kfunc returned.  Buffers are on the stack (256 bytes), in the output
 * (uringblk_kf_out()) or in SLM (uringblk_kf_mem()).
 */
#include "uringblk_kbpf.h"

enum { OP_READ, OP_COUNT, OP_SUM, OP_HIST_SMALL, OP_FIND, OP_EMIT,
       OP_OUT_BIG, OP_MEM, OP_READ_OUT, OP_TICK };

SEC(URINGBLK_KBPF_SEC)
int probe(struct uringblk_prog_ctx *ctx)
{
	__u64 off = ctx->args[1], len = ctx->args[2];
	/* stack lengths: 0..256 */
	__u32 n = len > 256 ? 256 : len;
	__u8 buf[256] = {};
	__u8 *p;
	long r = 0;

	switch (ctx->args[0]) {
	case OP_READ:	/* read len (0..256) bytes at off into the stack */
		r = uringblk_kf_read(off, buf, n);
		break;
	case OP_COUNT:	/* count "a" in [off, off + len) */
		buf[0] = 'a';
		r = uringblk_kf_count_pattern(off, len, buf, 1);
		break;
	case OP_SUM:
		r = uringblk_kf_sum_u32(off, len);
		break;
	case OP_HIST_SMALL:	/* a 256-byte table: too small */
		r = uringblk_kf_histogram(off, len, (__u64 *)buf, sizeof(buf));
		break;
	case OP_FIND:
		buf[0] = 'a';
		r = uringblk_kf_find(off, len, buf, 1);
		break;
	case OP_EMIT:	/* emit len (0..256) bytes */
		r = uringblk_kf_emit(buf, n);
		break;
	case OP_OUT_BIG:	/* 1 MiB of output, or NULL */
		p = uringblk_kf_out(1 << 20);
		r = p ? 1 : 0;
		if (p)
			p[(1 << 20) - 1] = 0x5a;
		break;
	case OP_MEM:	/* 8 bytes of SLM at off: store 0x1122334455667788 */
		p = uringblk_kf_mem(off, 8);
		r = p ? 1 : 0;
		if (p)
			*(__u64 *)p = 0x1122334455667788ULL;
		break;
	case OP_READ_OUT:	/* 64 bytes at off into the output */
		p = uringblk_kf_out(64);
		r = p ? uringblk_kf_read(off, p, 64) : -1;
		break;
	case OP_TICK:
		r = uringblk_kf_tick();
		break;
	default:
		return uringblk_kf_abort_einval();
	}
	uringblk_kf_result(r);
	return (int)r;
}

char LICENSE[] SEC("license") = "GPL";
