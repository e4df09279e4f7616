// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Queries over JSON Lines: the program liburingblk compiles
 * (lib/query_gen_json.c), run in the drive's own validator and VM (vm.c),
 * against the host's interpreter (lib/query_host_json.c) on the same
 * data, through windows of 1, 7, 13, 64 bytes, 4 KiB and whole: answers
 * computed by hand, the rules one line at a time (each line's verdict,
 * record or malformed, checked by hand too), and random lines with
 * escapes, duplicate and unknown keys, wrong types, nesting and blanks,
 * under random queries.
 *
 * usage: query_json
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <liburingblk.h>
#include "query_run.h"

static int runs;

/*
 * @text over @data on the host and in the VM through every window;
 * returns the host's printed result (to free) or NULL (errno in *@err),
 * and the host's counters in *@hres_out if not NULL.
 */
static char *both(const char *text, const void *data, size_t len, int *err,
		  struct uringblk_query_result *hout)
{
	struct uringblk_query_result hres;
	struct uringblk_query *q;
	char msg[512], *hs = NULL;
	int ret, hret;

	*err = 0;
	ret = uringblk_query_compile(text, NULL, &q, msg, sizeof(msg));
	CHECK(!ret, "compile '%s': %s", text, msg);
	if (ret) {
		*err = ret;
		return NULL;
	}
	CHECK(!strcmp(uringblk_query_program(q), "JSON lines"), "'%s': %s",
	      text, uringblk_query_program(q));
	hret = uringblk_query_host(q, data, len, &hres, msg, sizeof(msg));
	if (!hret) {
		hs = print_result(q, &hres);
		if (hout)
			*hout = hres;
		else
			uringblk_query_result_free(&hres);
	}
	*err = hret;
	runs++;
	query_run_windows(text, uringblk_query_program(q), q, data, len, 0, hs,
			  hret, NULL);
	uringblk_query_free(q);
	return hs;
}

/* Known answers, computed by hand */
static void test_known(void)
{
	static const char data[] =
		"{\"id\": 1, \"price\": 10.50, \"flag\": \"A\", \"day\": \"1994-01-01\"}\n"
		"  {\"price\":-3.25,\"id\":2,\"flag\":\"B\",\"day\":\"1994-06-30\",\"x\":[1]}\r\n"
		"\n"
		" \t\r\n"
		"{\"id\":3,\"price\":7,\"flag\":\"A\",\"day\":\"1995-01-01\",\"note\":\"a,}\\\"b\"}\n"
		"{\"id\":4,\"price\":\"7\",\"flag\":\"A\",\"day\":\"1994-02-02\"}\n"
		"{\"id\":5,\"pr\\u0069ce\":1.25,\"fl\\u0061g\":\"A\\u0042\",\"day\":\"1994-02-29\"}\n"
		"{\"id\":6,\"price\":2,\"flag\":\"A\",\"day\":\"1996-02-29\",\"id\":7}\n"
		"{\"id\":8,\"price\":2,\"flag\":\"A\",\"day\":\"1996-02-29\",\"z\":null,\"t\":true}";
	struct uringblk_query_result r;
	int err;
	char *s;

	/*
	 * 8 records: 1 good; 2 an array (malformed); 3 good; 4 a price as
	 * a string; 5 no calendar day (1994); 6 id twice; 8 good
	 */
	s = both("SELECT count(*), sum(price:dec2), min(day:date), max(id) FROM json",
		 data, sizeof(data) - 1, &err, &r);
	CHECK(s && !err, "known: %d", err);
	if (s) {
		CHECK(r.records == 7 && r.malformed == 4 && r.ngroups == 1 &&
		      r.groups[0].count == 3 && r.groups[0].val[1] == 1950 &&
		      r.groups[0].val[2] == 19940101 && r.groups[0].val[3] == 8,
		      "known: records %llu malformed %llu\n%s",
		      (unsigned long long)r.records,
		      (unsigned long long)r.malformed, s);
		uringblk_query_result_free(&r);
	}
	free(s);
	/* escapes decoded in keys and text: record 5 is flag 'AB' */
	s = both("SELECT flag:str, count(*), sum(price:dec2) FROM json "
		 "WHERE id >= 5 OR price < 0 GROUP BY flag", data,
		 sizeof(data) - 1, &err, &r);
	CHECK(s && !err, "known 2: %d", err);
	if (s) {
		/* records 5 (1994-02-29 unused here) 'AB' 125, 8 'A' 200 */
		CHECK(r.ngroups == 2 && r.malformed == 3, "known 2:\n%s", s);
		uringblk_query_result_free(&r);
	}
	free(s);
}

/* One line's verdict: @ok 1 a record that matches, 2 one that does not, 0 malformed */
static void check_line(const char *line, int ok)
{
	struct uringblk_query_result r;
	int err;
	char *s = both("SELECT count(*) FROM json WHERE a = 5 AND b:str = 'xy'",
		       line, strlen(line), &err, &r);

	CHECK(s && !err, "'%s': %d", line, err);
	if (!s)
		return;
	CHECK(r.records == 1 && r.matched == (ok == 1) && r.malformed == !ok,
	      "'%s': want %s, got records %llu matched %llu malformed %llu",
	      line, ok ? ok == 1 ? "a match" : "no match" : "malformed", (unsigned long long)r.records,
	      (unsigned long long)r.matched, (unsigned long long)r.malformed);
	uringblk_query_result_free(&r);
	free(s);
}

static void test_rules(void)
{
	static const struct { const char *line; int ok; } t[] = {
		{ "{\"a\":5,\"b\":\"xy\"}", 1 },
		{ " { \"a\" : 5 , \"b\" : \"xy\" } \t\r", 1 },
		{ "{\"b\":\"xy\",\"a\":5.00}", 1 },
		{ "{\"b\":\"xy\",\"a\":5.01}", 0 },
		{ "{\"b\":\"xy\",\"a\":+5}", 1 },
		{ "{\"b\":\"xy\",\"a\":5e0}", 0 },
		{ "{\"b\":\"xy\",\"a\":\"5\"}", 0 },
		{ "{\"b\":\"xy\",\"a\":null}", 0 },
		{ "{\"b\":\"xy\"}", 0 },
		{ "{\"b\":\"xy\",\"a\":5,\"a\":5}", 0 },
		{ "{\"b\":\"xy\",\"a\":5,\"c\":1,\"c\":2}", 1 },
		{ "{\"b\":\"x\\u0079\",\"a\":5}", 1 },
		{ "{\"b\":\"x\\u00e9\",\"a\":5}", 0 },
		{ "{\"b\":\"x\\q\",\"a\":5}", 0 },
		{ "{\"b\":\"xy\",\"a\":5,\"c\":\"\\q\"}", 1 },
		{ "{\"b\":\"xy\",\"a\":5,\"c\\u00e9\":1}", 1 },
		{ "{\"b\":\"xy\",\"a\":5,\"c\\q\":1}", 0 },
		{ "{\"\\u0061\":5,\"b\":\"xy\"}", 1 },
		{ "{\"\\u0061\":5,\"b\":\"xy\",\"a\":5}", 0 },
		{ "{\"b\":\"xy\",\"a\":5,\"c\":{}}", 0 },
		{ "{\"b\":\"xy\",\"a\":5,\"c\":[]}", 0 },
		{ "{\"b\":\"xy\",\"a\":5,\"c\":tr:ue}", 0 },
		{ "{\"b\":\"xy\",\"a\":5,}", 0 },
		{ "{\"b\":\"xy\",\"a\":5} x", 0 },
		{ "{\"b\":\"xy\",\"a\":5", 0 },
		{ "[\"b\",\"a\"]", 0 },
		{ "{\"b\":\"xy\",\"a\" 5}", 0 },
		{ "{\"b\":\"xy\" \"a\":5}", 0 },
		{ "{\"b\":xy,\"a\":5}", 0 },
		{ "{\"b\":\"xy\",\"a\":5 5}", 0 },
		{ "{\"b\":\"xy\",\"a\":9223372036854775807}", 2 },
		{ "{\"b\":\"xy\",\"a\":9223372036854775808}", 0 },
		{ "{\"b\":\"xy\",\"a\":-5}", 2 },
		{ "{\"b\":\"xy\",\"a\":0005.0}", 1 },
		{ "{\"b\":\"xyz\",\"a\":5}", 2 },
		{ "{\"b\":\"xy\\u0000\",\"a\":5}", 1 },
		{ "{\"B\":\"xy\",\"a\":5}", 0 },
		{ "{}", 0 },
		{ "{\"b\":\"xy\",\"a\":5,\"c\":\"un\\\"ter}", 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		check_line(t[i].line, t[i].ok);
}

static const char *const keys[] = { "a", "b", "ab", "price", "p r", "k\"q", "d", "x" };

static void rnd_string(char **p, const char *s)
{
	*(*p)++ = '"';
	for (; *s; s++) {
		switch (rnd(12)) {
		case 0:
			*p += sprintf(*p, "\\u%04x", (unsigned char)*s);
			break;
		case 1:
			if (*s == 'a') {
				*p += sprintf(*p, "\\u00E9");
				break;
			}
			/* fall through */
		default:
			if (*s == '"' || *s == '\\')
				*(*p)++ = '\\';
			*(*p)++ = *s;
		}
	}
	*(*p)++ = '"';
}

static void rnd_ws(char **p)
{
	static const char w[] = "  \t\r";

	while (!rnd(4))
		*(*p)++ = w[rnd(4)];
}

static void rnd_value(char **p)
{
	static const char *const lit[] = {
		"null", "true", "false", "1.5", "-0.25", "12", "1e3", "{}", "[1,2]",
		"\"1994-01-31\"", "\"1995-02-29\"", "\"AB\"", "\"ABCDEFGHIJ\"",
		"\"\\\"q\\\\\"", "\"a\\nb\\t\"", "\"\\/x\\b\\f\\r\"", "\"bad\\q\"",
		"9223372036854775807", "-9223372036854775808", "3.", ".5", "+7",
	};
	char tmp[32];

	switch (rnd(4)) {
	case 0:
		sprintf(tmp, "%d", (int)rnd(2000) - 1000);
		*p += sprintf(*p, "%s", tmp);
		break;
	case 1:
		*p += sprintf(*p, "%d.%02u", (int)rnd(200) - 100, rnd(100));
		break;
	case 2:
		*p += sprintf(*p, "\"199%u-0%u-%02u\"", rnd(10), 1 + rnd(9),
			      1 + rnd(31));
		break;
	default:
		*p += sprintf(*p, "%s", lit[rnd(sizeof(lit) / sizeof(lit[0]))]);
	}
}

static size_t gen_lines(char *buf, int rows)
{
	char *p = buf;

	for (int r = 0; r < rows; r++) {
		int n = rnd(6);

		rnd_ws(&p);
		if (rnd(40) == 0) {
			/* a broken line of a few random bytes */
			static const char junk[] = "{}[]\":,\\ axu0";

			for (int k = rnd(12); k > 0; k--)
				*p++ = junk[rnd(sizeof(junk) - 1)];
		} else {
			*p++ = '{';
			for (int k = 0; k < n; k++) {
				rnd_ws(&p);
				rnd_string(&p, keys[rnd(sizeof(keys) / sizeof(keys[0]))]);
				rnd_ws(&p);
				*p++ = ':';
				rnd_ws(&p);
				rnd_value(&p);
				rnd_ws(&p);
				if (k < n - 1 || !rnd(30))
					*p++ = ',';
			}
			*p++ = '}';
			rnd_ws(&p);
		}
		if (rnd(3000) == 0)
			*p++ = '\0';
		if (r < rows - 1 || rnd(2))
			*p++ = '\n';
	}
	return (size_t)(p - buf);
}

static const char *const queries[] = {
	"SELECT count(*), sum(a), min(b), max(ab) FROM json",
	"SELECT count(*), sum(a:dec2), max(price:dec2) FROM json WHERE a > 0",
	"SELECT d:date, count(*) FROM json GROUP BY d",
	"SELECT x:str, count(*), sum(a) FROM json GROUP BY x",
	"SELECT count(*), min(\"p r\"), max(\"k\"\"q\":dec1) FROM json",
	"SELECT b, count(*) FROM json WHERE NOT a BETWEEN -10 AND 10 GROUP BY b",
	"SELECT count(*) FROM json",
	"SELECT count(*), sum(price:dec2 * a) FROM json WHERE d >= date '1994-01-01' OR x = 'AB'",
};

static void test_random(void)
{
	size_t cap = 3000 * 200;
	char *buf = malloc(cap);

	for (int round = 0; round < 64; round++) {
		int rows = round < 48 ? 1 + rnd(40) : 3000;
		size_t len = gen_lines(buf, rows);
		const char *q = queries[round % (sizeof(queries) / sizeof(queries[0]))];
		int err;
		char *s = both(q, buf, len, &err, NULL);

		CHECK(s || err == -E2BIG, "'%s': host %d", q, err);
		free(s);
	}
	free(buf);
}

static void test_bad_queries(void)
{
	static const char *const bad[] = {
		"SELECT sum($1) FROM json",
		"SELECT sum(i32@0) FROM json",
	};
	struct uringblk_query *q;
	char msg[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = uringblk_query_compile(bad[i], NULL, &q, msg, sizeof(msg));

		CHECK(ret == -EINVAL && strstr(msg, "JSON"), "'%s': %d %s",
		      bad[i], ret, msg);
		if (!ret)
			uringblk_query_free(q);
	}
}

/*
 * Names at the documented limit, 511 bytes in all (issue 50: from about
 * 409 the generator ran out of labels): one long name, and 16 names with
 * no common prefix, each key in the data present, absent or another key
 * one byte shorter; the programs against the host through every window
 */
static void test_long_names(void)
{
	static char text[4096], data[64 * 1024];

	for (int shape = 0; shape < 2; shape++) {
		char names[16][512];
		int nn = shape ? 16 : 1;
		size_t t = 0, d = 0;
		int err;
		char *s;

		for (int i = 0; i < nn; i++) {
			int len = !shape ? 511 : i < 15 ? 32 : 511 - 15 * 32;

			memset(names[i], 'A' + i, len);
			names[i][len] = '\0';
		}
		t += sprintf(text + t, "SELECT count(*), sum(%s)", names[0]);
		if (nn > 1)
			t += sprintf(text + t, ", max(%s)", names[nn - 1]);
		t += sprintf(text + t, " FROM json WHERE %s > 0", names[0]);
		for (int i = 1; i < nn; i++)
			t += sprintf(text + t, " AND %s <> %d", names[i], i);
		for (int r = 0; r < 40; r++) {
			d += sprintf(data + d, "{");
			for (int i = 0; i < nn; i++) {
				int kind = (int)rnd(8);

				if (kind == 0)
					continue;	/* absent: malformed */
				d += sprintf(data + d, "%s\"%.*s\": %d", data[d - 1] == '{' ? "" : ", ",
					     kind == 1 ? (int)strlen(names[i]) - 1 : (int)strlen(names[i]),
					     names[i], (int)rnd(20) - 3);
			}
			d += sprintf(data + d, "}\n");
		}
		s = both(text, data, d, &err, NULL);
		CHECK(s && !err, "%d names of 511 bytes: %d", nn, err);
		free(s);
	}
}

int main(void)
{
	rng = 0x9e3779b97f4a7c15ULL;
	check_reports = 4000;
	test_known();
	test_rules();
	test_random();
	test_bad_queries();
	test_long_names();
	printf("query_json: %d checks passed, %d failed (%d programs)\n",
	       passed, failed, runs);
	return failed ? 1 : 0;
}
