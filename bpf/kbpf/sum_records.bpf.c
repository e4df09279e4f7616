// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * sum_records, kernel-BPF twin of bpf/sum_records.bpf.c: the same
 * arguments, output ({ sum, records } through uringblk_kf_out()), result
 * and errors.  Records of up to 256 bytes are read in batches of about
 * 4 KiB (at most PER_MAX records) into the run's scratch (uringblk_kf_scratch(): more than a BPF
 * stack holds), larger ones field by field; each batch or field is a
 * turn of a bpf_loop(), and the records of a batch a bounded loop.
 */
#include "uringblk_kbpf.h"

#define SMALL		256	/* the interpreter's batch: records up to it */
#define BATCH		(URINGBLK_KBPF_SCRATCH - 64)	/* room to load 8 past a field */
#define REC_MAX		65536
#define MAX_TURNS	(1U << 23)	/* bpf_loop()'s limit */
/*
 * records a batch: the verifier walks every turn of the loop over them,
 * and Linux 6.12 walks the callback more than once (batch()): 1024 came
 * to 559102 instructions there, over the drive's kbpf_max_verified
 */
#define PER_MAX		256

struct sum {
	__u64 nrec, rec, foff, width;
	__u64 r, sum;
	__u8 field[8];
};

/* the little-endian integer of width (1, 2, 4 or 8) bytes at p */
static __always_inline __u64 get_le(const __u8 *p, __u64 width)
{
	__u64 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return width >= 8 ? v : v & ((1ULL << (width * 8)) - 1);
}

/*
 * Batch @t: records t * per on.  The position comes from bpf_loop()'s
 * index, which the verifier knows nothing of, not from a count kept in
 * *arg: the batch's length is a kfunc's size argument, so the verifier
 * tracks it precisely, and Linux 6.7 and later verify a callback again
 * from the state each turn leaves until two turns look alike; a running
 * count never does (6.12 gave up: "The sequence of 8193 jumps is too
 * complex", whatever PER_MAX).  6.1 verified the callback once.
 */
static long batch(__u64 t, void *arg)
{
	struct sum *s = arg;
	__u64 per, k, i, at, r;
	__u8 *buf;

	URINGBLK_LOOP_TICK();
	buf = uringblk_kf_scratch(URINGBLK_KBPF_SCRATCH);
	if (!buf || !s->rec || s->rec > SMALL || s->width > 8)
		return 1;
	per = BATCH / s->rec < PER_MAX ? BATCH / s->rec : PER_MAX;
	r = t * per;
	if (r >= s->nrec)
		return 1;
	k = s->nrec - r < per ? s->nrec - r : per;
	if (k * s->rec > BATCH ||
	    uringblk_kf_read(r * s->rec, buf, k * s->rec))
		return 1;
	for (i = 0; i < k && i < PER_MAX; i++) {
		at = i * s->rec + s->foff;
		if (at > BATCH)
			break;
		s->sum += get_le(buf + at, s->width);
	}
	return 0;
}

static long field(__u64 t __attribute__((unused)), void *arg)
{
	struct sum *s = arg;

	URINGBLK_LOOP_TICK();
	if (s->r >= s->nrec || s->width > 8)
		return 1;
	if (uringblk_kf_read(s->r * s->rec + s->foff, s->field, s->width))
		return 1;
	s->sum += get_le(s->field, s->width);
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
	/* at most 2^23 turns: 2^23 batches, or fields of records over 256 bytes */
	bpf_loop(MAX_TURNS, s.rec <= SMALL ? batch : field, &s, 0);
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
