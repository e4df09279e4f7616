// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * TPC-H natively: the lineitem generator (determinism, the spec's value
 * rules), the host Q6/Q1 over text and binary rows (which must agree),
 * the record helpers (program helpers 7..9) through bpf/rec_probe, and
 * the six TPC-H programs of bpf/ in the drive's own VM (driver/sandbox/prog_*.c),
 * each against the host's answer, in windows of several sizes (whole,
 * 4 KiB, 7 bytes: records and numbers across windows), every run also
 * made with yields (vm_run) and its helper work checked against its
 * charge; uringblk_rec_parse() called from every record start gives the
 * same rows and work in every window size.
 *
 * usage: tpch <dir of bpf/ objects>
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <liburingblk.h>

#include "../../tools/tpch/lineitem.h"
#include "vm.h"

#define BUDGET		(1ULL << 36)

static uint8_t out[URINGBLK_MAX_EXEC_OUT];
static const char *bpf_dir;
static int passed, failed;
static uint64_t chunk;

#define CHECK_CONTEXT()	fprintf(stderr, " (chunk %llu)", (unsigned long long)chunk)
#include "../check.h"

struct prog {
	struct uringblk_prog_obj po;
};

static struct prog load(const char *obj)
{
	char path[512], log[1024];
	struct prog p = { 0 };

	snprintf(path, sizeof(path), "%s/%s", bpf_dir, obj);
	if (uringblk_prog_read_obj(path, NULL, &p.po, log, sizeof(log))) {
		fprintf(stderr, "%s: %s\n", path, log);
		exit(2);
	}
	/* the drive's identify.max_rw_globals (driver/uringblk.h) */
	CHECK(p.po.data_len + p.po.bss_len <= 4096,
	      "%s: %u bytes of writable globals, the drive takes 4096", obj,
	      p.po.data_len + p.po.bss_len);
	return p;
}

static struct vm_result run(const struct prog *p, const void *data,
			    uint64_t len, uint64_t a0, uint64_t a1,
			    uint64_t a2, uint32_t out_len, uint64_t budget)
{
	uint64_t args[3] = { a0, a1, a2 };
	struct vm_result r;
	char msg[256] = "";

	memset(out, 0, sizeof(out));
	/*
	 * vm_set_globals() takes a NULL image for "no globals", and the
	 * loader's image is NULL for a program with only .bss: give it an
	 * empty one instead.
	 */
	vm_set_globals(p->po.globals ? p->po.globals : (const void *)"",
		       p->po.rodata_len, p->po.data_len, p->po.bss_len);
	if (vm_run(p->po.insns, p->po.insn_cnt, data, len, chunk, args, out,
		   out_len, budget, &r, msg, sizeof(msg))) {
		fprintf(stderr, "validator: %s\n", msg);
		exit(2);
	}
	vm_set_globals(NULL, 0, 0, 0);
	CHECK(r.work_bounded, "helper work beyond the %llu units charged",
	      (unsigned long long)r.insns);
	CHECK(!r.yield_error, "%s", r.yield_error);
	return r;
}

/* a generated table: text and binary */
struct table {
	char *text;
	size_t text_len;
	struct tpch_row *rows;
	size_t nrows;
};

static void make_table(struct table *t, double sf, uint64_t seed)
{
	struct tpch_gen g;
	struct tpch_line l;
	size_t cap = 1 << 20, rcap = 1 << 14;

	memset(t, 0, sizeof(*t));
	t->text = malloc(cap);
	t->rows = malloc(rcap * sizeof(*t->rows));
	if (tpch_gen_init(&g, sf, seed))
		exit(2);
	while (tpch_gen_next(&g, &l)) {
		if (t->text_len + 256 > cap)
			t->text = realloc(t->text, cap *= 2);
		if (t->nrows == rcap)
			t->rows = realloc(t->rows, (rcap *= 2) * sizeof(*t->rows));
		t->text_len += tpch_line_text(&l, t->text + t->text_len);
		t->rows[t->nrows++] = l.r;
	}
}

static void free_table(struct table *t)
{
	free(t->text);
	free(t->rows);
}

static void test_generator(void)
{
	struct tpch_gen g;
	struct tpch_line l;
	struct table a, b, c;
	int qty[51] = { 0 }, disc[11] = { 0 }, tax[9] = { 0 }, bad = 0;
	uint32_t lo = 99999999, hi = 0, lines = 0, maxline = 0;
	uint64_t n = 0;

	make_table(&a, 0.001, 42);
	make_table(&b, 0.001, 42);
	make_table(&c, 0.001, 43);
	CHECK(a.text_len == b.text_len && !memcmp(a.text, b.text, a.text_len),
	      "same seed, different tables");
	CHECK(a.text_len != c.text_len || memcmp(a.text, c.text, a.text_len),
	      "another seed, same table");
	free_table(&a);
	free_table(&b);
	free_table(&c);

	CHECK(tpch_gen_init(&g, 0, 1) && tpch_gen_init(&g, 11, 1),
	      "scale factors 0 and 11 accepted");
	tpch_gen_init(&g, 0.01, 1);
	while (tpch_gen_next(&g, &l)) {
		const struct tpch_row *r = &l.r;
		int64_t retail = 90000 + (r->partkey / 10) % 20001 +
				 100 * (r->partkey % 1000);

		n++;
		if (r->quantity < 1 || r->quantity > 50 || r->discount > 10 ||
		    r->tax > 8 || r->partkey < 1 || r->partkey > 2000 ||
		    r->suppkey < 1 || r->suppkey > 100 ||
		    r->extendedprice != r->quantity * retail)
			bad++;
		qty[r->quantity]++;
		disc[r->discount]++;
		tax[r->tax]++;
		lo = r->shipdate < lo ? r->shipdate : lo;
		hi = r->shipdate > hi ? r->shipdate : hi;
		if (r->returnflag != (l.receiptdate > 19950617 ? 'N' :
				      r->returnflag == 'R' ? 'R' : 'A'))
			bad++;
		if (r->linestatus != (r->shipdate > 19950617 ? 'O' : 'F'))
			bad++;
		if (l.receiptdate <= r->shipdate ||
		    tpch_days(l.receiptdate) - tpch_days(r->shipdate) > 30)
			bad++;
		lines += r->linenumber == 1;
		maxline = r->linenumber > maxline ? r->linenumber : maxline;
		if (tpch_ymd(tpch_days(r->shipdate)) != r->shipdate)
			bad++;
	}
	CHECK(!bad, "%d rows break the spec's rules", bad);
	/* 15000 orders of 1..7 lines: 4 on average */
	CHECK(lines == 15000 && n > 55000 && n < 65000 && maxline == 7,
	      "%u orders, %llu rows, at most %u lines", lines,
	      (unsigned long long)n, maxline);
	for (int i = 1; i <= 50; i++)
		CHECK((uint64_t)qty[i] > n / 50 / 2, "quantity %d: %d rows", i, qty[i]);
	for (int i = 0; i <= 10; i++)
		CHECK((uint64_t)disc[i] > n / 11 / 2, "discount %d: %d rows", i, disc[i]);
	for (int i = 0; i <= 8; i++)
		CHECK((uint64_t)tax[i] > n / 9 / 2, "tax %d: %d rows", i, tax[i]);
	CHECK(lo >= 19920102 && hi <= 19981201 && lo < 19920201 &&
	      hi > 19981101, "shipdates %u..%u", lo, hi);
}

/* text == binary on the host, fed whole and in odd pieces */
static void test_host(const struct table *t, struct tpch_result *want)
{
	struct tpch_result r1, r2;
	struct tpch_carry c1 = { .len = 0 }, c2 = { .len = 0 };
	size_t i, k, blen = t->nrows * sizeof(*t->rows);

	tpch_result_init(want);
	tpch_feed_text(want, &c1, t->text, t->text_len, 1);
	tpch_result_init(&r1);
	tpch_result_init(&r2);
	for (i = 0; i < t->text_len; i += k) {
		k = t->text_len - i < 997 ? t->text_len - i : 997;
		tpch_feed_text(&r1, &c2, t->text + i, k, 0);
	}
	tpch_feed_text(&r1, &c2, NULL, 0, 1);
	for (i = 0; i < blen; i += k) {
		k = blen - i < 45 ? blen - i : 45;
		tpch_feed_bin(&r2, &c1, (const char *)t->rows + i, k);
	}
	CHECK(!want->bad && want->rows == t->nrows, "%d bad of %llu rows",
	      want->bad, (unsigned long long)want->rows);
	CHECK(!memcmp(&r1, want, sizeof(r1)), "text in pieces differs");
	CHECK(!memcmp(&r2, want, sizeof(r2)), "binary differs from text");
}

/*
 * uringblk-tpch sizes its default budget with uringblk_prog_budget(): it
 * must cover the run (the _ref programs outran the drive's default at
 * SF 0.01)
 */
static void check_budget(const struct prog *p, const char *name,
			 const struct vm_result *r, uint64_t len)
{
	uint64_t b = uringblk_prog_budget(p->po.insns, p->po.insn_cnt, len);

	CHECK(r->insns <= b, "%s: %llu units over %llu bytes, budget %llu",
	      name, (unsigned long long)r->insns, (unsigned long long)len,
	      (unsigned long long)b);
	if (getenv("TPCH_BUDGET_VERBOSE"))
		printf("%s: %llu bytes, %llu units (%.1f a byte), budget %llu\n",
		       name, (unsigned long long)len,
		       (unsigned long long)r->insns,
		       (double)r->insns / (double)(len ? len : 1),
		       (unsigned long long)b);
}

static void test_queries(const struct table *t, const struct tpch_result *want)
{
	static const char *const q6[] = {
		"tpch_q6_text.bpf.o", "tpch_q6_ref.bpf.o", "tpch_q6_bin.bpf.o",
	};
	static const char *const q1[] = {
		"tpch_q1_text.bpf.o", "tpch_q1_ref.bpf.o", "tpch_q1_bin.bpf.o",
	};
	uint64_t blen = t->nrows * sizeof(*t->rows);
	struct vm_result r;
	int64_t o[3];

	for (int i = 0; i < 3; i++) {
		struct prog p = load(q6[i]);
		bool bin = i == 2;

		r = run(&p, bin ? (void *)t->rows : t->text,
			bin ? blen : t->text_len, 0, 0, 0, 64, BUDGET);
		memcpy(o, out, sizeof(o));
		check_budget(&p, q6[i], &r, bin ? blen : t->text_len);
		CHECK(!r.error && (int64_t)r.r0 == want->q6_revenue &&
		      o[0] == want->q6_revenue && o[1] == (int64_t)t->nrows &&
		      !o[2], "%s: error %d, r0 %lld, rows %lld, bad %lld; host %lld",
		      q6[i], r.error, (long long)r.r0, (long long)o[1],
		      (long long)o[2], (long long)want->q6_revenue);
		uringblk_prog_obj_free(&p.po);
	}
	for (int i = 0; i < 3; i++) {
		struct prog p = load(q1[i]);
		bool bin = i == 2;

		r = run(&p, bin ? (void *)t->rows : t->text,
			bin ? blen : t->text_len, 0, 0, 0, TPCH_Q1_OUT_LEN,
			BUDGET);
		check_budget(&p, q1[i], &r, bin ? blen : t->text_len);
		CHECK(!r.error && !r.r0 &&
		      !memcmp(out, want->q1, TPCH_Q1_OUT_LEN),
		      "%s: error %d, r0 %lld, groups differ from the host's",
		      q1[i], r.error, (long long)r.r0);
		/* too small an output buffer */
		r = run(&p, t->text, t->text_len, 0, 0, 0, 64, BUDGET);
		CHECK(r.error == -EINVAL &&
		      r.abort_code == URINGBLK_PROG_ABORT_ARG,
		      "%s, 64-byte output: error %d", q1[i], r.error);
		uringblk_prog_obj_free(&p.po);
	}
}

#define FMT(kind, scale)	((uint64_t)URINGBLK_NUM_FMT(kind, scale) << 32)

static void test_parse_num(const struct prog *p)
{
	static const struct {
		const char *s;
		uint64_t fmt;
		int64_t want;
	} cases[] = {
		{ "17", FMT(URINGBLK_NUM_INT, 0), 17 },
		{ "21168.23", FMT(URINGBLK_NUM_DEC, 2), 2116823 },
		{ "0.06", FMT(URINGBLK_NUM_DEC, 2), 6 },
		{ "3", FMT(URINGBLK_NUM_DEC, 2), 300 },
		{ "0.060", FMT(URINGBLK_NUM_DEC, 2), 6 },
		{ "0.065", FMT(URINGBLK_NUM_DEC, 2), URINGBLK_NUM_BAD },
		{ "-1.5", FMT(URINGBLK_NUM_DEC, 2), -150 },
		{ " 5\t", FMT(URINGBLK_NUM_INT, 0), 5 },
		{ "+7", FMT(URINGBLK_NUM_INT, 0), 7 },
		{ "--7", FMT(URINGBLK_NUM_INT, 0), URINGBLK_NUM_BAD },
		{ "12a", FMT(URINGBLK_NUM_INT, 0), URINGBLK_NUM_BAD },
		{ "1.5", FMT(URINGBLK_NUM_INT, 1), URINGBLK_NUM_BAD },
		{ ".5", FMT(URINGBLK_NUM_DEC, 1), 5 },
		{ "5.", FMT(URINGBLK_NUM_DEC, 0), 5 },
		{ ".", FMT(URINGBLK_NUM_DEC, 2), URINGBLK_NUM_BAD },
		{ "", FMT(URINGBLK_NUM_INT, 0), URINGBLK_NUM_BAD },
		{ "  ", FMT(URINGBLK_NUM_INT, 0), URINGBLK_NUM_BAD },
		{ "9223372036854775807", FMT(URINGBLK_NUM_INT, 0), INT64_MAX },
		{ "-9223372036854775807", FMT(URINGBLK_NUM_INT, 0), -INT64_MAX },
		{ "9223372036854775808", FMT(URINGBLK_NUM_INT, 0), URINGBLK_NUM_BAD },
		{ "18446744073709551617", FMT(URINGBLK_NUM_INT, 0), URINGBLK_NUM_BAD },
		{ "922337203685477580", FMT(URINGBLK_NUM_INT, 1), 9223372036854775800LL },
		{ "922337203685477581", FMT(URINGBLK_NUM_INT, 1), URINGBLK_NUM_BAD },
		{ "1", FMT(URINGBLK_NUM_DEC, 18), 1000000000000000000LL },
		{ "1994-01-01", FMT(URINGBLK_NUM_DATE, 0), 19940101 },
		{ "2000-02-29", FMT(URINGBLK_NUM_DATE, 0), 20000229 },
		{ "1900-02-29", FMT(URINGBLK_NUM_DATE, 0), URINGBLK_NUM_BAD },
		{ "1994-13-01", FMT(URINGBLK_NUM_DATE, 0), URINGBLK_NUM_BAD },
		{ "1994-1-01", FMT(URINGBLK_NUM_DATE, 0), URINGBLK_NUM_BAD },
		{ "1970-01-02", FMT(URINGBLK_NUM_DAYS, 0), 1 },
		{ "1969-12-31", FMT(URINGBLK_NUM_DAYS, 0), -1 },
		{ "1998-12-01", FMT(URINGBLK_NUM_DAYS, 0), 10561 },
		{ "A", FMT(URINGBLK_NUM_CHARS, 0), 'A' },
		{ "AB", FMT(URINGBLK_NUM_CHARS, 0), 0x4241 },
		{ "", FMT(URINGBLK_NUM_CHARS, 0), 0 },
		{ "ABCDEFGHIJ", FMT(URINGBLK_NUM_CHARS, 0), 0x4847464544434241LL },
	};
	char data[128];
	struct vm_result r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = strlen(cases[i].s);

		memset(data, 'x', sizeof(data));
		memcpy(data + 3, cases[i].s, n);
		r = run(p, data, sizeof(data), 0, 3, cases[i].fmt | n, 0,
			BUDGET);
		CHECK(!r.error && (int64_t)r.r0 == cases[i].want,
		      "parse_num(\"%s\", %#llx): error %d, %lld, want %lld",
		      cases[i].s, (unsigned long long)(cases[i].fmt >> 32),
		      r.error, (long long)r.r0, (long long)cases[i].want);
	}
	/* a field longer than URINGBLK_NUM_MAX_LEN: bad, not read */
	memset(data, '1', sizeof(data));
	r = run(p, data, sizeof(data), 0, 0, FMT(URINGBLK_NUM_INT, 0) | 65, 0,
		BUDGET);
	CHECK(!r.error && (int64_t)r.r0 == URINGBLK_NUM_BAD && !r.bytes_scanned,
	      "65-digit field: error %d, %lld", r.error, (long long)r.r0);
	/* bad formats abort with -EINVAL, a range off the data -ERANGE */
	static const uint64_t badfmt[] = {
		FMT(0, 0), FMT(6, 0), FMT(URINGBLK_NUM_DATE, 1),
		FMT(URINGBLK_NUM_CHARS, 1), FMT(URINGBLK_NUM_DEC, 19),
		FMT(URINGBLK_NUM_INT, 0) | 1ULL << 56,
	};
	for (size_t i = 0; i < sizeof(badfmt) / sizeof(badfmt[0]); i++) {
		r = run(p, data, sizeof(data), 0, 0, badfmt[i] | 2, 0, BUDGET);
		CHECK(r.error == -EINVAL && r.abort_code == URINGBLK_PROG_ABORT_ARG,
		      "fmt %#llx: error %d code %u",
		      (unsigned long long)(badfmt[i] >> 32), r.error, r.abort_code);
	}
	r = run(p, data, sizeof(data), 0, 120, FMT(URINGBLK_NUM_INT, 0) | 9, 0,
		BUDGET);
	CHECK(r.error == -ERANGE && r.abort_code == URINGBLK_PROG_ABORT_RANGE,
	      "past the data: error %d", r.error);
}

#define SEPN(sep, n)	((uint64_t)(sep) | (uint64_t)(n) << 8)

static void test_rec_fields(const struct prog *p)
{
	static const char data[] = "a|bb||ccc\r\nxyz\n|\nlast|x";
	uint32_t pos[8];
	struct vm_result r;
	char *big;

	r = run(p, data, sizeof(data) - 1, 1, 0, SEPN('|', 5), 64, BUDGET);
	memcpy(pos, out, sizeof(pos));
	/* a | bb | (empty) | ccc, content 9 bytes; field 4 missing */
	CHECK(!r.error && r.r0 == 11 && pos[0] == 0 && pos[1] == 2 &&
	      pos[2] == 5 && pos[3] == 6 && pos[4] == 10 && pos[5] == 10,
	      "error %d, next %lld, pos %u %u %u %u %u %u", r.error,
	      (long long)r.r0, pos[0], pos[1], pos[2], pos[3], pos[4], pos[5]);
	r = run(p, data, sizeof(data) - 1, 1, 0, SEPN('|', 2), 64, BUDGET);
	memcpy(pos, out, sizeof(pos));
	CHECK(!r.error && r.r0 == 11 && pos[1] == 2 && pos[2] == 5,
	      "n=2: error %d, next %lld, pos %u %u", r.error, (long long)r.r0,
	      pos[1], pos[2]);
	r = run(p, data, sizeof(data) - 1, 1, 11, SEPN(',', 2), 64, BUDGET);
	memcpy(pos, out, sizeof(pos));
	CHECK(!r.error && r.r0 == 15 && pos[1] == 4 && pos[2] == 4,
	      "xyz: error %d, next %lld, pos %u %u", r.error, (long long)r.r0,
	      pos[1], pos[2]);
	/* the last line has no newline: it ends at the end */
	r = run(p, data, sizeof(data) - 1, 1, 17, SEPN('|', 3), 64, BUDGET);
	memcpy(pos, out, sizeof(pos));
	CHECK(!r.error && r.r0 == sizeof(data) - 1 && pos[1] == 5 &&
	      pos[2] == 7 && pos[3] == 7, "last: error %d, next %lld, pos %u %u %u",
	      r.error, (long long)r.r0, pos[1], pos[2], pos[3]);
	r = run(p, data, sizeof(data) - 1, 1, sizeof(data) - 1, SEPN('|', 3),
		64, BUDGET);
	CHECK(!r.error && (int64_t)r.r0 == -ENOENT, "at end: %lld",
	      (long long)r.r0);
	/* bad arguments */
	static const uint64_t bad[] = {
		SEPN('|', 0), SEPN('\n', 3), SEPN('|', 65), SEPN('|', 3) | 1 << 16,
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = run(p, data, sizeof(data) - 1, 1, 0, bad[i], 512, BUDGET);
		CHECK(r.error == -EINVAL && r.abort_code == URINGBLK_PROG_ABORT_ARG,
		      "sep_n %#llx: error %d", (unsigned long long)bad[i], r.error);
	}
	r = run(p, data, sizeof(data) - 1, 1, sizeof(data), SEPN('|', 3), 64,
		BUDGET);
	CHECK(r.error == -ERANGE, "off past end: error %d", r.error);
	r = run(p, data, sizeof(data) - 1, 2, 0, SEPN('|', 3), 64, BUDGET);
	CHECK(r.error == -EFAULT && r.abort_code == URINGBLK_PROG_ABORT_MEM,
	      "pos in ctx: error %d", r.error);

	/* a record too long: -E2BIG after URINGBLK_REC_MAX_LEN bytes */
	big = malloc(3 * URINGBLK_REC_MAX_LEN);
	memset(big, 'x', 3 * URINGBLK_REC_MAX_LEN);
	big[URINGBLK_REC_MAX_LEN - 1] = '\n';	/* the longest allowed */
	r = run(p, big, 3 * URINGBLK_REC_MAX_LEN, 1, 0, SEPN('|', 2), 64, BUDGET);
	CHECK(!r.error && r.r0 == URINGBLK_REC_MAX_LEN, "longest: %lld",
	      (long long)r.r0);
	r = run(p, big, 3 * URINGBLK_REC_MAX_LEN, 1, URINGBLK_REC_MAX_LEN,
		SEPN('|', 2), 64, BUDGET);
	CHECK(!r.error && (int64_t)r.r0 == -E2BIG &&
	      r.bytes_scanned == URINGBLK_REC_MAX_LEN,
	      "too long: %lld, %llu bytes scanned", (long long)r.r0,
	      (unsigned long long)r.bytes_scanned);
	/* the budget bounds a helper call: 64 KiB of record for 100 units */
	r = run(p, big, 3 * URINGBLK_REC_MAX_LEN, 1, URINGBLK_REC_MAX_LEN,
		SEPN('|', 2), 64, 100);
	CHECK(r.error == -ETIME && r.abort_code == URINGBLK_PROG_ABORT_BUDGET &&
	      r.bytes_scanned < URINGBLK_REC_MAX_LEN,
	      "budget 100: error %d, %llu bytes scanned", r.error,
	      (unsigned long long)r.bytes_scanned);
	free(big);
}

/* test_rec_parse()'s and test_rec_filter()'s records */
static const char rec_data[] =
	"12|3.5|1994-01-01|N|x\n"
	"x|1.234|1994-02-30|RF\r\n"
	"\n"
	"-4|0|2000-02-29|\n"
	"5|6|1970-01-01|ABCDEFGHIJ|\n"
	"tail";

static void test_rec_parse(const struct prog *p)
{
	const int64_t B = URINGBLK_NUM_BAD;
	/* INT f0, DEC2 f1, DATE f2, CHARS f3, DEC1 f0, INT f9, DAYS f2, CHARS f254 */
	const int64_t want[4][8] = {
		{ 12, 350, 19940101, 'N', 120, B, 8766, B },
		{ B, B, B, 'R' | 'F' << 8, B, B, B, B },
		{ B, B, B, B, B, B, B, B },
		{ -4, 0, 20000229, 0, -40, B, 11016, B },
	};
	const int64_t off5 = strstr(rec_data, "5|6") - rec_data;
	int64_t v[33];
	struct vm_result r;

	r = run(p, rec_data, sizeof(rec_data) - 1, 3, 0, 0, 512, BUDGET);
	memcpy(v, out, sizeof(v));
	CHECK(!r.error && r.r0 == 4 && v[0] == off5 &&
	      !memcmp(v + 1, want, sizeof(want)), "error %d, %lld records, next %lld",
	      r.error, (long long)r.r0, (long long)v[0]);
	for (int i = 0; i < 32; i++)
		CHECK(v[1 + i] == ((const int64_t *)want)[i],
		      "record %d value %d: %lld, want %lld", i / 8, i % 8,
		      (long long)v[1 + i], (long long)((const int64_t *)want)[i]);
	/* the rest: one full record and one without a newline */
	r = run(p, rec_data, sizeof(rec_data) - 1, 3, off5, 0, 512, BUDGET);
	memcpy(v, out, sizeof(v));
	CHECK(!r.error && r.r0 == 2 && v[0] == sizeof(rec_data) - 1 &&
	      v[1] == 5 && v[4] == 0x4847464544434241LL && v[9] == B,
	      "rest: error %d, %lld records, next %lld, %lld %llx %lld", r.error,
	      (long long)r.r0, (long long)v[0], (long long)v[1],
	      (unsigned long long)v[4], (long long)v[9]);
	r = run(p, rec_data, sizeof(rec_data) - 1, 3, sizeof(rec_data) - 1, 0,
		512, BUDGET);
	memcpy(v, out, sizeof(v));
	CHECK(!r.error && r.r0 == 0 && v[0] == sizeof(rec_data) - 1,
	      "at end: %lld records, next %lld", (long long)r.r0,
	      (long long)v[0]);
	for (int bad = 1; bad <= 13; bad++) {
		int want_err = bad == 6 ? -ERANGE : -EINVAL;

		r = run(p, rec_data, sizeof(rec_data) - 1, 3, 0, bad, 512, BUDGET);
		CHECK(r.error == want_err, "spec variant %d: error %d", bad,
		      r.error);
	}
}

/*
 * Filtered calls (ABI 1.11): rec_probe's mode 4 over test_rec_parse()'s
 * rec_data, values INT field 0 and DEC2 field 1, 4 lines a call.  Its lines:
 * (12, 350); (bad, bad); empty; (-4, 0) | (5, 600); (bad, bad) at the end.
 */
static void test_rec_filter(const struct prog *p)
{
	static const char blank[] = "\r\n\n1|2\n\r";
	const int64_t B = URINGBLK_NUM_BAD, end = sizeof(rec_data) - 1;
	const int64_t off5 = strstr(rec_data, "5|6") - rec_data;
	static const struct {
		int variant;
		int64_t off, r0, next, count, rows[4][2];
	} t[] = {
		/* empty line skipped: 4 lines, 3 records, 3 rows */
		{ 0, 0, 3, -1, 3, { { 12, 350 }, { B, B }, { -4, 0 } } },
		/* value 0 > 0 drops (-4, 0); a bad row always stays */
		{ 1, 0, 2, -1, 3, { { 12, 350 }, { B, B } } },
		{ 1, -1, 2, -2, 2, { { 5, 600 }, { B, B } } },
		/* no SKIP_EMPTY: the empty line is a record of bad values */
		{ 2, 0, 2, -1, 4, { { B, B }, { B, B } } },
		{ 2, -1, 2, -2, 2, { { 5, 600 }, { B, B } } },
		/* SKIP_EMPTY without COUNT: the rows from vals[1] */
		{ 3, 0, 3, -1, 0, { { 12, 350 }, { B, B }, { -4, 0 } } },
		/* at the end: no row, nothing read */
		{ 1, -2, 0, -2, 0, { { 0 } } },
	};
	int64_t v[10];
	struct vm_result r;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int64_t off = t[i].off == -1 ? off5 : t[i].off == -2 ? end : t[i].off;
		int64_t next = t[i].next == -1 ? off5 : end;
		bool count = t[i].variant != 3;
		const int64_t *row = v + (count ? 2 : 1);

		r = run(p, rec_data, end, 4, off, t[i].variant, 512, BUDGET);
		memcpy(v, out, sizeof(v));
		CHECK(!r.error && (int64_t)r.r0 == t[i].r0 && v[0] == next &&
		      (!count || v[1] == t[i].count),
		      "filtered %zu (variant %d from %lld): error %d, %lld rows, next %lld, %lld records",
		      i, t[i].variant, (long long)off, r.error, (long long)r.r0,
		      (long long)v[0], (long long)v[1]);
		for (int k = 0; k < t[i].r0 && k < 4; k++)
			CHECK(row[2 * k] == t[i].rows[k][0] &&
			      row[2 * k + 1] == t[i].rows[k][1],
			      "filtered %zu row %d: %lld %lld, want %lld %lld", i, k,
			      (long long)row[2 * k], (long long)row[2 * k + 1],
			      (long long)t[i].rows[k][0], (long long)t[i].rows[k][1]);
	}
	/* "\r\n" and "\n" are empty; a last "\r" without '\n' is a record */
	r = run(p, blank, sizeof(blank) - 1, 4, 0, 0, 512, BUDGET);
	memcpy(v, out, sizeof(v));
	CHECK(!r.error && r.r0 == 2 && v[0] == sizeof(blank) - 1 && v[1] == 2 &&
	      v[2] == 1 && v[3] == 200 && v[4] == B && v[5] == B,
	      "blank lines: error %d, %lld rows, next %lld, %lld records, %lld %lld %lld",
	      r.error, (long long)r.r0, (long long)v[0], (long long)v[1],
	      (long long)v[2], (long long)v[3], (long long)v[4]);
}

/* the offset past the '\n' that ends the line at off, or len */
static uint64_t next_line(const char *text, uint64_t off, uint64_t len)
{
	const char *nl = memchr(text + off, '\n', len - off);

	return nl ? (uint64_t)(nl - text) + 1 : len;
}

/* the offset past the first n lines of text */
static uint64_t next_line_n(const char *text, int n, uint64_t len)
{
	uint64_t off = 0;

	while (n-- && off < len)
		off = next_line(text, off, len);
	return off;
}

/* records with every odd part a field can have */
static const char rec_work_text[] =
	"12|3.5|1994-01-01|N|x\n"
	"x|1.234|1994-02-30|RF\r\n"
	"\n\r\n|\n||||\n"
	" -4 |\t0.50\t|2000-02-29|\r\r\n"
	"123456789012345678901234567890|1|1970-01-01|ABCDEFGHIJ|\n"
	"+7|-.25|1999-12-31|\r|\r\n"
	"5|6.000|1970-01-01|ABCDEFGHIJ|a|b|c|d|e|f|g|h|i|j|k\n"
	"tail|9";

/*
 * uringblk_rec_parse() takes a record whole in one window on a path of its
 * own (rec_whole()) and a record across windows on the general one: both
 * must give the same rows, next offsets and work (but for the windows'
 * own map charges), so what a program pays for its records does not
 * depend on where the windows fall.  Calls from every record
 * start of @text, unfiltered (rec_probe mode 3) and filtered (mode 4),
 * in windows of 7 bytes, 4 KiB and 64 KiB against all at once.
 */
static void test_rec_work(const struct prog *p, const char *text, size_t len,
			  const char *name)
{
	static const uint64_t windows[] = { 7, 4096, 65536 };
	uint8_t want[512];
	const struct { uint64_t mode, variant; } calls[] = {
		{ 3, 0 }, { 4, 0 }, { 4, 1 }, { 4, 2 }, { 4, 3 },
	};
	uint64_t saved = chunk, off;
	struct vm_result r, w;
	int diffs = 0;

	for (size_t c = 0; c < sizeof(calls) / sizeof(calls[0]); c++) {
		for (off = 0; off < len; off = next_line(text, off, len)) {
			chunk = 0;
			r = run(p, text, len, calls[c].mode, off,
				calls[c].variant, 512, BUDGET);
			memcpy(want, out, sizeof(want));
			for (size_t i = 0; i < sizeof(windows) / sizeof(windows[0]); i++) {
				chunk = windows[i];
				w = run(p, text, len, calls[c].mode, off,
					calls[c].variant, 512, BUDGET);
				if (w.helper_work != r.helper_work || w.r0 != r.r0 ||
				    w.error != r.error || memcmp(out, want, sizeof(want))) {
					if (!diffs++)
						fprintf(stderr, "%s: mode %llu variant %llu from %llu in %llu-byte windows: work %llu, whole %llu; r0 %lld, whole %lld\n",
							name, (unsigned long long)calls[c].mode,
							(unsigned long long)calls[c].variant,
							(unsigned long long)off,
							(unsigned long long)chunk,
							(unsigned long long)w.helper_work,
							(unsigned long long)r.helper_work,
							(long long)w.r0, (long long)r.r0);
				}
			}
		}
	}
	chunk = saved;
	CHECK(!diffs, "%s: %d calls differ from the call over the whole data",
	      name, diffs);
}

/*
 * Data made to cost the most per byte (a separator or a newline at every
 * byte, digits everywhere, one long number): the work each call does must
 * stay within what it is charged (vm_run's work_bounded, checked by run()).
 */
static void test_adversarial(const struct prog *p)
{
	static const char *const motifs[] = { "|", "\n", "1|", "9", "1\n", "|\r\n" };
	size_t len = 3 * 4096 + 5, i, k;
	struct vm_result r;
	char *d = malloc(len);

	for (i = 0; i < sizeof(motifs) / sizeof(motifs[0]); i++) {
		for (k = 0; k < len; k++)
			d[k] = motifs[i][k % strlen(motifs[i])];
		r = run(p, d, len, 1, 1, SEPN('|', 64), 512, BUDGET);
		CHECK(!r.error, "rec_fields over \"%s\"...: error %d", motifs[i],
		      r.error);
		r = run(p, d, len, 3, 1, 0, 512, BUDGET);
		CHECK(!r.error, "rec_parse over \"%s\"...: error %d", motifs[i],
		      r.error);
		r = run(p, d, len, 0, 1, FMT(URINGBLK_NUM_DEC, 18) | 64, 0, BUDGET);
		CHECK(!r.error, "parse_num over \"%s\"...: error %d", motifs[i],
		      r.error);
	}
	free(d);
}

int main(int argc, char **argv)
{
	static const uint64_t chunks[] = { 0, 4096, 7 };
	struct table small, t;
	struct tpch_result want;
	struct prog probe;
	char *long_recs;
	int compared;
	long yields;

	if (argc != 2) {
		fprintf(stderr, "usage: %s BPF_OBJ_DIR\n", argv[0]);
		return 2;
	}
	bpf_dir = argv[1];
	test_generator();
	make_table(&small, 0.0005, 5);		/* 3000 rows, 360 KB */
	make_table(&t, 0.002, 6);
	test_host(&small, &want);
	probe = load("rec_probe.bpf.o");
	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		chunk = chunks[i];
		test_parse_num(&probe);
		test_rec_fields(&probe);
		test_rec_parse(&probe);
		test_rec_filter(&probe);
		test_adversarial(&probe);
		test_queries(&small, &want);
	}
	test_rec_work(&probe, rec_work_text, sizeof(rec_work_text) - 1,
		      "odd records");
	/* the longest record the helper takes, one byte more, one after */
	long_recs = malloc(2 * URINGBLK_REC_MAX_LEN + 8);
	memset(long_recs, 'x', 2 * URINGBLK_REC_MAX_LEN + 1);
	memcpy(long_recs, "1|", 2);
	long_recs[URINGBLK_REC_MAX_LEN - 1] = '\n';
	memcpy(long_recs + URINGBLK_REC_MAX_LEN, "2|", 2);
	strcpy(long_recs + 2 * URINGBLK_REC_MAX_LEN, "\n3|4\n");
	test_rec_work(&probe, long_recs, strlen(long_recs), "long records");
	free(long_recs);
	test_rec_work(&probe, small.text, next_line_n(small.text, 300,
						     small.text_len),
		      "lineitem");
	chunk = 4096;
	test_host(&t, &want);
	test_queries(&t, &want);
	free_table(&small);
	free_table(&t);
	vm_yield_stats(&compared, &yields);
	printf("tpch (generator, host, record helpers, programs in the native VM): "
	       "%d checks passed, %d failed; %d runs compared with their "
	       "yielding twins (%ld yields)\n", passed, failed, compared,
	       yields);
	return failed ? 1 : 0;
}
