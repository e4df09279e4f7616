// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Queries: comparisons across scales, exact on every engine (issue 50).
 * A value compared with one of a larger scale is multiplied by 10^k,
 * which once wrapped past 2^63 (`$1:int > 0.5` took -10^18 for a match).
 * Here every pair of scales 0..18 is compared near its overflow edge:
 * for k = |A - B| the lower side's values around ±(S64_MAX / 10^k) and
 * ±S64_MAX, against the higher side's exact products, their neighbours,
 * the products' 64-bit wraps (the values the bug took them for) and
 * ±S64_MAX; field against field and field against a literal (on either
 * side of the operator), with =, <>, <, <=, >, >= and BETWEEN.  Each
 * query's matching rows (GROUP BY the row's id) are held against an exact
 * oracle written here in 128-bit arithmetic, on every engine: the host
 * interpreter over CSV, JSON Lines and binary records, and the drive's
 * programs in its validator and VM (vm.c): the record helpers' (filtered
 * and plain), the byte loop, JSON Lines and binary records (each run
 * whole: tests/bpf/query.c runs programs through windows).
 *
 * Also: an untyped field's type does not depend on the order of the
 * conjuncts that type it (every permutation of three, CSV and JSON).
 *
 * usage: query_scale
 */
#include <stdlib.h>
#include <string.h>

#include <liburingblk.h>
#include "query_run.h"
#include "vm.h"

/* lib/query.h (internal): the plain record-helper program */
int query_for_drive(const struct uringblk_query *q, __u64 features,
		    struct uringblk_query **plain);
void query_plain_free(struct uringblk_query *plain);

#define MAXROWS	128
#define S64MAX	INT64_MAX

enum fmt { F_CSV, F_JSON, F_BIN, NFMT };

/* the rows of one pair of scales: x at scale A, y and z at scale B */
static int64_t rx[MAXROWS], ry[MAXROWS], rz[MAXROWS];
static int nrows, sa, sb;
/* the data in each format */
static char dcsv[MAXROWS * 96], djson[MAXROWS * 128];
static unsigned char dbin[MAXROWS * 32];
static size_t lcsv, ljson, lbin;
/* runs by engine, for the summary */
static int runs[8];
static const char *const engine_name[8] = {
	"host CSV", "host JSON", "host binary", "record helpers",
	"record helpers (plain)", "byte loop", "JSON lines", "binary records",
};

static __int128 p10(int k)
{
	__int128 p = 1;

	while (k-- > 0)
		p *= 10;
	return p;
}

/* v at scale s as the language writes it: [-]digits[.digits] */
static int fmt_num(char *buf, int64_t v, int s)
{
	unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v :
				       (unsigned long long)v;
	unsigned long long p = (unsigned long long)p10(s);

	if (!s)
		return sprintf(buf, "%s%llu", v < 0 ? "-" : "", m);
	return sprintf(buf, "%s%llu.%0*llu", v < 0 ? "-" : "", m / p, s, m % p);
}

/* the oracle: (x at scale ax) op (y at scale ay), exactly */
static bool oracle(int64_t x, int ax, int64_t y, int ay, int op)
{
	int s = ax > ay ? ax : ay;
	__int128 a = (__int128)x * p10(s - ax), b = (__int128)y * p10(s - ay);

	switch (op) {
	case 0:	return a == b;
	case 1:	return a != b;
	case 2:	return a < b;
	case 3:	return a <= b;
	case 4:	return a > b;
	default: return a >= b;
	}
}

static const char *const opname[] = { "=", "<>", "<", "<=", ">", ">=" };
static const int swapped[] = { 0, 1, 4, 5, 2, 3 };

static int64_t clamp(__int128 v)
{
	return v > S64MAX ? S64MAX : v < -S64MAX ? -S64MAX : (int64_t)v;
}

static void add_row(int64_t x, int64_t y)
{
	if (nrows < MAXROWS) {
		rx[nrows] = x;
		ry[nrows] = y;
		nrows++;
	}
}

/* the lower scale's values around the edge, for k = |A - B| */
static int lower_values(int k, int64_t *v)
{
	int64_t lim = (int64_t)(S64MAX / p10(k));
	int64_t c[] = { lim, clamp((__int128)lim + 1), -lim,
			clamp(-(__int128)lim - 1), S64MAX, -S64MAX, 0, 1, -1,
			lim / 3 + 7 };
	int n = 0;

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int dup = 0;

		for (int j = 0; j < n; j++)
			dup |= v[j] == c[i];
		if (!dup)
			v[n++] = c[i];
	}
	return n;
}

/* rows for scales A (x) and B (y, z) */
static void make_rows(int a, int b)
{
	int k = a > b ? a - b : b - a, n;
	__int128 p = p10(k);
	int64_t lv[16];

	sa = a;
	sb = b;
	nrows = 0;
	n = lower_values(k, lv);
	for (int i = 0; i < n; i++) {
		__int128 exact = (__int128)lv[i] * p;
		/* what a 64-bit multiply makes of it */
		int64_t wrap = (int64_t)(uint64_t)((unsigned __int128)exact);
		int64_t hv[] = { clamp(exact), clamp(exact + 1), clamp(exact - 1),
				 wrap, S64MAX, -S64MAX };

		for (size_t j = 0; j < sizeof(hv) / sizeof(hv[0]); j++) {
			if (!k && j >= 3 && j != 4)
				continue;	/* one scale: fewer rows do */
			if (a <= b)
				add_row(lv[i], hv[j]);
			else
				add_row(hv[j], lv[i]);
		}
	}
	/* z: another row's y, so that BETWEEN's bounds vary */
	for (int r = 0; r < nrows; r++)
		rz[r] = ry[(r * 7 + 3) % nrows];

	lcsv = ljson = lbin = 0;
	for (int r = 0; r < nrows; r++) {
		char xs[32], ys[32], zs[32];

		fmt_num(xs, rx[r], a);
		fmt_num(ys, ry[r], b);
		fmt_num(zs, rz[r], b);
		lcsv += sprintf(dcsv + lcsv, "%s,%s,%s,%d\n", xs, ys, zs, r);
		ljson += sprintf(djson + ljson, "{\"x\": %s, \"y\": %s, \"z\": %s, \"id\": %d}\n",
				 xs, ys, zs, r);
		memcpy(dbin + lbin, &rx[r], 8);
		memcpy(dbin + lbin + 8, &ry[r], 8);
		memcpy(dbin + lbin + 16, &rz[r], 8);
		memcpy(dbin + lbin + 24, &(int64_t){ r }, 8);
		lbin += 32;
	}
}

/* the rows a result matched (its groups' keys) against @want */
static void check_rows(const char *text, const char *engine,
		       const struct uringblk_query_result *res,
		       const bool *want)
{
	bool got[MAXROWS] = { false };
	int bad = -1;

	for (unsigned int g = 0; g < res->ngroups; g++) {
		int64_t id = res->groups[g].key;

		if (id >= 0 && id < nrows && res->groups[g].count == 1)
			got[id] = true;
		else
			bad = 0;
	}
	for (int r = 0; bad < 0 && r < nrows; r++)
		if (got[r] != want[r])
			bad = r;
	CHECK(bad < 0 && res->matched == res->ngroups && !res->malformed &&
	      res->records == (__u64)nrows,
	      "'%s' (%s): row %d (%lld at dec%d, %lld and %lld at dec%d): %s, want %s; "
	      "records %llu, matched %llu, malformed %llu",
	      text, engine, bad, bad >= 0 ? (long long)rx[bad] : 0, sa,
	      bad >= 0 ? (long long)ry[bad] : 0, bad >= 0 ? (long long)rz[bad] : 0,
	      sb, bad >= 0 && got[bad] ? "match" : "no match",
	      bad >= 0 && want[bad] ? "match" : "no match",
	      (unsigned long long)res->records, (unsigned long long)res->matched,
	      (unsigned long long)res->malformed);
}

/* @q's program over @data in the VM, whole, checked against @want */
static void vm_check(const char *text, int engine,
		     const struct uringblk_query *q, const void *data,
		     size_t len, const bool *want)
{
	struct uringblk_query_result res;
	struct uringblk_prog_image img;
	const struct bpf_insn *insns;
	size_t out_len = uringblk_query_out_len(q);
	uint64_t args[3] = { 0 };
	struct vm_result r;
	char msg[256] = "";
	unsigned int cnt;
	void *out = calloc(1, out_len);
	int ret;

	uringblk_query_image(q, &img);
	vm_set_globals(img.bss_len ? "" : NULL, 0, 0, img.bss_len);
	insns = uringblk_query_insns(q, &cnt);
	ret = vm_run(insns, cnt, data, len, 0, args, out, (uint32_t)out_len,
		     1ULL << 32, &r, msg, sizeof(msg));
	vm_set_globals(NULL, 0, 0, 0);
	CHECK(!ret && !r.error && !r.yield_error, "'%s' (%s): %d %s, run error %d",
	      text, engine_name[engine], ret, msg, r.error);
	if (!ret && !r.error) {
		ret = uringblk_query_decode(q, r.r0, out, r.out_len, &res, msg,
					    sizeof(msg));
		CHECK(!ret, "'%s' (%s): decode %d %s", text, engine_name[engine],
		      ret, msg);
		if (!ret) {
			check_rows(text, engine_name[engine], &res, want);
			uringblk_query_result_free(&res);
		}
	}
	runs[engine]++;
	free(out);
}

static void host_check(const char *text, int engine,
		       const struct uringblk_query *q, const void *data,
		       size_t len, const bool *want)
{
	struct uringblk_query_result res;
	char msg[256];
	int ret = uringblk_query_host(q, data, len, &res, msg, sizeof(msg));

	CHECK(!ret, "'%s' (%s): %d %s", text, engine_name[engine], ret, msg);
	if (ret)
		return;
	check_rows(text, engine_name[engine], &res, want);
	uringblk_query_result_free(&res);
	runs[engine]++;
}

/* @cond (with X, Y and Z for the fields) over the rows in every format and on every engine */
static void run_cond(const char *cond, const bool *want)
{
	static const char *const from[NFMT] = {
		"", " FROM json", " FROM binary(reclen=32)",
	};
	static const char *const key[NFMT] = { "$4", "id", "i64@24" };

	for (int f = 0; f < NFMT; f++) {
		char fx[32], fy[32], fz[32], text[512], *t = text;
		struct uringblk_query_opts o = { 0 };
		struct uringblk_query *q;
		const void *data = f == F_CSV ? (void *)dcsv :
				   f == F_JSON ? (void *)djson : (void *)dbin;
		size_t len = f == F_CSV ? lcsv : f == F_JSON ? ljson : lbin;

		if (f == F_CSV) {
			sprintf(fx, "$1:dec%d", sa);
			sprintf(fy, "$2:dec%d", sb);
			sprintf(fz, "$3:dec%d", sb);
		} else if (f == F_JSON) {
			sprintf(fx, "x:dec%d", sa);
			sprintf(fy, "y:dec%d", sb);
			sprintf(fz, "z:dec%d", sb);
		} else {
			sprintf(fx, "dec%d@0", sa);
			sprintf(fy, "dec%d@8", sb);
			sprintf(fz, "dec%d@16", sb);
		}
		t += sprintf(t, "SELECT %s, count(*)%s WHERE ", key[f], from[f]);
		for (const char *c = cond; *c; c++) {
			if (*c == 'X' || *c == 'Y' || *c == 'Z')
				t += sprintf(t, "%s", *c == 'X' ? fx : *c == 'Y' ? fy : fz);
			else
				*t++ = *c;
		}
		sprintf(t, " GROUP BY %s", key[f]);
		for (o.byte_loop = 0; o.byte_loop < 2; o.byte_loop++) {
			char msg[512];
			int ret;

			if (o.byte_loop && f != F_CSV)
				break;
			ret = uringblk_query_compile(text, &o, &q, msg, sizeof(msg));
			CHECK(!ret, "compile '%s': %s", text, msg);
			if (ret)
				continue;
			if (f == F_CSV && !o.byte_loop) {
				struct uringblk_query *plain = NULL;

				host_check(text, 0, q, data, len, want);
				vm_check(text, 3, q, data, len, want);
				if (!query_for_drive(q, 0, &plain) && plain)
					vm_check(text, 4, plain, data, len, want);
				query_plain_free(plain);
			} else if (f == F_CSV) {
				vm_check(text, 5, q, data, len, want);
			} else if (f == F_JSON) {
				host_check(text, 1, q, data, len, want);
				vm_check(text, 6, q, data, len, want);
			} else {
				host_check(text, 2, q, data, len, want);
				vm_check(text, 7, q, data, len, want);
			}
			uringblk_query_free(q);
		}
	}
}

/* every pair of scales, field against field and against literals */
static void test_edges(void)
{
	int pairs = 0, queries = 0;

	for (int a = 0; a <= 18; a++) {
		for (int b = 0; b <= 18; b++) {
			int64_t lits[16];
			int nl, k = a > b ? a - b : b - a;
			bool want[MAXROWS];
			char cond[256];

			make_rows(a, b);
			pairs++;
			/* field against field: X op Y, X BETWEEN Y AND Z */
			for (int op = 0; op < 6; op++) {
				for (int r = 0; r < nrows; r++)
					want[r] = oracle(rx[r], a, ry[r], b, op);
				sprintf(cond, "X %s Y", opname[op]);
				run_cond(cond, want);
				queries++;
			}
			for (int r = 0; r < nrows; r++)
				want[r] = oracle(rx[r], a, ry[r], b, 5) &&
					  oracle(rx[r], a, rz[r], b, 3);
			run_cond("X BETWEEN Y AND Z", want);
			queries++;
			/*
			 * field against a literal of scale B: the edge values
			 * of the side at the lower scale (the literal's, or the
			 * field's: then the products and their wraps), one per
			 * operator in turn, on the right and on the left
			 */
			if (b < a) {
				nl = lower_values(k, lits);
			} else {
				nl = 0;
				for (int r = 0; r < nrows && nl < 16; r += 3)
					lits[nl++] = ry[r];
			}
			for (int op = 0; op < 7; op++) {
				int64_t l1 = lits[(op + a) % nl], l2 = lits[(op + a + 3) % nl];
				char s1[32], s2[32];

				fmt_num(s1, l1, b);
				fmt_num(s2, l2, b);
				if (op == 6) {
					for (int r = 0; r < nrows; r++)
						want[r] = oracle(rx[r], a, l1, b, 5) &&
							  oracle(rx[r], a, l2, b, 3);
					sprintf(cond, "X BETWEEN %s AND %s", s1, s2);
				} else if ((op + a + b) & 1) {
					/* the literal on the left: l1 op' X */
					for (int r = 0; r < nrows; r++)
						want[r] = oracle(l1, b, rx[r], a, swapped[op]);
					sprintf(cond, "%s %s X", s1, opname[swapped[op]]);
				} else {
					for (int r = 0; r < nrows; r++)
						want[r] = oracle(rx[r], a, l1, b, op);
					sprintf(cond, "X %s %s", opname[op], s1);
				}
				run_cond(cond, want);
				queries++;
			}
		}
	}
	CHECK(pairs == 361 && queries == 361 * 14, "%d pairs of scales, %d queries",
	      pairs, queries);
}

/*
 * The issue's own cases: ints against a dec1 literal, in the three
 * formats (CSV $1:int > 0.5, JSON a:int > 0.5, binary BETWEEN 0.5 AND 100)
 */
static void test_issue(void)
{
	static const int64_t v[] = {
		10, -10, 1000000000000000000LL, -1000000000000000000LL, 5,
	};
	bool want[MAXROWS];

	sa = 0;
	sb = 1;
	nrows = 0;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		add_row(v[i], 1000);
	for (int r = 0; r < nrows; r++)
		rz[r] = 1000;
	/* rows through make_rows()'s formatting */
	{
		int n = nrows;

		lcsv = ljson = lbin = 0;
		for (int r = 0; r < n; r++) {
			lcsv += sprintf(dcsv + lcsv, "%lld,100.0,100.0,%d\n",
					(long long)rx[r], r);
			ljson += sprintf(djson + ljson,
					 "{\"x\": %lld, \"y\": 100.0, \"z\": 100.0, \"id\": %d}\n",
					 (long long)rx[r], r);
			memcpy(dbin + lbin, &rx[r], 8);
			memcpy(dbin + lbin + 8, &ry[r], 8);
			memcpy(dbin + lbin + 16, &rz[r], 8);
			memcpy(dbin + lbin + 24, &(int64_t){ r }, 8);
			lbin += 32;
		}
	}
	for (int r = 0; r < nrows; r++)
		want[r] = rx[r] > 0;
	run_cond("X > 0.5", want);
	for (int r = 0; r < nrows; r++)
		want[r] = rx[r] > 0 && rx[r] <= 100;
	run_cond("X BETWEEN 0.5 AND 100", want);
}

/*
 * An untyped field's type comes from every literal it meets, whatever
 * their order: over 1.5, 2.25, -0.5 (and 3 and 2.5), every permutation
 * of three conjuncts gives the same rows, none malformed
 */
static void test_order(void)
{
	static const char *const conj[][3] = {
		{ "$1 > 0.5", "$1 < 2.50", "$1 <> 7" },
		{ "$1 >= -1", "$1 BETWEEN 0.5 AND 2.500", "$1 <> 2.5" },
	};
	static const char *const jconj[][3] = {
		{ "a > 0.5", "a < 2.50", "a <> 7" },
		{ "a >= -1", "a BETWEEN 0.5 AND 2.500", "a <> 2.5" },
	};
	static const int perm[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};
	static const char csv[] = "1.5\n2.25\n-0.5\n3\n2.5\n";
	static const char json[] = "{\"a\": 1.5}\n{\"a\": 2.25}\n{\"a\": -0.5}\n"
				   "{\"a\": 3}\n{\"a\": 2.5}\n";

	for (int set = 0; set < 2; set++) {
		for (int f = 0; f < 2; f++) {
			for (int p = 0; p < 6; p++) {
				const char *const *c = f ? jconj[set] : conj[set];
				char text[256];
				struct uringblk_query_opts o = { 0 };

				snprintf(text, sizeof(text),
					 "SELECT count(*), sum(%s)%s WHERE %s AND %s AND %s",
					 f ? "a" : "$1", f ? " FROM json" : "",
					 c[perm[p][0]], c[perm[p][1]], c[perm[p][2]]);
				for (o.byte_loop = 0; o.byte_loop < 1 + !f; o.byte_loop++) {
					struct uringblk_query_result res;
					struct uringblk_query *q;
					char msg[512];
					int ret = uringblk_query_compile(text, &o, &q, msg,
									 sizeof(msg));

					CHECK(!ret, "compile '%s': %s", text, msg);
					if (ret)
						continue;
					ret = uringblk_query_host(q, f ? json : csv,
								  f ? strlen(json) : strlen(csv),
								  &res, msg, sizeof(msg));
					/* 1.5 and 2.25: 3.75 at dec2 or dec3 */
					CHECK(!ret && res.matched == 2 && !res.malformed &&
					      res.groups[0].val[1] == (set ? 3750 : 375),
					      "'%s': matched %llu, malformed %llu, sum %lld",
					      text, (unsigned long long)res.matched,
					      (unsigned long long)res.malformed,
					      ret ? 0LL : (long long)res.groups[0].val[1]);
					if (!ret)
						uringblk_query_result_free(&res);
					uringblk_query_free(q);
				}
			}
		}
	}
}

int main(void)
{
	int total = 0;

	test_issue();
	test_order();
	test_edges();
	for (int e = 0; e < 8; e++) {
		CHECK(runs[e] >= 361 * 14, "%s: %d runs", engine_name[e], runs[e]);
		total += runs[e];
	}
	printf("query_scale: %d checks passed, %d failed (%d runs: %d host CSV, "
	       "%d record helpers, %d plain, %d byte loop, %d JSON program, %d binary)\n",
	       passed, failed, total, runs[0], runs[3], runs[4], runs[5], runs[6],
	       runs[7]);
	return failed ? 1 : 0;
}
