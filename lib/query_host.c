// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Queries on the host: an interpreter of the checked tree over records
 * split the obvious way (lines, then fields).  It shares only the tree
 * and the language's rules with the code generator, and none of its
 * code, so that the tests can hold the drive's program against it: a
 * rule implemented differently in the two shows as a difference.
 *
 * The rules (Documentation/examples/queries.md; they are the record
 * helpers' of <linux/uringblk_prog.h>, plus empty lines and NUL): data end
 * at their length or at the first NUL byte; lines end with '\n', and a
 * '\r' right before it is not part of the line; an empty line is no record;
 * with a header the first line is none either.  A record is malformed,
 * and skipped, when it is longer than QUERY_REC_MAX_LEN bytes, or when a
 * field the query uses is missing or does not parse as its type: a
 * number or a date has at most QUERY_NUM_MAX_LEN bytes, blanks (space,
 * tab) around it included; text is the field's first 8 bytes as they
 * are.  Arithmetic wraps at 64 bits; comparisons are exact.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"

struct host {
	const struct uringblk_query	*q;
	struct uringblk_query_result	*res;
	__s64				slot[URINGBLK_QUERY_MAX_FIELDS];
	/* groups: an index by key hash (not the drive's table layout) */
	int				*index;		/* group + 1, 0 free */
	unsigned int			index_size;
	char				*err;
	size_t				errlen;
	/* uringblk_query_host_args()'s progress: the next call at @next */
	int				(*progress)(void *ctx, __u64 done,
						    __u64 total);
	void				*progress_ctx;
	__u64				next, total;
	__u64				told;		/* the last @done given */
};

/* a progress call at most this often, in bytes read */
#define HOST_PROGRESS_STEP	(1u << 20)

/* @done bytes read: the caller told, if a MiB went by; -ECANCELED to stop */
static int progress(struct host *h, __u64 done)
{
	if (done > h->total)
		done = h->total;	/* past a last line without '\n' */
	if (!h->progress || done < h->next)
		return 0;
	h->next = done + HOST_PROGRESS_STEP;
	h->told = done;
	if (h->progress(h->progress_ctx, done, h->total)) {
		if (h->err && h->errlen)
			snprintf(h->err, h->errlen, "stopped by the progress "
				 "callback after %llu of %llu bytes",
				 (unsigned long long)done,
				 (unsigned long long)h->total);
		return -ECANCELED;
	}
	return 0;
}

static __u64 pow10u(int k)
{
	__u64 p = 1;

	while (k-- > 0)
		p *= 10;
	return p;
}

/* The value of @n scaled to @scale; wrapping like the drive's ALU */
static __u64 value(struct host *h, const struct qnode *n, int scale)
{
	__u64 v;

	switch (n->kind) {
	case QN_LIT:
		v = (__u64)n->val;
		break;
	case QN_FIELD:
		v = (__u64)h->slot[n->field];
		break;
	case QN_NEG:
		v = -value(h, n->a, n->scale);
		break;
	case QN_MUL:
		v = value(h, n->a, n->a->scale) * value(h, n->b, n->b->scale);
		break;
	case QN_ADD:
		v = value(h, n->a, n->scale) + value(h, n->b, n->scale);
		break;
	case QN_SUB:
		v = value(h, n->a, n->scale) - value(h, n->b, n->scale);
		break;
	default:
		return 0;
	}
	return v * pow10u(scale - n->scale);
}

static bool compare(struct host *h, const struct qnode *a,
		    const struct qnode *b, enum qop op)
{
	int s = a->scale > b->scale ? a->scale : b->scale;
	/*
	 * Exact: each side at its own scale, aligned in 128 bits (10^18 *
	 * 2^63 < 2^127), where the drive's program checks ranges instead
	 */
	__int128 x = (__int128)(__s64)value(h, a, a->scale) *
		     (__int128)pow10u(s - a->scale);
	__int128 y = (__int128)(__s64)value(h, b, b->scale) *
		     (__int128)pow10u(s - b->scale);

	switch (op) {
	case QOP_EQ:	return x == y;
	case QOP_NE:	return x != y;
	case QOP_LT:	return x < y;
	case QOP_LE:	return x <= y;
	case QOP_GT:	return x > y;
	case QOP_GE:	return x >= y;
	}
	return false;
}

static bool truth(struct host *h, const struct qnode *n)
{
	switch (n->kind) {
	case QN_CMP:
		return compare(h, n->a, n->b, n->op);
	case QN_BETWEEN:
		return compare(h, n->a, n->c, QOP_GE) &&
		       compare(h, n->a, n->b, QOP_LE);
	case QN_AND:
		return truth(h, n->a) && truth(h, n->b);
	case QN_OR:
		return truth(h, n->a) || truth(h, n->b);
	case QN_NOT:
		return !truth(h, n->a);
	default:
		return false;
	}
}

/* A record whose fields are in h->slot */
static int record(struct host *h)
{
	const struct uringblk_query *q = h->q;
	struct uringblk_query_result *res = h->res;
	struct uringblk_query_group *g;
	__s64 key = q->key >= 0 ? h->slot[q->key] : 0;
	unsigned int i, mask = h->index_size - 1;

	res->records++;
	if (q->where && !truth(h, q->where))
		return 0;
	res->matched++;
	/* FNV-1a over the key's bytes */
	{
		__u64 hash = 0xcbf29ce484222325ULL;
		const unsigned char *b = (const unsigned char *)&key;

		for (int k = 0; k < 8; k++)
			hash = (hash ^ b[k]) * 0x100000001b3ULL;
		i = (unsigned int)hash & mask;
	}
	while (h->index[i] && res->groups[h->index[i] - 1].key != key)
		i = (i + 1) & mask;
	if (!h->index[i]) {
		if (res->ngroups == URINGBLK_QUERY_MAX_GROUPS) {
			snprintf(h->err, h->errlen, "more than %d groups: GROUP BY a field with fewer values, or narrow WHERE",
				 URINGBLK_QUERY_MAX_GROUPS);
			return -E2BIG;
		}
		g = &res->groups[res->ngroups++];
		h->index[i] = res->ngroups;
		memset(g, 0, sizeof(*g));
		g->key = key;
	}
	g = &res->groups[h->index[i] - 1];
	g->count++;
	for (int k = 0; k < q->naggs; k++) {
		const struct qagg *ag = &q->aggs[k];
		__s64 v;

		if (ag->fn == QA_COUNT)
			continue;
		v = (__s64)value(h, ag->arg, ag->scale);
		if (ag->fn == QA_SUM)
			g->val[k] = (__s64)((__u64)g->val[k] + (__u64)v);
		else if (g->count == 1 || (ag->fn == QA_MIN ? v < g->val[k] :
							 v > g->val[k]))
			g->val[k] = v;
	}
	return 0;
}

/* A CSV field as @f's type (the rules above); false if malformed */
static bool parse_field(const struct qfield *f, const char *s, size_t len,
			__s64 *out)
{
	__u64 v = 0;
	size_t i;

	if (f->type == QT_STR) {
		for (i = 0; i < len && i < 8; i++)
			v |= (__u64)(unsigned char)s[i] << (8 * i);
		*out = (__s64)v;
		return true;
	}
	if (len > QUERY_NUM_MAX_LEN)
		return false;
	query_num_trim(&s, &len);
	if (f->type != QT_DATE)
		return query_parse_num(s, len, f->scale, out);
	return query_parse_date(s, len, out);
}

/* One line, without its '\n' (and a '\r' before it), not empty */
static int csv_line(struct host *h, const char *s, size_t len, bool too_long)
{
	const struct uringblk_query *q = h->q;
	bool have[URINGBLK_QUERY_MAX_FIELDS] = { false };
	size_t start = 0;
	int col = 0;

	if (too_long)
		goto malformed;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != q->sep)
			continue;
		for (int k = 0; k < q->nfields; k++)
			if (q->fields[k].col == col)
				have[k] = parse_field(&q->fields[k], s + start,
						      i - start, &h->slot[k]);
		col++;
		start = i + 1;
	}
	for (int k = 0; k < q->nfields; k++)
		if (!have[k])
			goto malformed;
	return record(h);
malformed:
	h->res->records++;
	h->res->malformed++;
	return 0;
}

static int csv(struct host *h, const char *data, size_t len)
{
	bool header = h->q->has_header;
	size_t i = 0;
	int ret = 0;

	len = strnlen(data, len);	/* a NUL byte ends the data */
	while (!ret && i < len) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - data) - i : len - i;
		/* the record's bytes, its '\n' included */
		bool too_long = n + !!nl > QUERY_REC_MAX_LEN;
		const char *s = data + i;

		i += n + 1;
		if (nl && n && s[n - 1] == '\r')
			n--;
		if (header)
			header = false;
		else if (n)
			ret = csv_line(h, s, n, too_long);
		if (!ret)
			ret = progress(h, i);
	}
	return ret;
}

/* JSON Lines: a line of blanks (space, tab, '\r') only is no record */
static int json(struct host *h, const char *data, size_t len)
{
	size_t i = 0;
	int ret = 0;

	len = strnlen(data, len);	/* a NUL byte ends the data */
	while (!ret && i < len) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - data) - i : len - i, k;
		const char *s = data + i;

		i += n + 1;
		for (k = 0; k < n && (s[k] == ' ' || s[k] == '\t' ||
				      s[k] == '\r'); k++)
			;
		if (k == n)
			continue;
		if (query_host_json_line(h->q, s, n, h->slot)) {
			ret = record(h);
		} else {
			h->res->records++;
			h->res->malformed++;
		}
		if (!ret)
			ret = progress(h, i);
	}
	return ret;
}

static __s64 load(const struct qfield *f, const unsigned char *r)
{
	const unsigned char *p = r + f->off;
	__u64 v = 0;

	memcpy(&v, p, f->width);	/* little-endian host and drive */
	switch (f->bin) {
	case QB_I8:	return (int8_t)v;
	case QB_I16:	return (int16_t)v;
	case QB_I32:	return (int32_t)v;
	default:	return (__s64)v;
	}
}

static int binary(struct host *h, const unsigned char *data, size_t len)
{
	const struct uringblk_query *q = h->q;
	size_t n = len / q->reclen;
	int ret = 0;

	h->res->trailing = len % q->reclen;
	for (size_t r = 0; !ret && r < n; r++) {
		for (int k = 0; k < q->nfields; k++)
			h->slot[k] = load(&q->fields[k], data + r * q->reclen);
		ret = record(h);
		if (!ret)
			ret = progress(h, (r + 1) * q->reclen);
	}
	return ret;
}

/* uringblk_query_host() and _args(): @h's progress fields set */
static int query_host(struct host *h, const void *data, size_t len)
{
	const struct uringblk_query *q = h->q;
	struct uringblk_query_result *res = h->res;
	int ret;

	if (h->err && h->errlen)
		h->err[0] = '\0';
	memset(res, 0, sizeof(*res));
	h->total = len;
	h->next = HOST_PROGRESS_STEP;
	/*
	 * Without GROUP BY there is one group (key 0): a table of one, not
	 * 80 KiB cleared on every call (callers that run the query over
	 * one record at a time, lib/sqlite, spent half their time here).
	 */
	h->index_size = q->key >= 0 ? 4 * URINGBLK_QUERY_MAX_GROUPS : 2;
	h->index = calloc(h->index_size, sizeof(*h->index));
	res->groups = calloc(q->key >= 0 ? URINGBLK_QUERY_MAX_GROUPS : 1,
			     sizeof(*res->groups));
	if (!h->index || !res->groups) {
		ret = -ENOMEM;
		goto out;
	}
	if (q->binary)
		ret = binary(h, data, len);
	else if (q->json)
		ret = json(h, data, len);
	else
		ret = csv(h, data, len);
	/* the end: all of it read, whatever the last call said */
	if (!ret && h->progress && (h->told != len || !len)) {
		h->next = 0;
		ret = progress(h, len);
	}
	if (!ret)
		query_sort_groups(q, res);
out:
	free(h->index);
	if (ret)
		uringblk_query_result_free(res);
	return ret;
}

/* The size of 1.12's struct uringblk_query_host_args, the first one. */
#define QUERY_HOST_ARGS_SIZE_1_12 \
	(offsetof(struct uringblk_query_host_args, progress_ctx) + sizeof(void *))

int uringblk_query_host_args(const struct uringblk_query *q,
			     const struct uringblk_query_host_args *args,
			     struct uringblk_query_result *res)
{
	struct uringblk_query_host_args a;
	struct host h = { .q = q, .res = res };
	int ret = uringblk_args_in(args, QUERY_HOST_ARGS_SIZE_1_12, &a,
				   sizeof(a));

	if (ret)
		return ret;
	if (a.flags || (a.len && !a.data))
		return -EINVAL;
	h.err = a.err;
	h.errlen = a.err ? a.errlen : 0;
	h.progress = a.progress;
	h.progress_ctx = a.progress_ctx;
	return query_host(&h, a.data ? a.data : "", a.len);
}

int uringblk_query_host(const struct uringblk_query *q, const void *data,
			size_t len, struct uringblk_query_result *res,
			char *err, size_t errlen)
{
	struct host h = { .q = q, .res = res, .err = err, .errlen = errlen };

	return query_host(&h, data, len);
}
