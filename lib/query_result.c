// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Queries: read a result out of the program's output buffer, sort its
 * groups, print it.  Both evaluators' results end here, so that they
 * print alike and can be compared byte for byte.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "query.h"

static int decode(const struct uringblk_query *q, __u64 r0,
		  const unsigned char *o, size_t out_len,
		  struct uringblk_query_result *res, char *err, size_t errlen);

static __u64 get64(const void *p)
{
	__u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int cmp_groups(const void *pa, const void *pb, void *arg)
{
	const struct uringblk_query_group *a = pa, *b = pb;
	const struct uringblk_query *q = arg;

	if (q->key >= 0 && q->fields[q->key].type == QT_STR) {
		/* text: its bytes in memory order, as strcmp would */
		return memcmp(&a->key, &b->key, sizeof(a->key));
	}
	return a->key < b->key ? -1 : a->key > b->key;
}

void query_sort_groups(const struct uringblk_query *q,
		       struct uringblk_query_result *res)
{
	qsort_r(res->groups, res->ngroups, sizeof(*res->groups), cmp_groups,
		(void *)q);
}

static int decode(const struct uringblk_query *q, __u64 r0,
		  const unsigned char *o, size_t out_len,
		  struct uringblk_query_result *res, char *err, size_t errlen)
{
	size_t esz = query_entry_size(q);
	unsigned int i, n = 0;

	if (r0 == QUERY_R0_OVERFLOW) {
		snprintf(err, errlen, "more than %d groups: GROUP BY a field with fewer values, or narrow WHERE",
			 URINGBLK_QUERY_MAX_GROUPS);
		return -E2BIG;
	}
	if (r0 || out_len < QOUT_MAGIC + 8 ||
	    get64(o + QOUT_MAGIC) != QOUT_MAGIC_VAL) {
		snprintf(err, errlen, "the program's output is not a query result (r0 %" PRIu64 ", %zu bytes)",
			 (uint64_t)r0, out_len);
		return -EPROTO;
	}
	res->records = get64(o + QOUT_RECORDS);
	res->matched = get64(o + QOUT_MATCHED);
	res->malformed = get64(o + QOUT_MALFORMED);
	res->trailing = get64(o + QOUT_TRAILING);
	if (get64(o + QOUT_GROUPS) > URINGBLK_QUERY_MAX_GROUPS) {
		snprintf(err, errlen, "bad group count in the program's output");
		return -EPROTO;
	}
	res->groups = calloc(query_slots(q), sizeof(*res->groups));
	if (!res->groups)
		return -ENOMEM;
	/* entries past the output's end were never written: empty */
	for (i = 0; i < query_slots(q); i++) {
		const unsigned char *e = o + QOUT_HDR + i * esz;
		struct uringblk_query_group *g = &res->groups[n];

		if (!get64(e + 8))
			continue;
		g->key = (__s64)get64(e);
		g->count = get64(e + 8);
		for (int k = 0; k < q->naggs; k++)
			g->val[k] = (__s64)get64(e + 16 + 8 * k);
		n++;
	}
	res->ngroups = n;
	if (n != get64(o + QOUT_GROUPS)) {
		snprintf(err, errlen, "the program's output has %u groups, its header says %" PRIu64,
			 n, (uint64_t)get64(o + QOUT_GROUPS));
		uringblk_query_result_free(res);
		return -EPROTO;
	}
	query_sort_groups(q, res);
	return 0;
}

/* The size of 1.11's struct uringblk_query_decode_args, the first one. */
#define QUERY_DECODE_ARGS_SIZE_1_11 \
	(offsetof(struct uringblk_query_decode_args, errlen) + sizeof(size_t))

int uringblk_query_decode_args(const struct uringblk_query *q,
			       const struct uringblk_query_decode_args *args,
			       struct uringblk_query_result *res)
{
	struct uringblk_query_decode_args da;
	size_t full;
	unsigned char *o;
	int ret;

	ret = uringblk_args_in(args, QUERY_DECODE_ARGS_SIZE_1_11, &da,
			       sizeof(da));
	if (ret)
		return ret;
	if (da.flags)
		return -EINVAL;
	full = uringblk_query_out_len(q);
	memset(res, 0, sizeof(*res));
	/*
	 * The drive copies back only up to the highest byte stored: the
	 * rest of the buffer is zero (empty entries).
	 */
	if (da.out_len > full) {
		snprintf(da.err, da.errlen, "the program's output is longer than a query result");
		return -EPROTO;
	}
	o = calloc(1, full);
	if (!o)
		return -ENOMEM;
	memcpy(o, da.out, da.out_len);
	ret = decode(q, da.r0, o, da.out_len, res, da.err, da.errlen);
	free(o);
	return ret;
}

/* The 1.9 entry point, kept for its callers. */
int uringblk_query_decode(const struct uringblk_query *q, __u64 r0,
			  const void *out, size_t out_len,
			  struct uringblk_query_result *res, char *err,
			  size_t errlen)
{
	const struct uringblk_query_decode_args da = {
		.size = sizeof(da), .r0 = r0, .out = out, .out_len = out_len,
		.err = err, .errlen = errlen,
	};

	return uringblk_query_decode_args(q, &da, res);
}

void uringblk_query_result_free(struct uringblk_query_result *res)
{
	if (!res)
		return;
	free(res->groups);
	res->groups = NULL;
	res->ngroups = 0;
}

static void fmt_val(char *buf, size_t len, enum qtype t, int scale, __s64 v)
{
	switch (t) {
	case QT_DATE:
		snprintf(buf, len, "%04" PRId64 "-%02" PRId64 "-%02" PRId64,
			 (int64_t)(v / 10000), (int64_t)(v / 100 % 100), (int64_t)(v % 100));
		return;
	case QT_STR: {
		char s[9] = { 0 };

		memcpy(s, &v, 8);
		snprintf(buf, len, "%s", s);
		return;
	}
	default:
		break;
	}
	if (!scale) {
		snprintf(buf, len, "%" PRId64, (int64_t)v);
	} else {
		/* |v| as unsigned, so that INT64_MIN prints too */
		__u64 m = v < 0 ? -(__u64)v : (__u64)v, p = 1;

		for (int i = 0; i < scale; i++)
			p *= 10;
		snprintf(buf, len, "%s%" PRIu64 ".%0*" PRIu64, v < 0 ? "-" : "",
			 (uint64_t)(m / p), scale, (uint64_t)(m % p));
	}
}

/* The text of row @r (-1: the header) column @i */
static void cell(const struct uringblk_query *q,
		 const struct uringblk_query_result *res, int r, int i,
		 char *buf, size_t len)
{
	const struct qitem *it = &q->items[i];
	const struct uringblk_query_group *g;
	const struct qagg *ag;

	if (r < 0) {
		snprintf(buf, len, "%.*s", it->at.len, q->text + it->at.pos);
		return;
	}
	g = &res->groups[r];
	if (it->agg < 0) {
		const struct qfield *f = &q->fields[q->key];

		fmt_val(buf, len, f->type, f->scale, g->key);
		return;
	}
	ag = &q->aggs[it->agg];
	if (ag->fn == QA_COUNT)
		snprintf(buf, len, "%" PRIu64, (uint64_t)g->count);
	else if (!g->count)
		snprintf(buf, len, "NULL");	/* SQL: no rows, no value */
	else
		fmt_val(buf, len, ag->type, ag->scale, g->val[it->agg]);
}

/*
 * @res as the table it prints: without GROUP BY there is always one row,
 * if only of NULLs (SQL), @none's.  Return: @one, @res or its one row.
 */
static const struct uringblk_query_result *
table(const struct uringblk_query *q, const struct uringblk_query_result *res,
      struct uringblk_query_result *one, const struct uringblk_query_group *none)
{
	if (q->key >= 0 || res->ngroups)
		return res;
	*one = *res;
	one->groups = (struct uringblk_query_group *)none;
	one->ngroups = 1;
	return one;
}

int uringblk_query_columns(const struct uringblk_query *q)
{
	return q ? q->nitems : -EINVAL;
}

int uringblk_query_column(const struct uringblk_query *q, unsigned int col,
			  struct uringblk_query_column *c)
{
	const struct qitem *it;
	enum qtype t;
	int scale;

	if (!q || !c || col >= (unsigned int)q->nitems)
		return -EINVAL;
	it = &q->items[col];
	if (it->agg < 0) {
		t = q->fields[q->key].type;
		scale = q->fields[q->key].scale;
		c->kind = URINGBLK_QUERY_COL_KEY;
	} else if (q->aggs[it->agg].fn == QA_COUNT) {
		t = QT_INT;
		scale = 0;
		c->kind = URINGBLK_QUERY_COL_COUNT;
	} else {
		t = q->aggs[it->agg].type;
		scale = q->aggs[it->agg].scale;
		c->kind = URINGBLK_QUERY_COL_AGG;
	}
	c->name = q->text + it->at.pos;
	c->name_len = it->at.len;
	c->type = t == QT_DATE ? URINGBLK_QUERY_T_DATE :
		  t == QT_STR ? URINGBLK_QUERY_T_STR :
		  scale ? URINGBLK_QUERY_T_DEC : URINGBLK_QUERY_T_INT;
	c->scale = t == QT_DATE || t == QT_STR ? 0 : scale;
	return 0;
}

int uringblk_query_rows(const struct uringblk_query *q,
			const struct uringblk_query_result *res)
{
	struct uringblk_query_group none = { 0 };
	struct uringblk_query_result one;

	if (!q || !res)
		return -EINVAL;
	return (int)table(q, res, &one, &none)->ngroups;
}

int uringblk_query_cell(const struct uringblk_query *q,
			const struct uringblk_query_result *res,
			unsigned int row, unsigned int col, char *buf, size_t len)
{
	const struct uringblk_query_group none = { 0 };
	const struct uringblk_query_result *t;
	struct uringblk_query_result one;
	char text[96];
	size_t n;

	if (!q || !res || (!buf && len))
		return -EINVAL;
	t = table(q, res, &one, &none);
	if (row >= t->ngroups || col >= (unsigned int)q->nitems)
		return -EINVAL;
	if (q->items[col].agg >= 0 && q->aggs[q->items[col].agg].fn != QA_COUNT &&
	    !t->groups[row].count)
		return 1;		/* no rows, no value: NULL */
	cell(q, t, (int)row, (int)col, text, sizeof(text));
	n = strlen(text);
	if (n >= len)
		return -ERANGE;
	memcpy(buf, text, n + 1);
	return 0;
}

int uringblk_query_fprint(FILE *f, const struct uringblk_query *q,
			  const struct uringblk_query_result *res)
{
	const struct uringblk_query_group none = { 0 };
	const struct uringblk_query_result *t;
	struct uringblk_query_result one;
	int w[QUERY_MAX_ITEMS] = { 0 };
	char buf[96];
	int i, r, n;

	t = table(q, res, &one, &none);
	for (r = -1; r < (int)t->ngroups; r++) {
		for (i = 0; i < q->nitems; i++) {
			cell(q, t, r, i, buf, sizeof(buf));
			n = (int)strlen(buf);
			if (n > w[i])
				w[i] = n;
		}
	}
	for (r = -1; r < (int)t->ngroups; r++) {
		for (i = 0; i < q->nitems; i++) {
			cell(q, t, r, i, buf, sizeof(buf));
			fprintf(f, "%s%-*s", i ? "  " : "",
				i == q->nitems - 1 ? 0 : w[i], buf);
		}
		fputc('\n', f);
	}
	fprintf(f, "# records %" PRIu64 ", matched %" PRIu64 ", malformed %" PRIu64,
		(uint64_t)res->records, (uint64_t)res->matched,
		(uint64_t)res->malformed);
	if (q->binary)
		fprintf(f, ", trailing bytes %" PRIu64, (uint64_t)res->trailing);
	fprintf(f, ", groups %u\n", res->ngroups);
	return ferror(f) ? -EIO : 0;
}
