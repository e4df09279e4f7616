// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * sum_records: sum one integer field over fixed-size records.
 *
 * The range is read as an array of records of args[0] bytes, from offset 0;
 * a partial record at the end is ignored.  In each record the field at
 * byte args[1] is an unsigned little-endian integer of args[2] bytes.
 *
 * args[0]:	record size in bytes, 1..65536
 * args[1]:	field offset inside the record
 * args[2]:	field width: 1, 2, 4 or 8, with args[1] + args[2] <= args[0]
 * r0:		the sum of the field over all records, wrapping at 2^64
 * output:	two little-endian u64: { sum, number of records } (left out
 *		if the output buffer is smaller than 16 bytes)
 * errors:	bad arguments stop the run with -EINVAL (abort "arg")
 *
 * Records of up to 256 bytes are read in 256-byte batches (one
 * uringblk_read() per batch); larger ones read just the field.
 */
#include "uringblk_prog.h"

#define BATCH		256
#define REC_MAX		65536

/*
 * Sums and record counts add up, when every piece starts at a record:
 * pieces are cut at multiples of the record size (args[0]).
 */
URINGBLK_COMBINE(sum_records, .r0 = URINGBLK_COMBINE_SUM,
		 .out = URINGBLK_COMBINE_SUM, .out_len = 2 * sizeof(__u64),
		 .align_arg = 1);

/* the little-endian integer of width bytes at p */
static __always_inline __u64 get_le(const __u8 *p, __u64 width)
{
	__u64 v = 0, i;

	for (i = width; i > 0; i--)
		v = v << 8 | p[i - 1];
	return v;
}

static __noinline __u64 sum_batched(__u64 nrec, __u64 rec, __u64 foff,
				    __u64 width)
{
	__u8 buf[BATCH];
	__u64 per = BATCH / rec, r = 0, k, i, sum = 0;

	while (r < nrec) {
		k = nrec - r < per ? nrec - r : per;
		if (uringblk_read(r * rec, buf, k * rec))
			return 0;	/* not reached: a failed read aborts */
		for (i = 0; i < k; i++)
			sum += get_le(buf + i * rec + foff, width);
		r += k;
	}
	return sum;
}

static __noinline __u64 sum_fields(__u64 nrec, __u64 rec, __u64 foff,
				   __u64 width)
{
	__u8 field[8];
	__u64 r, sum = 0;

	for (r = 0; r < nrec; r++) {
		if (uringblk_read(r * rec + foff, field, width))
			return 0;
		sum += get_le(field, width);
	}
	return sum;
}

SEC(URINGBLK_PROG_SEC)
__u64 sum_records(const struct uringblk_prog_ctx *ctx)
{
	__u64 rec = ctx->args[0], foff = ctx->args[1], width = ctx->args[2];
	__u64 *out = uringblk_out(ctx);
	__u64 nrec, sum;

	if (rec == 0 || rec > REC_MAX ||
	    (width != 1 && width != 2 && width != 4 && width != 8) ||
	    width > rec || foff > rec - width)
		return uringblk_abort_einval(ctx);
	nrec = ctx->data_len / rec;
	if (rec <= BATCH)
		sum = sum_batched(nrec, rec, foff, width);
	else
		sum = sum_fields(nrec, rec, foff, width);
	if (ctx->out_len >= 2 * sizeof(__u64)) {
		out[0] = sum;
		out[1] = nrec;
	}
	return sum;
}
