// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * sum_records, kernel-BPF twin of bpf/sum_records.bpf.c: the same
 * arguments, output ({ sum, records } through uringblk_kf_out()), result
 * and errors.  Records of up to 256 bytes are read in 256-byte batches,
 * larger ones field by field, each batch or field a turn of a
 * bpf_loop().
 */
#include "uringblk_kbpf.h"

#define BATCH		256
#define REC_MAX		65536
#define MAX_TURNS	(1U << 23)	/* bpf_loop()'s limit */

struct sum {
	/* zeroed once (the verifier wants it initialised); 8 spare bytes */
	__u8 buf[BATCH + 8];
	__u64 nrec, rec, foff, width;
	__u64 r, sum;
};

/*
 * The little-endian integer of width (1, 2, 4 or 8) bytes at buf[at]: one
 * 8-byte load and a mask, no loop (BPF is little-endian here, as the host).
 */
static __always_inline __u64 get_le(const __u8 *buf, __u64 at, __u64 width)
{
	__u64 v;

	__builtin_memcpy(&v, buf + (at & (BATCH - 1)), sizeof(v));
	return width >= 8 ? v : v & ((1ULL << (width * 8)) - 1);
}

static long batch(__u64 t __attribute__((unused)), void *arg)
{
	struct sum *s = arg;
	__u64 per, k, i, at;

	URINGBLK_LOOP_TICK();
	if (s->r >= s->nrec || !s->rec || s->rec > BATCH || s->width > 8)
		return 1;
	per = BATCH / s->rec;
	k = s->nrec - s->r < per ? s->nrec - s->r : per;
	if (k * s->rec > BATCH ||
	    uringblk_kf_read(s->r * s->rec, s->buf, k * s->rec))
		return 1;
	for (i = 0; i < k && i < BATCH; i++) {
		at = i * s->rec + s->foff;
		s->sum += get_le(s->buf, at, s->width);
	}
	s->r += k;
	return 0;
}

static long field(__u64 t __attribute__((unused)), void *arg)
{
	struct sum *s = arg;

	URINGBLK_LOOP_TICK();
	if (s->r >= s->nrec || s->width > 8)
		return 1;
	if (uringblk_kf_read(s->r * s->rec + s->foff, s->buf, s->width))
		return 1;
	s->sum += get_le(s->buf, 0, s->width);
	s->r++;
	return 0;
}

SEC(URINGBLK_KBPF_SEC)
int sum_records(struct uringblk_prog_ctx *ctx)
{
	struct sum s = {};
	__u64 *out;

	s.rec = ctx->args[0];
	s.foff = ctx->args[1];
	s.width = ctx->args[2];
	if (s.rec == 0 || s.rec > REC_MAX ||
	    (s.width != 1 && s.width != 2 && s.width != 4 && s.width != 8) ||
	    s.width > s.rec || s.foff > s.rec - s.width)
		return uringblk_kf_abort_einval();
	s.nrec = ctx->data_len / s.rec;
	/* at most 2^23 turns: 2^23 batches or fields of the range */
	bpf_loop(MAX_TURNS, s.rec <= BATCH ? batch : field, &s, 0);
	if (ctx->out_len >= 2 * sizeof(__u64)) {
		out = (__u64 *)uringblk_kf_out(2 * sizeof(__u64));
		if (out) {
			out[0] = s.sum;
			out[1] = s.nrec;
		}
	}
	uringblk_kf_result(s.sum);
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
