// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * libFuzzer harness over the query compiler (lib/query_lex.c,
 * query_parse.c, query_check.c, query_gen*.c) and the host interpreter
 * (query_host.c), with ASan and UBSan: no input may crash them, and a
 * refusal always comes with a message.
 *
 * An input is PRE \0 MID \0 POST \0 N (N: two bytes, little-endian): the
 * query is PRE, MID N times, then POST, so that short inputs reach deep
 * nesting and very long queries (30,000 '(' overflowed the parser's stack
 * once).  An input without three NULs is the query as it is.  Every
 * query is compiled three ways (CSV with a header, CSV byte loop, binary
 * records of 24 bytes); what compiles also runs on the host over a small
 * table, and a query FROM json over a small JSON Lines table as well.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <liburingblk.h>

static const char table[] =
	"id,price,disc,date,flag,,a b\n"
	"1,10.50,0.05,1994-01-01,A,x,1\n"
	"2,-3.25,0.06,1994-06-30,B,,2\r\n"
	"\n"
	"3,9223372036854775807,0.10,1995-01-01,A,y,3\n"
	"4,x,0.05,1994-02-02,A\n"
	"5,-9223372036854775807,0.07,1994-03-03,LONGFLAG9,z,4";

/* JSON Lines (FROM json): escapes, wrong types, nesting, a broken line */
static const char jtable[] =
	"{\"id\": 1, \"price\": 10.50, \"flag\": \"A\", \"date\": \"1994-01-01\"}\n"
	"{\"id\":2,\"pr\\u0069ce\":-3.25,\"flag\":\"B\\n\",\"x\":[1]}\r\n"
	" \t\n"
	"{\"id\":3,\"price\":9223372036854775807,\"a b\":\"\\u00e9\",\"id\":4}\n"
	"{\"id\":\"5\",\"price\":null,\"flag\":\"LONGFLAG9\",\"date\":\"1996-02-29\"}\n"
	"{\"id\":6,\"price\":1e3,\"k\\q\":1,\"flag\":\"\\u004\"}\n"
	"{\"id\":7,\"date\":\"1995-02-29\"";

static char *query_of(const uint8_t *data, size_t size)
{
	const uint8_t *part[3], *end = data + size, *p = data;
	size_t len[3], n, total;
	char *t;

	for (int i = 0; i < 3; i++) {
		const uint8_t *z = p < end ? memchr(p, 0, end - p) : NULL;

		if (!z || end - z < 1)
			goto plain;
		part[i] = p;
		len[i] = z - p;
		p = z + 1;
	}
	if (end - p < 2)
		goto plain;
	n = p[0] | (size_t)p[1] << 8;
	total = len[0] + len[1] * n + len[2];
	if (total > 256 * 1024)
		n = len[1] ? (256 * 1024 - len[0] - len[2]) / len[1] : 0;
	total = len[0] + len[1] * n + len[2];
	t = malloc(total + 1);
	if (!t)
		return NULL;
	memcpy(t, part[0], len[0]);
	for (size_t i = 0; i < n; i++)
		memcpy(t + len[0] + len[1] * i, part[1], len[1]);
	memcpy(t + len[0] + len[1] * n, part[2], len[2]);
	t[total] = '\0';
	return t;
plain:
	t = malloc(size + 1);
	if (!t)
		return NULL;
	memcpy(t, data, size);
	t[size] = '\0';	/* a NUL inside ends the query early: fine */
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct uringblk_query_opts opts[] = {
		{ .has_header = 1, .header = table },
		{ .byte_loop = 1 },
		{ .reclen = 24 },
	};
	char *text = query_of(data, size);

	if (!text)
		return 0;
	for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]); k++) {
		struct uringblk_query *q = NULL;
		struct uringblk_query_result res;
		char err[512];
		int ret;

		err[0] = '\0';
		ret = uringblk_query_compile(text, &opts[k], &q, err, sizeof(err));
		if (ret) {
			if (!err[0] || q) {
				fprintf(stderr, "fuzz_query: refused (%d) without a message\n", ret);
				abort();
			}
			continue;
		}
		if (!opts[k].reclen &&
		    !uringblk_query_host(q, table, sizeof(table) - 1, &res, err,
					 sizeof(err)))
			uringblk_query_result_free(&res);
		/* FROM json: its own table too (query_host_json.c) */
		if (!strcmp(uringblk_query_program(q), "JSON lines") &&
		    !uringblk_query_host(q, jtable, sizeof(jtable) - 1, &res,
					 err, sizeof(err)))
			uringblk_query_result_free(&res);
		uringblk_query_free(q);
	}
	free(text);
	return 0;
}
