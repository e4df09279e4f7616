// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk_query_compile(): bad queries are refused with a message that
 * names the error, its line and column, and a caret under the token;
 * good ones compile (field names from a header line, types inferred).
 * The programs' results are checked in tests/bpf/query.c, in the VM.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "query.h"	/* the resolved fields, for test_names() */
#include "test.h"

/* A bad query: errno, message part, column, and the caret line */
struct bad {
	const char	*query;
	int		err;
	const char	*msg;		/* a part of the first line */
	const char	*caret;		/* the caret line, after "  " */
	const struct uringblk_query_opts *opts;
};

static const struct uringblk_query_opts hdr = {
	.has_header = 1, .header = "id,price,discount,shipdate,flag\r\n",
};
static const struct uringblk_query_opts nohdr_line = { .has_header = 1 };
/* empty fields, a blank, a quote in a name */
static const struct uringblk_query_opts hdr_empty = {
	.has_header = 1, .header = ",a,,a b,q\"t,a\n",
};

static const struct bad bad[] = {
	{ "", -EINVAL, "query:1:1: expected SELECT, found the end of the query", "^", NULL },
	{ "SELEC count(*)", -EINVAL, "query:1:1: expected SELECT, found 'SELEC'", "^~~~~", NULL },
	{ "SELECT summ($5)", -EINVAL, "query:1:8: unknown function 'summ'", "       ^~~~", NULL },
	{ "SELECT count($1)", -EINVAL, "query:1:14: expected '*'", "             ^~", NULL },
	{ "SELECT sum($1 +)", -EINVAL, "query:1:16: expected a value, found ')'", "               ^", NULL },
	{ "SELECT sum(($1 + 2)", -EINVAL, "query:1:20: expected ')', found the end of the query", "                   ^", NULL },
	{ "SELECT sum($1) WHERE ($1 > 2", -EINVAL, "query:1:22: unbalanced '(': no ')' before the end", "                     ^", NULL },
	{ "SELECT sum($1) WHERE $2 = 'abc", -EINVAL, "query:1:27: unterminated string", "                          ^", NULL },
	{ "SELECT sum($1) WHERE $2 >= date '1994-13'", -EINVAL, "query:1:33: a date is 'yyyy-mm-dd'", "                                ^~~~~~~~~", NULL },
	{ "SELECT sum($1) WHERE $2 >= date '1994-13-01'", -EINVAL, "query:1:33: a date is 'yyyy-mm-dd', a day of the calendar", "                                ^~~~~~~~~~~~", NULL },
	{ "SELECT sum($1) WHERE $2 <> date '1900-02-29'", -EINVAL, "query:1:33: a date is 'yyyy-mm-dd', a day of the calendar", "                                ^~~~~~~~~~~~", NULL },
	{ "SELECT sum($1) WHERE $2 <> date '1994-04-31'", -EINVAL, "query:1:33: a date is", "                                ^~~~~~~~~~~~", NULL },
	{ "SELECT sum($1) WHERE $2 >= date '1994-01-01' + 1", -EINVAL, "query:1:28: arithmetic needs numbers, not date", "                           ^~~~~~~~~~~~~~~~~", NULL },
	{ "SELECT sum($1) WHERE $2 = 'a' AND $2 > 3", -EINVAL, "query:1:35: cannot compare str with int", "                                  ^~~~~~", NULL },
	{ "SELECT sum($1) WHERE $1 + 2", -EINVAL, "query:1:22: WHERE needs a condition", "                     ^~~~~~", NULL },
	{ "SELECT sum($1)\n  WHERE $2 > 1 AND $3", -EINVAL, "query:2:20: AND needs conditions on both sides", "                   ^~", NULL },
	{ "SELECT $2, sum($1)", -EINVAL, "query:1:8: a field in SELECT without GROUP BY", "       ^~", NULL },
	{ "SELECT $2, sum($1) GROUP BY $3", -EINVAL, "query:1:8: not the GROUP BY field", "       ^~", NULL },
	{ "SELECT sum($1:dec2) WHERE $1:dec3 > 0", -EINVAL, "query:1:30: conflicting type: this field is dec3, given as dec2 earlier", "                             ^~~~", NULL },
	{ "SELECT sum($1:float)", -EINVAL, "query:1:15: expected a type (int, decN, date or str), found 'float'", "              ^~~~~", NULL },
	{ "SELECT sum(i32@8)", -EINVAL, "query:1:12: a binary field in a CSV query", "           ^~~~~", NULL },
	{ "SELECT sum($2) FROM binary(reclen=16)", -EINVAL, "query:1:12: binary records have no field numbers", "           ^~", NULL },
	{ "SELECT sum(i64@12) FROM binary(reclen=16)", -EINVAL, "query:1:12: field ends at byte 20, past the 16-byte record", "           ^~~~~~", NULL },
	{ "SELECT sum(f32@0) FROM binary(reclen=16)", -EINVAL, "query:1:12: unknown field type 'f32'", "           ^~~", NULL },
	{ "SELECT count(*) FROM binary(reclen=0)", -EINVAL, "query:1:36: reclen is a record length of 1 to 256 bytes", "                                   ^", NULL },
	{ "SELECT sum($1) / 2", -EINVAL, "query:1:16: division is not supported", "               ^", NULL },
	{ "SELECT sum($1) WHERE $1 > 1 FROM csv", -EINVAL, "query:1:29: clauses go in the order SELECT, FROM, WHERE, GROUP BY", "                            ^~~~", NULL },
	{ "SELECT sum(price) WHERE shipdat > 1", -EINVAL, "query:1:25: no field 'shipdat' in the header line", "                        ^~~~~~~", &hdr },
	{ "SELECT sum(price)", -EINVAL, "query:1:12: unknown field 'price' (field names need a header line", "           ^~~~~", NULL },
	{ "SELECT sum(price)", -EINVAL, "query:1:12: unknown field 'price': the header line was not given", "           ^~~~~", &nohdr_line },
	{ "SELECT sum(\"\")", -EINVAL, "query:1:12: an empty name: a header field without a name is known by its number ($N)", "           ^~", &hdr },
	{ "SELECT sum($1) WHERE \"\" > 0", -EINVAL, "query:1:22: an empty name", "                     ^~", &hdr_empty },
	{ "SELECT sum(\"a\"\"b\") FROM csv(header)", -EINVAL, "query:1:12: no field 'a\"\"b' in the header line", "           ^~~~~~", &hdr },
	{ "SELECT sum($1 * 0.0000000001 * 0.0000000001)", -EINVAL, "query:1:12: result has 20 digits after the point (at most 18)", "           ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~", NULL },
	{ "SELECT sum(flag) GROUP BY flag:str", -EINVAL, "query:1:12: cannot sum str", "           ^~~~", &hdr },
	{ "SELECT sum($1) WHERE $2 = 'toolongstr'", -EINVAL, "query:1:27: string longer than 8 bytes", "                          ^~~~~~~~~~~~", NULL },
	{ "SELECT sum($1) WHERE $2 < 'a'", -EINVAL, "query:1:22: text can only be compared with = and <>", "                     ^~~~~~~~", NULL },
	{ "SELECT sum($1) WHERE $99999 > 0", -EINVAL, "query:1:22: field number out of range", "                     ^~~~~~", NULL },
	{ "SELECT sum($1), min($1), max($1), sum($2), sum($3), sum($4), sum($5), sum($6), sum($7)", -E2BIG, "query:1:80: too many SELECT items (at most 8 aggregates and the GROUP BY field)", "                                                                               ^~~", NULL },
	{ "SELECT $9, sum($1), min($1), max($1), sum($2), sum($3), sum($4), sum($5), sum($6), sum($7) GROUP BY $9", -E2BIG, "query:1:84: too many SELECT items (at most 8 aggregates and the GROUP BY field)", NULL, NULL },
	{ "SELECT $9, sum($1), min($1), max($1), sum($2), sum($3), sum($4), sum($5), $9, sum($7) GROUP BY $9", -E2BIG, "query:1:79: too many SELECT items", NULL, NULL },
	{ "SELECT sum($1) WHERE $1 > 9223372036854775808", -EINVAL, "query:1:27: number out of range (its digits, without the point, at most 9223372036854775807)", "                          ^~~~~~~~~~~~~~~~~~~", NULL },
	{ "SELECT sum($1) WHERE $1 > -9223372036854775809", -EINVAL, "query:1:28: number out of range (its digits, without the point, at most -9223372036854775808)", NULL, NULL },
	{ "SELECT sum($1) WHERE $1 > - -9223372036854775808", -EINVAL, "query:1:27: number out of range (at most 9223372036854775807)", "                          ^~~~~~~~~~~~~~~~~~~~~~", NULL },
	{ "SELECT sum($1) WHERE $1 > 92233720368547758.08", -EINVAL, "number out of range", NULL, NULL },
	/* a literal aligned to a larger scale for + or - must still fit in 64 bits */
	{ "SELECT sum($1:dec2 - 92233720368547759)", -EINVAL, "query:1:22: number out of range for the dec2 value it meets", "                     ^~~~~~~~~~~~~~~~~", NULL },
	{ "SELECT sum($1:dec18 + 10)", -EINVAL, "query:1:23: number out of range for the dec18 value it meets (at most 9.223372036854775807)", "                      ^~", NULL },
	/* $N: 1 to 4096 */
	{ "SELECT sum($0)", -EINVAL, "query:1:12: field number out of range (1 to 4096)", "           ^~", NULL },
	{ "SELECT sum($4097)", -EINVAL, "query:1:12: field number out of range (1 to 4096)", "           ^~~~~", NULL },
	{ "SELECT sum($1) WHERE $1 > 0.0000000000000000001", -EINVAL, "query:1:27: number too precise (at most 18 digits after the point)", NULL, NULL },
	{ "SELECT sum($1 * ($2 + ($3 * ($4 + ($5 * ($6 + ($7 * ($8 + $9))))))))", -E2BIG, "expression nested too deeply", NULL, NULL },
};

static void test_bad(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct uringblk_query *q = (void *)1;
		char err[1024];
		char *caret;
		int ret;

		ret = uringblk_query_compile(bad[i].query, bad[i].opts, &q, err,
					     sizeof(err));
		CHECK_EQ(ret, bad[i].err);
		CHECK(q == NULL);
		if (!strstr(err, bad[i].msg)) {
			fprintf(stderr, "FAIL '%s':\n%s\n(wanted '%s')\n",
				bad[i].query, err, bad[i].msg);
			test_failed++;
			continue;
		}
		test_passed++;
		if (!bad[i].caret)
			continue;
		/* the third line is the caret */
		caret = strchr(err, '\n');
		caret = caret ? strchr(caret + 1, '\n') : NULL;
		CHECK(caret && !strncmp(caret + 1, "  ", 2));
		if (caret && strcmp(caret + 3, bad[i].caret)) {
			fprintf(stderr, "FAIL caret of '%s':\n%s\n(wanted '%s')\n",
				bad[i].query, err, bad[i].caret);
			test_failed++;
		} else {
			test_passed++;
		}
	}
}

static const char *const good[] = {
	"SELECT count(*)",
	"select SUM($5:dec2 * $7:dec2), Count(*) where $11 >= DATE '1994-01-01' "
	"and $7 between 0.05 and 0.07 and $5 < 24",
	"SELECT $9, sum($5), min($5), max($5), count(*) FROM csv(sep='|') GROUP BY $9",
	"SELECT flag, count(*), sum(price:dec2 * (1 - discount)) "
	"WHERE NOT (shipdate > date '1998-09-02') GROUP BY flag:str",
	"SELECT \"flag\", count(*) GROUP BY flag",
	"SELECT c1@0, sum(dec2@8), min(date@16), max(i8@20), count(*) "
	"FROM binary(reclen=24) WHERE u16@22 <> 0 OR i32@16 = -1 GROUP BY c1@0",
	"SELECT count(*) FROM csv(header, sep=';')",
	"SELECT count(*) WHERE $1 = date '2000-02-29' OR $1 = date '1996-02-29'",
	/* literals over the data's range; 8 aggregates and the key, any order */
	"SELECT count(*) WHERE $1 = 9223372036854775807 OR $1 = -9223372036854775808 "
	"OR $2:dec2 = 92233720368547758.07 OR $2 = -92233720368547758.08 OR $1 = - -5 "
	"OR $3 = 0.000000000000000001",
	"SELECT sum($1), min($1), max($1), sum($2), sum($3), sum($4), sum($5), sum($6), $9 GROUP BY $9",
	"SELECT sum($1), min($1), max($1), $9, sum($2), sum($3), sum($4), sum($5), sum($6) GROUP BY $9",
	/* the last field number */
	"SELECT sum($4096) WHERE $4096 > 0",
	/* comparisons are exact at any scale: no literal is out of range for them */
	"SELECT sum($1:dec2) WHERE $1 > 92233720368547759",
	"SELECT sum($1) WHERE $1:dec18 BETWEEN 0 AND 10",
};

/* Header names: byte for byte, the first of equal names, "" a quote */
static void test_names(void)
{
	static const struct {
		const char	*query;
		int		col;	/* 0-based */
	} names[] = {
		{ "SELECT sum(a)", 1 },
		{ "SELECT sum(\"a\")", 1 },
		{ "SELECT sum(\"a b\")", 3 },
		{ "SELECT sum(\"q\"\"t\")", 4 },
		{ "SELECT sum($3)", 2 },
		{ "SELECT sum($1)", 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		struct uringblk_query *q;
		char err[512] = "";
		int ret = uringblk_query_compile(names[i].query, &hdr_empty, &q,
						 err, sizeof(err));

		CHECK_EQ(ret, 0);
		if (ret) {
			fprintf(stderr, "  '%s': %s\n", names[i].query, err);
			continue;
		}
		CHECK_EQ(q->nfields, 1);
		CHECK_EQ(q->fields[0].col, names[i].col);
		uringblk_query_free(q);
	}
}

static void test_good(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		struct uringblk_query *q;
		const struct bpf_insn *insns;
		unsigned int cnt = 0;
		char err[1024] = "";
		int ret;

		ret = uringblk_query_compile(good[i], &hdr, &q, err, sizeof(err));
		CHECK_EQ(ret, 0);
		if (ret) {
			fprintf(stderr, "  '%s': %s\n", good[i], err);
			continue;
		}
		insns = uringblk_query_insns(q, &cnt);
		CHECK(insns && cnt > 10 && cnt <= URINGBLK_PROG_MAX_INSNS);
		CHECK(insns[cnt - 1].code == (BPF_JMP | BPF_EXIT));
		CHECK(uringblk_query_out_len(q) <= URINGBLK_MAX_EXEC_OUT);
		uringblk_query_free(q);
	}
}

/*
 * An empty file: the drive's path answers as the host does over 0 bytes
 * (no records; NULL aggregates), without a drive (it was ENODATA).
 */
static void test_empty_file(void)
{
	static const char *const texts[] = {
		"SELECT sum($1), count(*)",
		"SELECT $2, min($1) GROUP BY $2",
		"SELECT count(*), max(i32@0) FROM binary(reclen=8)",
	};

	for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
		struct uringblk_file_map empty = { .fd = -1 };
		struct uringblk_query_result dres, hres;
		struct uringblk_exec_result xres;
		struct uringblk_query *q;
		char err[512] = "";
		int ret;

		ret = uringblk_query_compile(texts[i], NULL, &q, err, sizeof(err));
		CHECK_EQ(ret, 0);
		if (ret)
			continue;
		ret = uringblk_query_exec(NULL, q, &empty, 0, 0, 0, 0, &dres,
					  &xres, err, sizeof(err));
		CHECK_EQ(ret, 0);
		CHECK_EQ(uringblk_query_host(q, "", 0, &hres, err, sizeof(err)), 0);
		if (!ret) {
			CHECK_EQ(dres.records, 0);
			CHECK_EQ(dres.ngroups, hres.ngroups);
			CHECK_EQ(dres.ngroups ? dres.groups[0].count : 0,
				 hres.ngroups ? hres.groups[0].count : 0);
			CHECK_EQ(xres.insns, 0);
			uringblk_query_result_free(&dres);
		}
		uringblk_query_result_free(&hres);
		uringblk_query_free(q);
	}
}

/*
 * uringblk_query_run()'s args struct: its size field is checked before
 * anything is written, a larger struct (a newer caller) is taken when the
 * bytes past ours are 0, and the run then answers as uringblk_query_exec()
 * does (an empty file needs no drive).
 */
static void test_run_args(void)
{
	struct uringblk_file_map empty = { .fd = -1 };
	struct uringblk_exec_result xres;
	struct uringblk_query_result res, hres;
	struct uringblk_query_run_args a = {
		.size = sizeof(a), .map = &empty, .xres = &xres,
	};
	struct {
		struct uringblk_query_run_args a;
		__u64 later;	/* a field of a newer library */
	} big = { .a = { .size = sizeof(big), .map = &empty } };
	struct uringblk_query *q;
	char err[256] = "";
	int ret;

	ret = uringblk_query_compile("SELECT count(*)", NULL, &q, err, sizeof(err));
	CHECK_EQ(ret, 0);
	if (ret)
		return;
	a.err = err;
	a.errlen = sizeof(err);

	memset(&res, 0x5a, sizeof(res));
	CHECK_EQ(uringblk_query_run(NULL, q, NULL, &res), -EINVAL);
	/* a byte short of 1.10's struct, the first */
	a.size = offsetof(struct uringblk_query_run_args, errlen) + sizeof(size_t) - 1;
	CHECK_EQ(uringblk_query_run(NULL, q, &a, &res), -EINVAL);
	a.size = sizeof(__u32);
	CHECK_EQ(uringblk_query_run(NULL, q, &a, &res), -EINVAL);
	a.size = sizeof(a);
	a.flags = 1;
	CHECK_EQ(uringblk_query_run(NULL, q, &a, &res), -EINVAL);
	a.flags = 0;
	big.later = 1;
	CHECK_EQ(uringblk_query_run(NULL, q, &big.a, &res), -E2BIG);
	CHECK_EQ(res.records, 0x5a5a5a5a5a5a5a5aULL);	/* refused: untouched */
	/* 1.12's byte range: of a file only, inside it */
	a.map = NULL;
	a.from = 512;
	CHECK_EQ(uringblk_query_run(NULL, q, &a, &res), -EINVAL);
	a.map = &empty;
	CHECK_EQ(uringblk_query_run(NULL, q, &a, &res), -ERANGE);
	a.from = 0;
	a.len = 1;
	CHECK_EQ(uringblk_query_run(NULL, q, &a, &res), -ERANGE);
	a.len = 0;
	CHECK_EQ(res.records, 0x5a5a5a5a5a5a5a5aULL);

	xres.insns = 5;
	CHECK_EQ(uringblk_query_run(NULL, q, &a, &res), 0);
	CHECK_EQ(uringblk_query_host(q, "", 0, &hres, err, sizeof(err)), 0);
	CHECK_EQ(res.records, 0);
	CHECK_EQ(res.ngroups, hres.ngroups);
	CHECK_EQ(xres.insns, 0);
	uringblk_query_result_free(&res);
	uringblk_query_result_free(&hres);

	big.later = 0;
	CHECK_EQ(uringblk_query_run(NULL, q, &big.a, &res), 0);
	CHECK_EQ(res.records, 0);
	uringblk_query_result_free(&res);
	uringblk_query_free(q);
}

/* The host interpreter on a tiny table: types inferred from literals */
static void test_host(void)
{
	static const char data[] =
		"id,price,discount,shipdate,flag\n"
		"1,100.00,0.05,1994-02-01,R\n"
		"2,200.50,0.06,1994-03-01,N\n"
		"3,300,0.08,1994-04-01,R\n"
		"4,-50.25,0.05,1993-12-31,R\n";
	struct uringblk_query *q;
	struct uringblk_query_result res;
	char err[512];
	int ret;

	ret = uringblk_query_compile("SELECT flag, sum(price:dec2 * discount), count(*) "
				     "WHERE shipdate >= date '1994-01-01' AND "
				     "discount BETWEEN 0.05 AND 0.07 GROUP BY flag:str",
				     &hdr, &q, err, sizeof(err));
	CHECK_EQ(ret, 0);
	if (ret)
		return;
	ret = uringblk_query_host(q, data, strlen(data), &res, err, sizeof(err));
	CHECK_EQ(ret, 0);
	CHECK_EQ(res.records, 4);
	CHECK_EQ(res.matched, 2);
	CHECK_EQ(res.ngroups, 2);
	if (res.ngroups == 2) {
		/* sorted by key text: N before R */
		CHECK_EQ(res.groups[0].key, 'N');
		CHECK_EQ(res.groups[0].val[0], 120300);	/* 200.50 * 0.06 = 12.0300 */
		CHECK_EQ(res.groups[1].key, 'R');
		CHECK_EQ(res.groups[1].val[0], 50000);	/* 100.00 * 0.05 */
	}
	uringblk_query_result_free(&res);
	uringblk_query_free(q);
}

/*
 * Literals at the edge of the range a field's scale holds, aligned to it:
 * the comparisons are exact (no wrapped value compared).
 */
static void test_aligned_edge(void)
{
	static const char data[] = "92233720368547758.07\n-92233720368547758.07\n0\n";
	static const struct { const char *q; __u64 matched; } cases[] = {
		{ "SELECT count(*) WHERE $1:dec2 > 92233720368547758", 1 },
		{ "SELECT count(*) WHERE $1:dec2 >= -92233720368547758", 2 },
		{ "SELECT count(*) WHERE $1:dec2 < -92233720368547758", 1 },
		{ "SELECT count(*) WHERE $1:dec2 BETWEEN -92233720368547758 AND 92233720368547758", 1 },
		/* past it (refused before issue 50): no dec2 value is beyond */
		{ "SELECT count(*) WHERE $1:dec2 > 92233720368547759", 0 },
		{ "SELECT count(*) WHERE $1:dec2 < 92233720368547759", 3 },
		{ "SELECT count(*) WHERE -92233720368547759 < $1:dec2", 3 },
		{ "SELECT count(*) WHERE $1:dec2 <> -9223372036854775808", 3 },
		{ "SELECT count(*) WHERE $1:dec2 BETWEEN -9223372036854775808 AND 0", 2 },
	};
	struct uringblk_query_result res;
	struct uringblk_query *q;
	char err[512];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int ret = uringblk_query_compile(cases[i].q, NULL, &q, err, sizeof(err));

		CHECK_EQ(ret, 0);
		if (ret) {
			fprintf(stderr, "%s: %s\n", cases[i].q, err);
			continue;
		}
		ret = uringblk_query_host(q, data, strlen(data), &res, err, sizeof(err));
		CHECK_EQ(ret, 0);
		if (!ret) {
			CHECK_EQ(res.records, 3);
			CHECK_EQ(res.matched, cases[i].matched);
			uringblk_query_result_free(&res);
		}
		uringblk_query_free(q);
	}
}

/*
 * Every prefix of the good queries, and each with one byte replaced:
 * compiles, or is refused with a message (never a crash, never silence).
 */
static void test_mangled(void)
{
	static const char subst[] = "()$@:'\",*-=<>.0 9aZ\n\x01";
	int silent = 0, n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		size_t len = strlen(good[i]);
		char *t = malloc(len + 1);

		for (size_t cut = 0; cut <= len; cut++) {
			for (size_t k = 0; k <= sizeof(subst) - 1; k++) {
				struct uringblk_query *q;
				char err[1024] = "";
				int ret;

				memcpy(t, good[i], len + 1);
				if (k < sizeof(subst) - 1) {
					if (cut == len)
						continue;
					t[cut] = subst[k];
				} else {
					t[cut] = '\0';
				}
				ret = uringblk_query_compile(t, &hdr, &q, err, sizeof(err));
				n++;
				if (ret && !err[0])
					silent++;
				if (!ret)
					uringblk_query_free(q);
			}
		}
		free(t);
	}
	CHECK(n > 5000);
	CHECK_EQ(silent, 0);
}

/* @n copies of @s, between @pre and @post: a query of any length */
static char *repeat(const char *pre, const char *s, int n, const char *post)
{
	size_t ls = strlen(s), lp = strlen(pre), len = lp + ls * n + strlen(post);
	char *t = malloc(len + 1);

	memcpy(t, pre, lp);
	for (int i = 0; i < n; i++)
		memcpy(t + lp + ls * i, s, ls);
	strcpy(t + lp + ls * n, post);
	return t;
}

/* compile @text; its errno, and its message into @err */
static int compile(const char *text, char *err, size_t errlen)
{
	struct uringblk_query *q = NULL;
	int ret = uringblk_query_compile(text, NULL, &q, err, errlen);

	uringblk_query_free(q);
	return ret;
}

/*
 * Deep nesting is refused with E2BIG and a message, at any depth (30,000
 * parentheses overflowed the parser's stack once); 64 levels compile.
 */
static void test_deep(void)
{
	static const struct {
		const char	*pre, *s, *post;
	} deep[] = {
		{ "SELECT sum(", "(", "$1" },		/* unbalanced, too */
		{ "SELECT count(*) WHERE ", "(", "$1 > 0" },
		{ "SELECT count(*) WHERE ", "NOT ", "$1 > 0" },
		{ "SELECT sum(", "-", "$1)" },
		{ "SELECT sum(", "- (", "$1" },
	};
	char err[512];
	char *t, *p;
	int ret;

	for (size_t i = 0; i < ARRAY_SIZE(deep); i++) {
		for (int n = 65; n <= 30000; n = n < 30000 ? 30000 : n + 1) {
			t = repeat(deep[i].pre, deep[i].s, n, deep[i].post);
			err[0] = '\0';
			ret = compile(t, err, sizeof(err));
			CHECK_EQ(ret, -E2BIG);
			if (!strstr(err, "expression nested too deeply (more than 64 levels")) {
				fprintf(stderr, "FAIL deep %zu x %d: %s\n", i, n, err);
				test_failed++;
			}
			free(t);
		}
	}
	/* 64 levels of each kind (the innermost value is not nested) */
	t = repeat("SELECT sum(", "(", 64, "$1");
	p = repeat(t, ")", 64, ")");
	ret = compile(p, err, sizeof(err));
	CHECK_EQ(ret, 0);
	free(t);
	free(p);
	t = repeat("SELECT count(*) WHERE ", "NOT ", 64, "$1 > 0");
	CHECK_EQ(compile(t, err, sizeof(err)), 0);
	free(t);
	t = repeat("SELECT sum(", "-", 64, "$1)");
	CHECK_EQ(compile(t, err, sizeof(err)), 0);
	free(t);
}

/*
 * The 512-term limit is E2BIG (it was -EINVAL once the message was
 * written), and a long query keeps its caret: the message shows a window
 * of the line around the error.
 */
static void test_long(void)
{
	char err[512], *t, *line, *caret;
	int ret;

	t = repeat("SELECT count(*) WHERE $1 > 0", " AND $1 > 0", 200, "");
	ret = compile(t, err, sizeof(err));
	CHECK_EQ(ret, -E2BIG);
	CHECK(strstr(err, "query too long (more than 512 terms)") != NULL);
	free(t);
	t = repeat("SELECT count(*) WHERE $1 > 0", " AND ($1 > 0)", 200, "");
	CHECK_EQ(compile(t, err, sizeof(err)), -E2BIG);
	free(t);

	/* 60 KB of blanks and terms, the error at the end */
	t = repeat("SELECT count(*) WHERE $1 > 0", "          ", 6000, " AND summ");
	ret = compile(t, err, sizeof(err));
	CHECK_EQ(ret, -EINVAL);
	line = strchr(err, '\n');
	caret = line ? strchr(line + 1, '\n') : NULL;
	CHECK(line && caret && strlen(err) < 300);
	if (line && caret) {
		/* the caret is under 'summ' (the line starts with "  ...") */
		long col = strchr(caret, '^') ? strchr(caret, '^') - caret : -1;

		CHECK(!strncmp(line + 1, "  ...", 5));
		CHECK(col > 0 && col < caret - line &&
		      !strncmp(line + col, "summ", 4));
		CHECK(strstr(caret, "^~~~") != NULL);
	}
	free(t);
	/* a short line is shown whole */
	ret = compile("SELECT count(*) WHERE $1 > 0 AND summ", err, sizeof(err));
	CHECK(ret == -EINVAL && strstr(err, "\n  SELECT count(*) WHERE $1 > 0 AND summ\n") &&
	      strstr(err, "\n                                   ^~~~"));
}

/*
 * JSON names: at most 511 bytes in all (the trie's nodes), as
 * Documentation/examples/queries.md says; at the limit one name or 16
 * compile, one byte past it each is refused with a query:L:C message
 * (issue 50: from 409 bytes, or 16 names of about 30, the generic E2BIG)
 */
static void test_json_names(void)
{
	for (int shape = 0; shape < 2; shape++) {
		for (int total = 510; total <= 512; total++) {
			char text[2048], err[1024] = "";
			struct uringblk_query *q;
			size_t n = 0;
			int ret;

			n += sprintf(text + n, "SELECT count(*), sum(v), min(v), max(v) FROM json WHERE ");
			if (!shape) {
				n += sprintf(text + n, "%.*s > 0", total - 1,
					     "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
					     "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
					     "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
					     "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
					     "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
					     "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
					     "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
					     "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk");
			} else {
				/* v and 15 names with no common prefix: 1 + 14 * 34 + the rest */
				for (int i = 0; i < 15; i++) {
					int len = i < 14 ? 34 : total - 1 - 14 * 34;

					n += sprintf(text + n, "%s", i ? " AND " : "");
					for (int c = 0; c < len; c++)
						text[n++] = (char)('A' + i);
					n += sprintf(text + n, " > 0");
				}
			}
			ret = uringblk_query_compile(text, NULL, &q, err, sizeof(err));
			if (total <= 511) {
				CHECK_EQ(ret, 0);
				if (ret)
					fprintf(stderr, "  %d names, %d bytes: %s\n",
						shape ? 16 : 1, total, err);
				else
					uringblk_query_free(q);
			} else {
				CHECK_EQ(ret, -E2BIG);
				CHECK(!strncmp(err, "query:1:", 8) &&
				      strstr(err, ": the names are too long: at most 511 bytes in all"));
				if (ret != -E2BIG || strncmp(err, "query:1:", 8))
					fprintf(stderr, "  %d names, %d bytes: %d %s\n",
						shape ? 16 : 1, total, ret, err);
			}
		}
	}
}

/*
 * The example Documentation/examples/queries.md gives: 16 names of 31
 * bytes with no common prefix compile, 16 of 32 (512 bytes) do not.
 */
static void test_json_names_example(void)
{
	for (int len = 31; len <= 32; len++) {
		char text[2048], err[1024] = "";
		struct uringblk_query *q;
		size_t n = 0;
		int ret;

		n += sprintf(text + n, "SELECT count(*) FROM json WHERE ");
		for (int i = 0; i < 16; i++) {
			n += sprintf(text + n, "%s", i ? " AND " : "");
			for (int c = 0; c < len; c++)
				text[n++] = (char)('A' + i);
			n += sprintf(text + n, " > 0");
		}
		ret = uringblk_query_compile(text, NULL, &q, err, sizeof(err));
		if (len == 31) {
			CHECK_EQ(ret, 0);
			if (ret)
				fprintf(stderr, "  16 names of 31 bytes: %s\n", err);
			else
				uringblk_query_free(q);
		} else {
			CHECK_EQ(ret, -E2BIG);
			CHECK(strstr(err, ": the names are too long: at most 511 bytes in all"));
		}
	}
}

/* What the progress callback saw: the calls, in order */
struct seen {
	unsigned int	n, stop_at;	/* stop_at: return 1 on that call */
	__u64		done[64], total;
	bool		bad_total;
};

static int seen_cb(void *ctx, __u64 done, __u64 total)
{
	struct seen *s = ctx;

	if (s->n < 64)
		s->done[s->n] = done;
	if (total != s->total)
		s->bad_total = true;
	return ++s->n == s->stop_at;
}

/*
 * uringblk_query_host_args(): the same answer as uringblk_query_host(),
 * progress at least a MiB apart, increasing, ending once at the total;
 * a callback that says stop gives -ECANCELED and no result; bad args are
 * refused before anything is read.
 */
static void test_host_progress(void)
{
	const size_t mib = 1 << 20, len = 3 * mib + 12345;
	char *data = malloc(len + 1), err[256] = "";
	struct uringblk_query_result res, ref;
	struct uringblk_query *q = NULL, *qb = NULL;
	struct seen s = { .total = len };
	struct uringblk_query_host_args a = {
		.size = sizeof(a), .len = len, .err = err,
		.errlen = sizeof(err), .progress = seen_cb, .progress_ctx = &s,
	};
	struct {
		struct uringblk_query_host_args a;
		__u64 later;	/* a field of a newer library */
	} big = { .a = { .size = sizeof(big) } };
	size_t i;

	CHECK(data != NULL);
	if (!data)
		return;
	/* "k,n\n" lines, the last one without its '\n' */
	for (i = 0; i < len; i++)
		data[i] = i % 8 == 7 ? '\n' : i % 8 == 1 ? ',' : i % 8 == 0 ?
			  'a' + (char)(i / 8 % 3) : '0' + (char)(i % 10);
	data[len] = '\0';
	a.data = data;
	CHECK_EQ(uringblk_query_compile("SELECT $1, count(*), sum($2) GROUP BY $1:str",
					NULL, &q, err, sizeof(err)), 0);
	CHECK_EQ(uringblk_query_compile("SELECT count(*), sum(i32@0) FROM binary(reclen=12)",
					NULL, &qb, err, sizeof(err)), 0);
	if (!q || !qb)
		goto out;

	CHECK_EQ(uringblk_query_host(q, data, len, &ref, err, sizeof(err)), 0);
	CHECK_EQ(uringblk_query_host_args(q, &a, &res), 0);
	CHECK_EQ(res.records, ref.records);
	CHECK_EQ(res.matched, ref.matched);
	CHECK_EQ(res.ngroups, ref.ngroups);
	for (i = 0; i < res.ngroups && i < ref.ngroups; i++) {
		CHECK_EQ(res.groups[i].key, ref.groups[i].key);
		CHECK_EQ(res.groups[i].val[1], ref.groups[i].val[1]);
	}
	uringblk_query_result_free(&res);
	uringblk_query_result_free(&ref);
	/* 3 MiB and a bit: calls at 1, 2 and 3 MiB (at a line's end), then the end */
	CHECK_EQ(s.n, 4);
	CHECK(!s.bad_total);
	for (i = 1; i < s.n && i < 64; i++)
		CHECK(s.done[i] >= s.done[i - 1] + (i + 1 < s.n ? mib : 1));
	CHECK(s.done[0] >= mib && s.done[0] < mib + 8);
	CHECK_EQ(s.done[s.n - 1], len);

	/* stop at the second call: -ECANCELED, said in err, no result */
	s = (struct seen){ .total = len, .stop_at = 2 };
	memset(&res, 0x5a, sizeof(res));
	CHECK_EQ(uringblk_query_host_args(q, &a, &res), -ECANCELED);
	CHECK_EQ(s.n, 2);
	CHECK(strstr(err, "stopped by the progress callback") != NULL);
	CHECK(res.groups == NULL && res.ngroups == 0);

	/* binary records: the end once, at the total (with its trailing bytes) */
	s = (struct seen){ .total = len };
	CHECK_EQ(uringblk_query_host_args(qb, &a, &res), 0);
	CHECK_EQ(res.records, len / 12);
	CHECK_EQ(res.trailing, len % 12);
	CHECK_EQ(s.n, 4);
	CHECK_EQ(s.done[s.n - 1], len);
	/* at a record's end, the first past each MiB after the last call */
	for (i = 0; i + 1 < s.n && i < 64; i++)
		CHECK(s.done[i] % 12 == 0 &&
		      s.done[i] >= (i ? s.done[i - 1] : 0) + mib &&
		      s.done[i] < (i ? s.done[i - 1] : 0) + mib + 12);
	uringblk_query_result_free(&res);

	/* no data: one call, 0 of 0; a NUL byte ends CSV data: still the total */
	s = (struct seen){ .total = 0 };
	a.len = 0;
	CHECK_EQ(uringblk_query_host_args(q, &a, &res), 0);
	CHECK_EQ(s.n, 1);
	CHECK_EQ(s.done[0], 0);
	uringblk_query_result_free(&res);
	data[100] = '\0';
	s = (struct seen){ .total = len };
	a.len = len;
	CHECK_EQ(uringblk_query_host_args(q, &a, &res), 0);
	CHECK_EQ(res.records, 13);	/* 12 whole lines, then "a,89" */
	CHECK_EQ(s.n, 1);
	CHECK_EQ(s.done[0], len);
	uringblk_query_result_free(&res);
	/* without a callback: as uringblk_query_host() */
	a.progress = NULL;
	CHECK_EQ(uringblk_query_host_args(q, &a, &res), 0);
	CHECK_EQ(res.records, 13);
	uringblk_query_result_free(&res);

	/* refused before anything is read: res untouched */
	memset(&res, 0x5a, sizeof(res));
	CHECK_EQ(uringblk_query_host_args(q, NULL, &res), -EINVAL);
	a.size = sizeof(a) - 1;
	CHECK_EQ(uringblk_query_host_args(q, &a, &res), -EINVAL);
	a.size = sizeof(a);
	a.flags = 1;
	CHECK_EQ(uringblk_query_host_args(q, &a, &res), -EINVAL);
	a.flags = 0;
	a.data = NULL;
	CHECK_EQ(uringblk_query_host_args(q, &a, &res), -EINVAL);
	big.later = 1;
	CHECK_EQ(uringblk_query_host_args(q, &big.a, &res), -E2BIG);
	CHECK_EQ(res.records, 0x5a5a5a5a5a5a5a5aULL);
	/* a newer caller's struct with its new bytes 0: accepted */
	big.later = 0;
	CHECK_EQ(uringblk_query_host_args(q, &big.a, &res), 0);
	CHECK_EQ(res.records, 0);
	uringblk_query_result_free(&res);
out:
	uringblk_query_free(q);
	uringblk_query_free(qb);
	free(data);
}

/*
 * lib/query_num.h, the parser the host interpreter and the SQLite
 * extension share: what it reads and what it refuses, at the edges.
 */
static void test_parse_num(void)
{
	static const struct {
		const char	*s;
		int		scale;
		bool		ok;
		long long	v;
	} num[] = {
		{ "0", 0, true, 0 }, { "+7", 0, true, 7 }, { "-7", 0, true, -7 },
		{ "1.0", 0, true, 1 }, { "1.5", 0, false, 0 }, { "1.", 0, true, 1 },
		{ ".5", 1, true, 5 }, { "1.005", 2, false, 0 }, { "1.000", 2, true, 100 },
		{ "12.3", 2, true, 1230 }, { "-0.07", 2, true, -7 },
		{ "9223372036854775807", 0, true, 9223372036854775807LL },
		{ "-9223372036854775807", 0, true, -9223372036854775807LL },
		{ "9223372036854775808", 0, false, 0 },
		{ "92233720368547758.07", 2, true, 9223372036854775807LL },
		{ "92233720368547758.08", 2, false, 0 },
		{ "922337203685477581", 1, false, 0 },
		{ "", 0, false, 0 }, { "-", 0, false, 0 }, { ".", 0, false, 0 },
		{ "1.2.3", 2, false, 0 }, { "1e3", 0, false, 0 }, { " 1", 0, false, 0 },
		{ "--1", 0, false, 0 }, { "x", 0, false, 0 },
	};
	static const struct {
		const char	*s;
		bool		ok;
		long long	v;
	} day[] = {
		{ "1994-01-01", true, 19940101 }, { "2000-02-29", true, 20000229 },
		{ "1996-02-29", true, 19960229 }, { "1900-02-29", false, 0 },
		{ "1995-02-29", false, 0 }, { "1994-04-31", false, 0 },
		{ "1994-12-31", true, 19941231 }, { "1994-13-01", false, 0 },
		{ "1994-00-10", false, 0 }, { "1994-01-00", false, 0 },
		{ "1994-1-01", false, 0 }, { "1994/01/01", false, 0 },
		{ "1994-01-01 ", false, 0 }, { "1994-0a-01", false, 0 },
	};
	const char *s = "  \t-1.50 \t";
	size_t len = strlen(s);
	__s64 v;

	for (size_t i = 0; i < sizeof(num) / sizeof(num[0]); i++) {
		v = 42;
		CHECK_EQ(query_parse_num(num[i].s, strlen(num[i].s), num[i].scale, &v),
			 num[i].ok);
		CHECK_EQ(v, (num[i].ok ? num[i].v : 42));	/* untouched if refused */
	}
	for (size_t i = 0; i < sizeof(day) / sizeof(day[0]); i++) {
		v = 42;
		CHECK_EQ(query_parse_date(day[i].s, strlen(day[i].s), &v), day[i].ok);
		CHECK_EQ(v, (day[i].ok ? day[i].v : 42));
	}
	query_num_trim(&s, &len);
	CHECK(len == 5 && !strncmp(s, "-1.50", 5));
	CHECK(query_parse_num(s, len, 2, &v) && v == -150);
}

int main(void)
{
	test_parse_num();
	test_deep();
	test_long();
	test_bad();
	test_names();
	test_mangled();
	test_good();
	test_host();
	test_aligned_edge();
	test_json_names();
	test_json_names_example();
	test_empty_file();
	test_run_args();
	test_host_progress();
	return test_summary("query");
}
