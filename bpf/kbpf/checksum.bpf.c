// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * checksum, kernel-BPF twin of bpf/checksum.bpf.c: the same arguments,
 * result and errors.  CRC-32 and CRC-32C are the same nibble-table loop
 * in JIT-compiled code: a bpf_loop() over 256-byte chunks (its length
 * depends on the range), a bounded loop over each chunk's bytes.
 */
#include "uringblk_kbpf.h"

#define CK_SUM32	0
#define CK_CRC32	1
#define CK_CRC32C	2

#define CRC32_POLY	0xedb88320U	/* reflected 0x04c11db7 */
#define CRC32C_POLY	0x82f63b78U	/* reflected 0x1edc6f41 */
#define CHUNK		256		/* bytes read per uringblk_kf_read() */
#define MAX_CHUNKS	(1U << 23)	/* bpf_loop()'s limit: 2 GiB */

struct crc {
	__u32 tab[16];
	__u32 crc;
	__u64 off;
	__u64 len;
};

static long chunk(__u64 k __attribute__((unused)), void *arg)
{
	struct crc *c = arg;
	__u8 buf[CHUNK];
	__u64 n, i;
	__u32 crc;

	URINGBLK_LOOP_TICK();
	if (c->off >= c->len)
		return 1;
	n = c->len - c->off < CHUNK ? c->len - c->off : CHUNK;
	if (uringblk_kf_read(c->off, buf, n))
		return 1;	/* the run stopped: its errno is the answer */
	crc = c->crc;
	for (i = 0; i < n && i < CHUNK; i++) {
		crc ^= buf[i];
		crc = (crc >> 4) ^ c->tab[crc & 15];
		crc = (crc >> 4) ^ c->tab[crc & 15];
	}
	c->crc = crc;
	c->off += n;
	return 0;
}

/* CRC of [0, len) with the reflected polynomial poly, pre- and post-inverted */
static __u32 crc32_range(__u64 len, __u32 poly)
{
	struct crc c = { .crc = 0xffffffffU, .len = len };
	int k, j;

	for (k = 0; k < 16; k++) {
		__u32 v = k;

		for (j = 0; j < 4; j++)
			v = v & 1 ? (v >> 1) ^ poly : v >> 1;
		c.tab[k] = v;
	}
	bpf_loop(MAX_CHUNKS, chunk, &c, 0);
	return c.crc ^ 0xffffffffU;
}

SEC(URINGBLK_KBPF_SEC)
int checksum(struct uringblk_prog_ctx *ctx)
{
	switch (ctx->args[0]) {
	case CK_SUM32:
		uringblk_kf_result(uringblk_kf_sum_u32(0, ctx->data_len));
		return 0;
	case CK_CRC32:
		uringblk_kf_result(crc32_range(ctx->data_len, CRC32_POLY));
		return 0;
	case CK_CRC32C:
		uringblk_kf_result(crc32_range(ctx->data_len, CRC32C_POLY));
		return 0;
	}
	return uringblk_kf_abort_einval();
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
