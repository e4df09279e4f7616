// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The 1.11 _args calls that send no command, and the old calls that wrap
 * them: uringblk_prog_read_file_args(), uringblk_query_decode_args(),
 * uringblk_split_combine_args() and uringblk_vec_topk_host_args().  Each
 * struct's size rule (args.h), then the same inputs through the new call
 * and the old, compared: return value, outputs, message.
 */
#include <stdint.h>
#include <stdlib.h>

#include "private.h"
#include "query.h"
#include "test.h"
#include "args.h"

#ifndef TEST_BPF_DIR
#error "TEST_BPF_DIR: directory of the objects built from tests/lib/bpf"
#endif

static void read_both(const char *obj, const char *prog)
{
	char path[512], log1[256], log2[256];
	char name1[URINGBLK_PROG_NAME_LEN + 1] = "", name2[sizeof(name1)] = "";
	struct bpf_insn *i1 = NULL, *i2 = NULL;
	unsigned int c1 = 0, c2 = 0;
	struct uringblk_prog_read_file_args a = {
		.size = sizeof(a), .path = path, .prog_name = prog,
		.name = name2, .log = log2, .log_len = sizeof(log2),
	};
	int r1, r2;

	snprintf(path, sizeof(path), "%s/%s", TEST_BPF_DIR, obj);
	r1 = uringblk_prog_read_file(path, prog, &i1, &c1, name1, log1,
				     sizeof(log1));
	r2 = uringblk_prog_read_file_args(&a, &i2, &c2);
	CHECK_EQ(r1, r2);
	CHECK_STR(log1, log2);
	if (!r1 && !r2) {
		CHECK(c1 > 0);
		CHECK_EQ(c1, c2);
		CHECK(!memcmp(i1, i2, c1 * sizeof(*i1)));
		CHECK_STR(name1, name2);
		free(i1);
		free(i2);
	}
}

static void test_read_file(void)
{
	struct uringblk_prog_read_file_args a = {
		.size = sizeof(a), .path = TEST_BPF_DIR "/subprog.bpf.o",
	};
	struct bpf_insn *insns = (struct bpf_insn *)&a;	/* not written */
	unsigned int cnt = 77;
	char log[64];

	CHECK_SIZE_RULE(struct uringblk_prog_read_file_args, a,
			uringblk_prog_read_file_args(P, &insns, &cnt));
	/* refused before the log is touched */
	memset(log, 'x', sizeof(log));
	a.log = log;
	a.log_len = sizeof(log);
	a.flags = 4;
	CHECK_EQ(uringblk_prog_read_file_args(&a, &insns, &cnt), -EINVAL);
	CHECK_EQ(log[0], 'x');
	CHECK(insns == (struct bpf_insn *)&a);
	CHECK_EQ(cnt, 77);
	a.flags = 0;
	CHECK_EQ(uringblk_prog_read_file_args(&a, NULL, &cnt), -EINVAL);
	CHECK_STR(log, "");

	read_both("subprog.bpf.o", "calls");
	read_both("subprog.bpf.o", "other");
	read_both("subprog.bpf.o", NULL);	/* several: refused */
	read_both("subprog.bpf.o", "nosuch");
	read_both("global.bpf.o", NULL);	/* global data: refused */
	read_both("map.bpf.o", NULL);
	read_both("nosuch.bpf.o", NULL);
}

static void put64(unsigned char *o, size_t off, __u64 v)
{
	memcpy(o + off, &v, sizeof(v));
}

static void decode_both(const struct uringblk_query *q, __u64 r0,
			const void *out, size_t out_len, int want)
{
	struct uringblk_query_result r1, r2;
	char e1[256] = "", e2[256] = "";
	const struct uringblk_query_decode_args a = {
		.size = sizeof(a), .r0 = r0, .out = out, .out_len = out_len,
		.err = e2, .errlen = sizeof(e2),
	};

	CHECK_EQ(uringblk_query_decode(q, r0, out, out_len, &r1, e1,
				       sizeof(e1)), want);
	CHECK_EQ(uringblk_query_decode_args(q, &a, &r2), want);
	CHECK_STR(e1, e2);
	CHECK_EQ(r1.records, r2.records);
	CHECK_EQ(r1.matched, r2.matched);
	CHECK_EQ(r1.ngroups, r2.ngroups);
	if (r1.ngroups == r2.ngroups)
		for (unsigned int i = 0; i < r1.ngroups; i++) {
			CHECK_EQ(r1.groups[i].key, r2.groups[i].key);
			CHECK_EQ(r1.groups[i].count, r2.groups[i].count);
			CHECK_EQ(r1.groups[i].val[0], r2.groups[i].val[0]);
		}
	uringblk_query_result_free(&r1);
	uringblk_query_result_free(&r2);
}

static void test_query_decode(void)
{
	struct uringblk_query *q;
	struct uringblk_query_result res;
	char err[256];
	unsigned char *o;
	size_t full;
	struct uringblk_query_decode_args a = {
		.size = sizeof(a), .err = err, .errlen = sizeof(err),
	};

	if (uringblk_query_compile("SELECT $1, count(*), sum($2) GROUP BY $1",
				   NULL, &q, err, sizeof(err))) {
		CHECK_STR(err, "");
		return;
	}
	full = uringblk_query_out_len(q);
	o = calloc(1, full + 8);
	CHECK(o != NULL);
	if (!o)
		goto out;
	a.out = o;
	a.out_len = full;
	memset(&res, 0x5a, sizeof(res));
	CHECK_SIZE_RULE(struct uringblk_query_decode_args, a,
			uringblk_query_decode_args(q, P, &res));
	CHECK_EQ(res.records, 0x5a5a5a5a5a5a5a5aULL);	/* refused: untouched */

	/* a result of three records, two groups */
	put64(o, QOUT_RECORDS, 3);
	put64(o, QOUT_MATCHED, 3);
	put64(o, QOUT_GROUPS, 2);
	put64(o, QOUT_MAGIC, QOUT_MAGIC_VAL);
	put64(o, QOUT_HDR, 9);			/* key */
	put64(o, QOUT_HDR + 8, 1);		/* count */
	put64(o, QOUT_HDR + 16, 40);		/* sum */
	put64(o, QOUT_HDR + query_entry_size(q), 4);
	put64(o, QOUT_HDR + query_entry_size(q) + 8, 2);
	put64(o, QOUT_HDR + query_entry_size(q) + 16, 7);
	decode_both(q, 0, o, full, 0);
	decode_both(q, 0, o, QOUT_HDR + 2 * query_entry_size(q), 0);
	decode_both(q, 2, o, full, -EPROTO);		/* r0 neither 0 nor overflow */
	decode_both(q, QUERY_R0_OVERFLOW, o, full, -E2BIG);
	decode_both(q, 0, o, full + 8, -EPROTO);	/* too long */
	put64(o, QOUT_GROUPS, 3);
	decode_both(q, 0, o, full, -EPROTO);		/* count mismatch */
	put64(o, QOUT_MAGIC, 0);
	decode_both(q, 0, o, full, -EPROTO);
	free(o);
out:
	uringblk_query_free(q);
}

static void combine_both(const struct uringblk_prog_combine *cb,
			 const struct uringblk_split_piece *pieces,
			 unsigned int n, const struct uringblk_exec_result *results,
			 const void *const *outs, size_t out_len, int want)
{
	struct uringblk_exec_result r1, r2;
	__u64 o1[4], o2[4];
	const struct uringblk_split_combine_args a = {
		.size = sizeof(a), .pieces = pieces, .n = n, .results = results,
		.outs = outs, .out = o2, .out_len = out_len,
	};

	memset(&r1, 0x11, sizeof(r1));
	memset(&r2, 0x11, sizeof(r2));
	memset(o1, 0x22, sizeof(o1));
	memset(o2, 0x22, sizeof(o2));
	CHECK_EQ(uringblk_split_combine(cb, pieces, n, results, outs, &r1, o1,
					out_len), want);
	CHECK_EQ(uringblk_split_combine_args(cb, &a, &r2), want);
	CHECK(!memcmp(&r1, &r2, sizeof(r1)));
	CHECK(!memcmp(o1, o2, sizeof(o1)));
}

static void test_split_combine(void)
{
	struct uringblk_prog_combine cb = {
		.r0 = URINGBLK_COMBINE_SUM, .out = URINGBLK_COMBINE_MAX,
		.out_len = 16,
	};
	const struct uringblk_split_piece pieces[3] = {
		{ .lba_start = 0, .lba_count = 9, .sign = 1 },
		{ .lba_start = 8, .lba_count = 1, .sign = -1 },
		{ .lba_start = 8, .lba_count = 8, .sign = 1 },
	};
	const struct uringblk_exec_result results[3] = {
		{ .r0 = 10, .insns = 100, .bytes_scanned = 4608 },
		{ .r0 = 1, .insns = 7, .bytes_scanned = 512 },
		{ .r0 = 5, .insns = 90, .bytes_scanned = 4096 },
	};
	const __u64 out0[2] = { 3, 9 }, out1[2] = { 1, 1 }, out2[2] = { 8, 2 };
	const void *const outs[3] = { out0, out1, out2 };
	struct uringblk_split_combine_args a = {
		.size = sizeof(a), .pieces = pieces, .n = 3, .results = results,
		.outs = outs, .out = (void *)out0, .out_len = 16,
	};
	struct uringblk_exec_result res = { .r0 = 99 };

	CHECK_SIZE_RULE(struct uringblk_split_combine_args, a,
			uringblk_split_combine_args(&cb, P, &res));
	CHECK_EQ(res.r0, 99);
	CHECK_EQ(out0[0], 3);

	combine_both(&cb, pieces, 3, results, outs, 32, 0);
	combine_both(&cb, pieces, 3, results, outs, 8, -ENOSPC);
	combine_both(&cb, pieces, 0, results, outs, 32, -EINVAL);
	combine_both(NULL, pieces, 3, results, outs, 32, -EINVAL);
	cb.r0 = URINGBLK_COMBINE_NONZERO;
	combine_both(&cb, pieces, 3, results, outs, 32, 0);
	cb.out = URINGBLK_COMBINE_NONE;
	cb.r0 = URINGBLK_COMBINE_MIN;
	combine_both(&cb, pieces, 3, results, NULL, 0, 0);
	cb.r0 = URINGBLK_COMBINE_NONE;
	combine_both(&cb, pieces, 3, results, NULL, 0, -EOPNOTSUPP);
}

static void topk_both(const __s8 *vecs, __u64 n, __u32 dim, const __s8 *query,
		      __u32 k, __u32 metric)
{
	struct uringblk_vec_hit h1[16], h2[16];
	const struct uringblk_vec_topk_host_args a = {
		.size = sizeof(a), .vecs = vecs, .n = n, .dim = dim, .k = k,
		.metric = metric, .query = query,
	};
	int r1, r2;

	memset(h1, 0, sizeof(h1));
	memset(h2, 0, sizeof(h2));
	r1 = uringblk_vec_topk_host(vecs, n, dim, query, k, metric, h1);
	r2 = uringblk_vec_topk_host_args(&a, h2);
	CHECK_EQ(r1, r2);
	CHECK(!memcmp(h1, h2, sizeof(h1)));
}

static void test_vec_topk_host(void)
{
	__s8 vecs[64 * 8], query[8];
	struct uringblk_vec_hit hits[4] = { { .index = 5 } };
	struct uringblk_vec_topk_host_args a = {
		.size = sizeof(a), .vecs = vecs, .n = 64, .dim = 8, .k = 4,
		.query = query,
	};

	for (size_t i = 0; i < sizeof(vecs); i++)
		vecs[i] = (__s8)((i * 37 + 11) % 251 - 125);
	for (size_t i = 0; i < sizeof(query); i++)
		query[i] = (__s8)(i * 13 % 50 - 25);
	CHECK_SIZE_RULE(struct uringblk_vec_topk_host_args, a,
			uringblk_vec_topk_host_args(P, hits));
	CHECK_EQ(hits[0].index, 5);
	CHECK_EQ(uringblk_vec_topk_host_args(&a, hits), 4);

	topk_both(vecs, 64, 8, query, 4, URINGBLK_VEC_DOT);
	topk_both(vecs, 64, 8, query, 16, URINGBLK_VEC_L2SQ);
	topk_both(vecs, 3, 8, query, 16, URINGBLK_VEC_DOT);	/* n < k */
	topk_both(vecs, 0, 8, query, 4, URINGBLK_VEC_DOT);
	topk_both(NULL, 2, 8, query, 4, URINGBLK_VEC_DOT);	/* -EINVAL */
	topk_both(vecs, 64, 8, query, 0, URINGBLK_VEC_DOT);
	topk_both(vecs, 64, 0, query, 4, URINGBLK_VEC_DOT);
	topk_both(vecs, 64, 8, query, 4, 2);
}

int main(void)
{
	test_read_file();
	test_query_decode();
	test_split_combine();
	test_vec_topk_host();
	return test_summary("pure_args");
}
