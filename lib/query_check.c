// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Queries: resolve the fields a query names (CSV position or header name,
 * binary layout), settle their types (annotation, else the literal they
 * are compared with, else int) and type every node.  After this pass the
 * tree is what both evaluators run: they never see an untyped value.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"

static const char *type_name(enum qtype t, int scale, char *buf, size_t len)
{
	switch (t) {
	case QT_INT:	return "int";
	case QT_DEC:	snprintf(buf, len, "dec%d", scale); return buf;
	case QT_DATE:	return "date";
	case QT_STR:	return "str";
	case QT_BOOL:	return "a condition";
	default:	return "untyped";
	}
}

/*
 * The first header field named @name (as written: "a""b" is a"b), or -1.
 * Names match byte for byte, case and blanks included.
 */
static int find_name(struct qctx *c, const struct qref *r)
{
	struct uringblk_query *q = c->q;
	const char *s = q->text + r->name.pos;

	for (int i = 0; i < q->nnames; i++) {
		const char *h = q->names[i];
		int k = 0;

		for (; k < r->name.len && *h; k++, h++) {
			if (*h != s[k])
				break;
			if (r->quoted && s[k] == '"')
				k++;	/* "" */
		}
		if (k == r->name.len && !*h)
			return i;
	}
	return -1;
}

/*
 * JSON: the index in q->names of @r's name (as written: "a""b" is a"b),
 * added on first mention.  A name is matched against the keys byte for
 * byte after the keys' escapes are decoded.
 */
static int json_name(struct qctx *c, const struct qref *r)
{
	struct uringblk_query *q = c->q;
	const char *s = q->text + r->name.pos;
	char *name = malloc(r->name.len + 1), **names;
	int k = 0;

	if (!name)
		return -ENOMEM;
	for (int i = 0; i < r->name.len; i++) {
		name[k++] = s[i];
		if (r->quoted && s[i] == '"')
			i++;	/* "" */
	}
	name[k] = '\0';
	for (int i = 0; i < q->nnames; i++)
		if (!strcmp(q->names[i], name)) {
			free(name);
			return i;
		}
	names = realloc(q->names, (q->nnames + 1) * sizeof(*names));
	if (!names) {
		free(name);
		return -ENOMEM;
	}
	q->names = names;
	q->names[q->nnames] = name;
	return q->nnames++;
}

/* Give @n its slot in q->fields, creating it on first mention. */
static int resolve(struct qctx *c, struct qnode *n)
{
	struct uringblk_query *q = c->q;
	struct qref *r = &n->ref;
	struct qfield *f;
	char b1[8], b2[8];
	int i;

	if (q->binary) {
		if (r->bin == QB_NONE)
			return query_error(c, -EINVAL, n->at,
					   "binary records have no field numbers or names: use TYPE@OFFSET (e.g. i32@8)");
		if (r->off + r->width > q->reclen)
			return query_error(c, -EINVAL, n->at,
					   "field ends at byte %d, past the %d-byte record",
					   r->off + r->width, q->reclen);
	} else if (q->json) {
		if (r->bin != QB_NONE)
			return query_error(c, -EINVAL, n->at,
					   "a binary field in a JSON query");
		if (!r->name.len)
			return query_error(c, -EINVAL, n->at,
					   "JSON fields are known by name (price, or \"unit price\"), not by number");
		r->col = json_name(c, r);
		if (r->col < 0)
			return r->col;
	} else {
		if (r->bin != QB_NONE)
			return query_error(c, -EINVAL, n->at,
					   "a binary field in a CSV query (add FROM binary(reclen=N))");
		if (r->name.len) {
			if (!q->has_header)
				return query_error(c, -EINVAL, n->at,
						   "unknown field '%.*s' (field names need a header line: FROM csv(header) or --header; else use $N)",
						   r->name.len, q->text + r->name.pos);
			if (!q->names)
				return query_error(c, -EINVAL, n->at,
						   "unknown field '%.*s': the header line was not given (uringblk_query_opts.header)",
						   r->name.len, q->text + r->name.pos);
			r->col = find_name(c, r);
			if (r->col < 0)
				return query_error(c, -EINVAL, n->at,
						   "no field '%.*s' in the header line",
						   r->name.len, q->text + r->name.pos);
		}
	}
	for (i = 0; i < q->nfields; i++) {
		f = &q->fields[i];
		if (q->binary ? f->off == r->off && f->bin == r->bin &&
				f->width == r->width && f->type == r->type &&
				f->scale == r->scale : f->col == r->col)
			break;
	}
	if (i == q->nfields) {
		if (q->nfields >= URINGBLK_QUERY_MAX_FIELDS)
			return query_error(c, -E2BIG, n->at,
					   "more than %d distinct fields",
					   URINGBLK_QUERY_MAX_FIELDS);
		f = &q->fields[q->nfields++];
		memset(f, 0, sizeof(*f));
		f->col = q->binary ? -1 : r->col;
		f->off = r->off;
		f->bin = r->bin;
		f->width = r->width;
		f->at = n->at;
		if (q->binary) {
			f->type = r->type;
			f->scale = r->scale;
		}
	}
	f = &q->fields[i];
	n->field = i;
	if (!q->binary && r->type_at.len) {
		if (f->type_at.len && (f->type != r->type || f->scale != r->scale))
			return query_error(c, -EINVAL, r->type_at,
					   "conflicting type: this field is %s, given as %s earlier",
					   type_name(r->type, r->scale, b1, sizeof(b1)),
					   type_name(f->type, f->scale, b2, sizeof(b2)));
		f->type = r->type;
		f->scale = r->scale;
		f->type_at = r->type_at;
	}
	return 0;
}

static int resolve_tree(struct qctx *c, struct qnode *n)
{
	int ret;

	if (!n)
		return 0;
	if (n->kind == QN_FIELD)
		return resolve(c, n);
	ret = resolve_tree(c, n->a);
	if (!ret)
		ret = resolve_tree(c, n->b);
	if (!ret)
		ret = resolve_tree(c, n->c);
	return ret;
}

/*
 * What the literals an untyped field is compared with say about its type,
 * gathered over the whole query before any field is typed, so that the
 * order of the terms (of an AND, of a BETWEEN) cannot change it.
 */
struct hint {
	bool	num, date, str;
	int	scale;		/* the largest of the numbers' */
};

static void hint_pair(struct uringblk_query *q, struct hint *h,
		      const struct qnode *a, const struct qnode *b)
{
	struct hint *f;

	if (!a || !b || a->kind != QN_FIELD || b->kind != QN_LIT ||
	    q->fields[a->field].type != QT_NONE)
		return;
	f = &h[a->field];
	switch (b->type) {
	case QT_DATE:
		f->date = true;
		break;
	case QT_STR:
		f->str = true;
		break;
	default:
		if (!f->num || b->scale > f->scale)
			f->scale = b->scale;
		f->num = true;
		break;
	}
}

static void hints(struct uringblk_query *q, struct hint *h, const struct qnode *n)
{
	if (!n)
		return;
	if (n->kind == QN_CMP || n->kind == QN_BETWEEN) {
		hint_pair(q, h, n->a, n->b);
		hint_pair(q, h, n->b, n->a);
		hint_pair(q, h, n->a, n->c);
		hint_pair(q, h, n->c, n->a);
	}
	hints(q, h, n->a);
	hints(q, h, n->b);
	hints(q, h, n->c);
}

/*
 * An untyped field takes its type from every literal it is compared with:
 * text if one is text, else a date if one is a date, else a number at the
 * largest scale among them (`$1 > 0.5 AND $1 < 2.50` makes $1 dec2, in
 * either order), else int.  A field compared with literals of two kinds
 * then fails the comparison with the other kind ("cannot compare"),
 * whatever their order.
 */
static void infer(struct uringblk_query *q)
{
	struct hint h[URINGBLK_QUERY_MAX_FIELDS] = { 0 };

	hints(q, h, q->where);
	for (int i = 0; i < q->naggs; i++)
		hints(q, h, q->aggs[i].arg);
	for (int i = 0; i < q->nfields; i++) {
		struct qfield *f = &q->fields[i];

		if (f->type != QT_NONE)
			continue;
		if (h[i].str) {
			f->type = QT_STR;
		} else if (h[i].date) {
			f->type = QT_DATE;
		} else {
			f->scale = h[i].num ? h[i].scale : 0;
			f->type = f->scale ? QT_DEC : QT_INT;
		}
	}
}

static bool numeric(const struct qnode *n)
{
	return n->type == QT_INT || n->type == QT_DEC;
}

static int want_value(struct qctx *c, struct qnode *n, const char *what)
{
	char b[8];

	if (numeric(n))
		return 0;
	return query_error(c, -EINVAL, n->at, "%s needs numbers, not %s%s", what,
			   type_name(n->type, n->scale, b, sizeof(b)),
			   n->type == QT_DATE ? " (dates can only be compared)" : "");
}

static int set_scale(struct qctx *c, struct qnode *n, int scale)
{
	if (scale > QUERY_MAX_SCALE)
		return query_error(c, -EINVAL, n->at,
				   "result has %d digits after the point (at most %d)",
				   scale, QUERY_MAX_SCALE);
	n->scale = scale;
	n->type = scale ? QT_DEC : QT_INT;
	return 0;
}

/*
 * A literal added to or subtracted from a value of a larger scale is
 * multiplied by 10^(scale - its scale) on every engine: refuse it when
 * that leaves 64 bits, rather than add the wrapped value.
 * `$1:dec2 - 92233720368547759` would need 9223372036854775900.  (A
 * comparison needs no such rule: it is exact on every engine, whatever
 * the scales, query_gen.c gen_cmp().)
 */
static int lit_fits(struct qctx *c, const struct qnode *n, int scale)
{
	const char *lim = n->val < 0 ? "9223372036854775808" : "9223372036854775807";
	int64_t v = n->val;

	if (n->kind != QN_LIT)
		return 0;
	for (int k = n->scale; k < scale; k++)
		if (__builtin_mul_overflow(v, 10, &v))
			return query_error(c, -EINVAL, n->at,
					   "number out of range for the dec%d value it meets (%s%.*s.%s)",
					   scale, n->val < 0 ? "at least -" : "at most ",
					   19 - scale, lim, lim + 19 - scale);
	return 0;
}

static int align_ok(struct qctx *c, const struct qnode *a,
		    const struct qnode *b, int scale)
{
	int ret = lit_fits(c, a, scale);

	return ret ? ret : lit_fits(c, b, scale);
}

static int compare_ok(struct qctx *c, struct qnode *at, struct qnode *a,
		      struct qnode *b, enum qop op)
{
	char b1[8], b2[8];

	/* exact on every engine, scaled or not: nothing to refuse */
	if (numeric(a) && numeric(b))
		return 0;
	if (a->type == b->type && a->type == QT_DATE)
		return 0;
	if (a->type == b->type && a->type == QT_STR) {
		if (op == QOP_EQ || op == QOP_NE)
			return 0;
		return query_error(c, -EINVAL, at->at,
				   "text can only be compared with = and <>");
	}
	return query_error(c, -EINVAL, at->at, "cannot compare %s with %s",
			   type_name(a->type, a->scale, b1, sizeof(b1)),
			   type_name(b->type, b->scale, b2, sizeof(b2)));
}

static int type_tree(struct qctx *c, struct qnode *n)
{
	struct uringblk_query *q = c->q;
	int ret = 0;

	if (n->a && (ret = type_tree(c, n->a)))
		return ret;
	if (n->b && (ret = type_tree(c, n->b)))
		return ret;
	if (n->c && (ret = type_tree(c, n->c)))
		return ret;
	switch (n->kind) {
	case QN_LIT:
		return 0;
	case QN_FIELD:
		n->type = q->fields[n->field].type;
		n->scale = q->fields[n->field].scale;
		return 0;
	case QN_NEG:
		if ((ret = want_value(c, n->a, "'-'")))
			return ret;
		return set_scale(c, n, n->a->scale);
	case QN_ADD:
	case QN_SUB:
	case QN_MUL:
		if ((ret = want_value(c, n->a, "arithmetic")) ||
		    (ret = want_value(c, n->b, "arithmetic")))
			return ret;
		if (n->kind == QN_MUL)
			return set_scale(c, n, n->a->scale + n->b->scale);
		if ((ret = set_scale(c, n, n->a->scale > n->b->scale ?
				     n->a->scale : n->b->scale)))
			return ret;
		return align_ok(c, n->a, n->b, n->scale);
	case QN_CMP:
		ret = compare_ok(c, n, n->a, n->b, n->op);
		break;
	case QN_BETWEEN:
		ret = compare_ok(c, n, n->a, n->c, QOP_GE);
		if (!ret)
			ret = compare_ok(c, n, n->a, n->b, QOP_LE);
		break;
	case QN_NOT:
		if (n->a->type != QT_BOOL)
			return query_error(c, -EINVAL, n->a->at,
					   "NOT needs a condition");
		break;
	case QN_AND:
	case QN_OR:
		if (n->a->type != QT_BOOL || n->b->type != QT_BOOL)
			return query_error(c, -EINVAL,
					   n->a->type != QT_BOOL ? n->a->at : n->b->at,
					   "%s needs conditions on both sides",
					   n->kind == QN_AND ? "AND" : "OR");
		break;
	}
	n->type = QT_BOOL;
	return ret;
}

int query_check(struct qctx *c)
{
	struct uringblk_query *q = c->q;
	int i, ret;

	if (!q->binary && (ret = resolve_tree(c, q->keynode)))
		return ret;
	if (q->binary && (ret = resolve_tree(c, q->keynode)))
		return ret;
	for (i = 0; i < q->nitems; i++)
		if ((ret = resolve_tree(c, q->items[i].node)))
			return ret;
	for (i = 0; i < q->naggs; i++)
		if ((ret = resolve_tree(c, q->aggs[i].arg)))
			return ret;
	if ((ret = resolve_tree(c, q->where)))
		return ret;

	infer(q);

	q->key = q->keynode ? q->keynode->field : -1;
	if (q->keynode)
		type_tree(c, q->keynode);
	for (i = 0; i < q->nitems; i++) {
		struct qitem *it = &q->items[i];

		if (it->agg >= 0)
			continue;
		if (q->key < 0)
			return query_error(c, -EINVAL, it->at,
					   "a field in SELECT without GROUP BY: aggregate it (sum, min, max) or group by it");
		if (it->node->field != q->key)
			return query_error(c, -EINVAL, it->at,
					   "not the GROUP BY field: aggregate it (sum, min, max)");
	}
	for (i = 0; i < q->naggs; i++) {
		struct qagg *ag = &q->aggs[i];

		if (!ag->arg) {
			ag->type = QT_INT;
			continue;
		}
		if ((ret = type_tree(c, ag->arg)))
			return ret;
		if (ag->arg->type == QT_BOOL || ag->arg->type == QT_STR ||
		    (ag->fn == QA_SUM && ag->arg->type == QT_DATE)) {
			char b[8];

			return query_error(c, -EINVAL, ag->arg->at,
					   "cannot %s %s",
					   ag->fn == QA_SUM ? "sum" :
					   ag->fn == QA_MIN ? "take the min of" :
					   "take the max of",
					   type_name(ag->arg->type, ag->arg->scale,
						     b, sizeof(b)));
		}
		ag->type = ag->arg->type;
		ag->scale = ag->arg->scale;
	}
	if (q->where) {
		if ((ret = type_tree(c, q->where)))
			return ret;
		if (q->where->type != QT_BOOL)
			return query_error(c, -EINVAL, q->where->at,
					   "WHERE needs a condition (a comparison), not a value");
	}
	return 0;
}
