// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Queries: the recursive-descent parser (text -> tree); the lexer and
 * the error messages are query_lex.c.  The grammar is in
 * Documentation/examples/queries.md; fields stay as written here and are resolved by
 * query_check.c.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "query_parse.h"

static bool is_kw(const struct parser *p, const char *kw)
{
	return p->t == T_IDENT && (int)strlen(kw) == p->at.len &&
	       !strncasecmp(p->s + p->at.pos, kw, p->at.len);
}

static const char *tok_what(const struct parser *p)
{
	return p->t == T_EOF ? "the end of the query" : NULL;
}

/* "expected X, found Y" at the current token */
static int expected(struct parser *p, const char *what)
{
	if (tok_what(p))
		return query_error(p->c, -EINVAL, p->at, "expected %s, found %s",
				   what, tok_what(p));
	return query_error(p->c, -EINVAL, p->at, "expected %s, found '%.*s'",
			   what, p->at.len, p->s + p->at.pos);
}

static int expect(struct parser *p, enum tok t, const char *what)
{
	if (p->t != t)
		return expected(p, what);
	return lex(p);
}

static struct qnode *new_node(struct parser *p, enum qnode_kind kind,
			      struct qspan at)
{
	struct uringblk_query *q = p->c->q;
	struct qnode *n;

	if (q->nnodes >= QUERY_MAX_NODES) {
		query_error(p->c, -E2BIG, at, "query too long (more than %d terms)",
			    QUERY_MAX_NODES);
		return NULL;
	}
	n = &q->nodes[q->nnodes++];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->at = at;
	n->field = -1;
	n->ref.col = -1;
	return n;
}

static struct qspan join(struct qspan a, struct qspan b)
{
	struct qspan r = { a.pos, b.pos + b.len - a.pos };

	return r;
}

/*
 * A number of the query text as a scaled integer: its digits, the point
 * left out, must fit in 64 bits signed (9223372036854775807, or
 * 92233720368547758.07 as dec2; with @neg, a '-' before it, one more:
 * -9223372036854775808), with at most QUERY_MAX_SCALE digits after the
 * point.  The range of the data's values.
 */
static int parse_number(struct parser *p, bool neg, int64_t *val, int *scale)
{
	const uint64_t max = (uint64_t)INT64_MAX + neg;
	const char *s = p->s + p->at.pos;
	uint64_t v = 0;
	int i, sc = -1;

	for (i = 0; i < p->at.len; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (s[i] == '.') {
			sc = 0;
			continue;
		}
		if (sc >= QUERY_MAX_SCALE)
			return query_error(p->c, -EINVAL, p->at,
					   "number too precise (at most %d digits after the point)",
					   QUERY_MAX_SCALE);
		if (v > (max - d) / 10)
			return query_error(p->c, -EINVAL, p->at,
					   "number out of range (its digits, without the point, at most %s)",
					   neg ? "-9223372036854775808" : "9223372036854775807");
		v = v * 10 + d;
		if (sc >= 0)
			sc++;
	}
	*val = neg ? (int64_t)(0 - v) : (int64_t)v;
	*scale = sc < 0 ? 0 : sc;
	return 0;
}

/*
 * A type name: int, decN, date, str (CSV annotations), and for binary
 * fields also i8..i64, u8..u32, cN.  Returns 0 and fills @ref, or -EINVAL.
 */
static int type_name(struct parser *p, struct qref *ref, bool binary)
{
	const char *s = p->s + p->at.pos;
	int len = p->at.len, n = -1;
	char name[8];

	if (p->t != T_IDENT || len >= (int)sizeof(name))
		goto bad;
	memcpy(name, s, len);
	name[len] = '\0';
	for (int i = 0; name[i]; i++)
		name[i] = tolower((unsigned char)name[i]);
	if ((name[0] == 'c' && len > 1) || (!strncmp(name, "dec", 3) && len > 3)) {
		int d = name[0] == 'c' ? 1 : 3;

		n = 0;
		for (int i = d; i < len; i++) {
			if (!isdigit((unsigned char)name[i]))
				goto bad;
			n = n * 10 + name[i] - '0';
			if (n > 99)
				break;
		}
	}
	ref->scale = 0;
	ref->bin = QB_NONE;
	ref->width = 0;
	if (!strcmp(name, "int")) {
		ref->type = QT_INT;
		ref->bin = QB_I64;
	} else if (!strcmp(name, "date")) {
		ref->type = QT_DATE;
		ref->bin = QB_I32;
	} else if (!strcmp(name, "str") && !binary) {
		ref->type = QT_STR;
	} else if (!strncmp(name, "dec", 3) && n >= 0) {
		if (n > QUERY_MAX_SCALE)
			return query_error(p->c, -EINVAL, p->at,
					   "scale %d: at most %d digits after the point",
					   n, QUERY_MAX_SCALE);
		ref->type = n ? QT_DEC : QT_INT;
		ref->scale = n;
		ref->bin = QB_I64;
	} else if (binary && name[0] == 'c' && n >= 0) {
		if (n < 1 || n > 8)
			return query_error(p->c, -EINVAL, p->at,
					   "text fields are c1 to c8 (at most 8 bytes)");
		ref->type = QT_STR;
		ref->bin = QB_CHR;
		ref->width = n;
	} else if (binary) {
		static const struct {
			const char	*n;
			enum qbin	b;
		} ints[] = {
			{ "i8", QB_I8 }, { "i16", QB_I16 }, { "i32", QB_I32 },
			{ "i64", QB_I64 }, { "u8", QB_U8 }, { "u16", QB_U16 },
			{ "u32", QB_U32 },
		};
		size_t k;

		for (k = 0; k < ARRAY_SIZE(ints); k++)
			if (!strcmp(name, ints[k].n))
				break;
		if (k == ARRAY_SIZE(ints))
			goto bad;
		ref->type = QT_INT;
		ref->bin = ints[k].b;
	} else {
		goto bad;
	}
	if (!ref->width) {
		static const int w[] = {
			[QB_I8] = 1, [QB_I16] = 2, [QB_I32] = 4, [QB_I64] = 8,
			[QB_U8] = 1, [QB_U16] = 2, [QB_U32] = 4,
		};

		ref->width = ref->bin == QB_NONE ? 0 : w[ref->bin];
	}
	ref->type_at = p->at;
	return lex(p);
bad:
	if (binary)
		return query_error(p->c, -EINVAL, p->at,
				   "unknown field type '%.*s' (i8, i16, i32, i64, u8, u16, u32, decN, date, cN)",
				   p->at.len, s);
	return expected(p, "a type (int, decN, date or str)");
}

static struct qnode *parse_expr(struct parser *p);

/*
 * One more level of '(', NOT or unary '-' at the current token: 0, or
 * -E2BIG past QUERY_MAX_DEPTH (the parser recurses on each level).
 */
static int enter(struct parser *p)
{
	if (p->depth >= QUERY_MAX_DEPTH)
		return query_error(p->c, -E2BIG, p->at,
				   "expression nested too deeply (more than %d levels of '(', NOT or '-')",
				   QUERY_MAX_DEPTH);
	p->depth++;
	return 0;
}

/* yyyymmdd is a day of the calendar (leap years included) */
static bool is_date(int64_t v)
{
	int y = (int)(v / 10000), m = (int)(v / 100 % 100), d = (int)(v % 100);
	int dim = m == 2 ? 28 + ((y % 4 == 0 && y % 100) || y % 400 == 0) :
		  m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;

	return m >= 1 && m <= 12 && d >= 1 && d <= dim;
}

/* $N, name, "name", or TYPE@OFFSET; then an optional :type */
static struct qnode *parse_field(struct parser *p)
{
	struct qnode *n = new_node(p, QN_FIELD, p->at);
	struct qspan start = p->at;

	if (!n)
		return NULL;
	if (p->t == T_FIELD) {
		long col = strtol(p->s + p->at.pos + 1, NULL, 10);

		if (col < 1 || col > 4096) {
			query_error(p->c, -EINVAL, p->at,
				    "field number out of range (1 to 4096)");
			return NULL;
		}
		n->ref.col = (int)col - 1;
		if (lex(p))
			return NULL;
	} else if (p->t == T_IDENT && p->s[p->pos] == '@') {
		/* binary: TYPE@OFFSET */
		if (type_name(p, &n->ref, true))
			return NULL;
		if (lex(p))	/* the @ */
			return NULL;
		if (p->t != T_NUM || memchr(p->s + p->at.pos, '.', p->at.len)) {
			expected(p, "a byte offset after '@'");
			return NULL;
		}
		n->ref.off = atoi(p->s + p->at.pos);
		if (p->at.len > 4 || n->ref.off >= URINGBLK_QUERY_MAX_RECLEN) {
			query_error(p->c, -EINVAL, p->at,
				    "offset past the longest record (%d bytes)",
				    URINGBLK_QUERY_MAX_RECLEN);
			return NULL;
		}
		n->at = join(start, p->at);
		n->ref.type_at.len = 0;	/* the type is the layout's */
		if (lex(p))
			return NULL;
		return n;
	} else {
		/* a header name; "" names nothing (an empty field is $N) */
		n->ref.name = p->at;
		n->ref.quoted = p->t == T_QIDENT;
		if (p->t == T_QIDENT) {
			n->ref.name.pos++;
			n->ref.name.len -= 2;
		}
		if (!n->ref.name.len) {
			query_error(p->c, -EINVAL, p->at,
				    "an empty name: a header field without a name is known by its number ($N)");
			return NULL;
		}
		if (lex(p))
			return NULL;
	}
	if (p->t == T_COLON) {
		if (lex(p) || type_name(p, &n->ref, false))
			return NULL;
		n->ref.bin = QB_NONE;
	}
	return n;
}

static struct qnode *parse_primary(struct parser *p)
{
	struct qnode *n;

	switch (p->t) {
	case T_NUM:
		n = new_node(p, QN_LIT, p->at);
		if (!n || parse_number(p, false, &n->val, &n->scale))
			return NULL;
		n->type = n->scale ? QT_DEC : QT_INT;
		return lex(p) ? NULL : n;
	case T_STR: {
		const char *s = p->s + p->at.pos + 1;
		int len = 0, i;

		n = new_node(p, QN_LIT, p->at);
		if (!n)
			return NULL;
		for (i = 0; i < p->at.len - 2; i++) {
			if (s[i] == '\'')
				i++;	/* '' */
			if (len == 8) {
				query_error(p->c, -EINVAL, p->at,
					    "string longer than 8 bytes (text values are compared by their first 8)");
				return NULL;
			}
			n->val |= (int64_t)((uint64_t)(unsigned char)s[i] << (8 * len));
			len++;
		}
		n->type = QT_STR;
		return lex(p) ? NULL : n;
	}
	case T_LP: {
		struct qspan start = p->at;

		if (enter(p))
			return NULL;
		if (lex(p))
			return NULL;
		n = parse_expr(p);
		p->depth--;
		if (!n)
			return NULL;
		if (p->t != T_RP) {
			query_error(p->c, -EINVAL, p->t == T_EOF ? start : p->at,
				    p->t == T_EOF ? "unbalanced '(': no ')' before the end" :
				    "expected ')'");
			return NULL;
		}
		n->at = join(start, p->at);
		return lex(p) ? NULL : n;
	}
	case T_FIELD:
	case T_QIDENT:
		return parse_field(p);
	case T_IDENT:
		/* DATE 'yyyy-mm-dd'; a field may be called date, too */
		if (is_kw(p, "date") && p->s[p->pos + strspn(p->s + p->pos, " \t\n")] == '\'') {
			struct qspan start = p->at;
			const char *d;
			int64_t v = 0;
			int i;

			if (lex(p))
				return NULL;
			if (p->t != T_STR) {
				expected(p, "a date 'yyyy-mm-dd' after DATE");
				return NULL;
			}
			d = p->s + p->at.pos + 1;
			for (i = 0; i < 10; i++) {
				if ((i == 4 || i == 7) ? d[i] != '-' :
				    !isdigit((unsigned char)d[i]))
					break;
				if (i != 4 && i != 7)
					v = v * 10 + d[i] - '0';
			}
			if (i < 10 || p->at.len != 12 || !is_date(v)) {
				query_error(p->c, -EINVAL, p->at,
					    "a date is 'yyyy-mm-dd', a day of the calendar");
				return NULL;
			}
			n = new_node(p, QN_LIT, join(start, p->at));
			if (!n)
				return NULL;
			n->type = QT_DATE;
			n->val = v;
			return lex(p) ? NULL : n;
		}
		{
			static const char *const kws[] = {
				"select", "from", "where", "group", "by", "and",
				"or", "not", "between", "sum", "count", "min", "max",
			};
			size_t k;

			for (k = 0; k < ARRAY_SIZE(kws); k++)
				if (is_kw(p, kws[k]))
					break;
			if (k < ARRAY_SIZE(kws)) {
				expected(p, "a value");
				return NULL;
			}
		}
		return parse_field(p);
	default:
		expected(p, "a value");
		return NULL;
	}
}

static struct qnode *parse_unary(struct parser *p)
{
	struct qspan start = p->at;
	struct qnode *n, *a;

	if (p->t != T_MINUS)
		return parse_primary(p);
	if (enter(p) || lex(p))
		return NULL;
	if (p->t == T_NUM) {
		/* -9223372036854775808 has no positive twin: negate here */
		n = new_node(p, QN_LIT, join(start, p->at));
		p->depth--;
		if (!n || parse_number(p, true, &n->val, &n->scale))
			return NULL;
		n->type = n->scale ? QT_DEC : QT_INT;
		return lex(p) ? NULL : n;
	}
	a = parse_unary(p);
	p->depth--;
	if (!a)
		return NULL;
	if (a->kind == QN_LIT && a->type != QT_STR && a->type != QT_DATE) {
		if (a->val == INT64_MIN) {
			query_error(p->c, -EINVAL, join(start, a->at),
				    "number out of range (at most 9223372036854775807)");
			return NULL;
		}
		a->val = -a->val;
		a->at = join(start, a->at);
		return a;
	}
	n = new_node(p, QN_NEG, join(start, a->at));
	if (n)
		n->a = a;
	return n;
}

static struct qnode *binary(struct parser *p, enum qnode_kind kind,
			    struct qnode *a, struct qnode *b)
{
	struct qnode *n;

	if (!a || !b)
		return NULL;
	n = new_node(p, kind, join(a->at, b->at));
	if (n) {
		n->a = a;
		n->b = b;
	}
	return n;
}

static struct qnode *parse_mul(struct parser *p)
{
	struct qnode *n = parse_unary(p);

	while (n && p->t == T_STAR) {
		if (lex(p))
			return NULL;
		n = binary(p, QN_MUL, n, parse_unary(p));
	}
	return n;
}

static struct qnode *parse_add(struct parser *p)
{
	struct qnode *n = parse_mul(p);

	while (n && (p->t == T_PLUS || p->t == T_MINUS)) {
		enum qnode_kind k = p->t == T_PLUS ? QN_ADD : QN_SUB;

		if (lex(p))
			return NULL;
		n = binary(p, k, n, parse_mul(p));
	}
	return n;
}

static struct qnode *parse_cmp(struct parser *p)
{
	static const enum qop ops[] = {
		[T_EQ] = QOP_EQ, [T_NE] = QOP_NE, [T_LT] = QOP_LT,
		[T_LE] = QOP_LE, [T_GT] = QOP_GT, [T_GE] = QOP_GE,
	};
	struct qnode *n = parse_add(p), *lo, *hi, *b;

	if (!n)
		return NULL;
	if (p->t >= T_EQ && p->t <= T_GE) {
		enum qop op = ops[p->t];

		if (lex(p))
			return NULL;
		n = binary(p, QN_CMP, n, parse_add(p));
		if (n)
			n->op = op;
	} else if (is_kw(p, "between")) {
		if (lex(p))
			return NULL;
		lo = parse_add(p);
		if (!lo)
			return NULL;
		if (!is_kw(p, "and")) {
			expected(p, "AND of BETWEEN x AND y");
			return NULL;
		}
		if (lex(p))
			return NULL;
		hi = parse_add(p);
		b = binary(p, QN_BETWEEN, n, hi);
		if (b)
			b->c = lo;	/* a BETWEEN c AND b */
		n = b;
	}
	return n;
}

static struct qnode *parse_not(struct parser *p)
{
	struct qspan start = p->at;
	struct qnode *n, *a;

	if (!is_kw(p, "not"))
		return parse_cmp(p);
	if (enter(p) || lex(p))
		return NULL;
	a = parse_not(p);
	p->depth--;
	if (!a)
		return NULL;
	n = new_node(p, QN_NOT, join(start, a->at));
	if (n)
		n->a = a;
	return n;
}

static struct qnode *parse_and(struct parser *p)
{
	struct qnode *n = parse_not(p);

	while (n && is_kw(p, "and")) {
		if (lex(p))
			return NULL;
		n = binary(p, QN_AND, n, parse_not(p));
	}
	return n;
}

static struct qnode *parse_expr(struct parser *p)
{
	struct qnode *n = parse_and(p);

	while (n && is_kw(p, "or")) {
		if (lex(p))
			return NULL;
		n = binary(p, QN_OR, n, parse_and(p));
	}
	return n;
}

static int parse_item(struct parser *p)
{
	static const struct {
		const char	*name;
		enum qagg_fn	fn;
	} fns[] = {
		{ "sum", QA_SUM }, { "count", QA_COUNT }, { "min", QA_MIN },
		{ "max", QA_MAX },
	};
	struct uringblk_query *q = p->c->q;
	struct qspan start = p->at;
	struct qitem *it;
	struct qagg *ag;
	size_t k;

	it = &q->items[q->nitems];
	for (k = 0; k < ARRAY_SIZE(fns); k++)
		if (is_kw(p, fns[k].name))
			break;
	/*
	 * 8 aggregates and the key, in any order: the aggregates' limit
	 * counts aggregates only (a second key is the checker's "not the
	 * GROUP BY field", or one item too many here)
	 */
	if (q->nitems >= QUERY_MAX_ITEMS ||
	    (k < ARRAY_SIZE(fns) && q->naggs >= URINGBLK_QUERY_MAX_AGGS))
		return query_error(p->c, -E2BIG, p->at,
				   "too many SELECT items (at most %d aggregates and the GROUP BY field)",
				   URINGBLK_QUERY_MAX_AGGS);
	if (k == ARRAY_SIZE(fns)) {
		/* not an aggregate: the GROUP BY key, or a mistake */
		if (p->t == T_IDENT && p->s[p->pos] == '(')
			return query_error(p->c, -EINVAL, p->at,
					   "unknown function '%.*s' (sum, count, min, max)",
					   p->at.len, p->s + p->at.pos);
		if (p->t != T_FIELD && p->t != T_IDENT && p->t != T_QIDENT)
			return expected(p, "an aggregate (sum, count, min, max) or the GROUP BY field");
		it->agg = -1;
		it->node = parse_primary(p);
		if (!it->node)
			return -EINVAL;
		if (it->node->kind != QN_FIELD)
			return query_error(p->c, -EINVAL, it->node->at,
					   "expected an aggregate or the GROUP BY field");
		it->at = it->node->at;
		q->nitems++;
		return 0;
	}
	ag = &q->aggs[q->naggs];
	ag->fn = fns[k].fn;
	if (lex(p) || expect(p, T_LP, "'('"))
		return -EINVAL;
	if (ag->fn == QA_COUNT) {
		if (p->t != T_STAR)
			return expected(p, "'*' (count takes only *: count(*))");
		if (lex(p))
			return -EINVAL;
	} else {
		ag->arg = parse_expr(p);
		if (!ag->arg)
			return -EINVAL;
	}
	if (p->t != T_RP)
		return expected(p, "')'");
	it->agg = q->naggs++;
	it->at = join(start, p->at);
	q->nitems++;
	return lex(p);
}

/* FROM csv[(sep='|', header)] | FROM json | FROM binary(reclen=N) */
static int parse_from(struct parser *p)
{
	struct uringblk_query *q = p->c->q;

	if (is_kw(p, "csv")) {
		q->binary = 0;
		q->reclen = 0;
		if (lex(p))
			return -EINVAL;
		if (p->t != T_LP)
			return 0;
		do {
			if (lex(p))
				return -EINVAL;
			if (is_kw(p, "header")) {
				q->has_header = 1;
				if (lex(p))
					return -EINVAL;
			} else if (is_kw(p, "sep")) {
				if (lex(p) || expect(p, T_EQ, "'='"))
					return -EINVAL;
				if (p->t != T_STR || p->at.len != 3 ||
				    p->s[p->at.pos + 1] == '\n' ||
				    !p->s[p->at.pos + 1])
					return query_error(p->c, -EINVAL, p->at,
							   "the separator is one character in quotes: sep='|'");
				q->sep = p->s[p->at.pos + 1];
				if (lex(p))
					return -EINVAL;
			} else {
				return expected(p, "csv option sep='c' or header");
			}
		} while (p->t == T_COMMA);
		return expect(p, T_RP, "')'");
	}
	if (is_kw(p, "binary")) {
		struct qspan at;

		if (lex(p) || expect(p, T_LP, "'(' (binary(reclen=N))"))
			return -EINVAL;
		if (!is_kw(p, "reclen"))
			return expected(p, "reclen=N");
		if (lex(p) || expect(p, T_EQ, "'='"))
			return -EINVAL;
		at = p->at;
		if (p->t != T_NUM || memchr(p->s + p->at.pos, '.', p->at.len) ||
		    p->at.len > 4 || atoi(p->s + p->at.pos) < 1 ||
		    atoi(p->s + p->at.pos) > URINGBLK_QUERY_MAX_RECLEN)
			return query_error(p->c, -EINVAL, at,
					   "reclen is a record length of 1 to %d bytes",
					   URINGBLK_QUERY_MAX_RECLEN);
		q->binary = 1;
		q->reclen = atoi(p->s + p->at.pos);
		if (lex(p))
			return -EINVAL;
		return expect(p, T_RP, "')'");
	}
	/* JSON Lines: a flat object a line, fields by name */
	if (is_kw(p, "json")) {
		q->binary = 0;
		q->reclen = 0;
		q->json = 1;
		q->has_header = 0;
		return lex(p);
	}
	return expected(p, "csv, json or binary(reclen=N)");
}

static int parse_query(struct qctx *c)
{
	struct uringblk_query *q = c->q;
	struct parser p = { .c = c, .s = q->text };

	if (lex(&p))
		return -EINVAL;
	if (!is_kw(&p, "select"))
		return expected(&p, "SELECT");
	do {
		int ret = lex(&p);

		if (!ret)
			ret = parse_item(&p);
		if (ret)
			return ret;
	} while (p.t == T_COMMA);
	if (is_kw(&p, "from") && (lex(&p) || parse_from(&p)))
		return -EINVAL;
	if (is_kw(&p, "where")) {
		if (lex(&p))
			return -EINVAL;
		q->where = parse_expr(&p);
		if (!q->where)
			return -EINVAL;
	}
	if (is_kw(&p, "group")) {
		if (lex(&p))
			return -EINVAL;
		if (!is_kw(&p, "by"))
			return expected(&p, "BY");
		if (lex(&p))
			return -EINVAL;
		if (p.t != T_FIELD && p.t != T_IDENT && p.t != T_QIDENT)
			return expected(&p, "a field to group by");
		q->keynode = parse_primary(&p);
		if (!q->keynode)
			return -EINVAL;
		if (q->keynode->kind != QN_FIELD)
			return query_error(c, -EINVAL, q->keynode->at,
					   "GROUP BY takes one field");
		q->key_at = q->keynode->at;
	}
	if (p.t != T_EOF) {
		if (is_kw(&p, "from") || is_kw(&p, "where") || is_kw(&p, "group"))
			return query_error(c, -EINVAL, p.at,
					   "clauses go in the order SELECT, FROM, WHERE, GROUP BY");
		return expected(&p, p.t == T_COMMA || q->keynode ?
				"the end of the query" :
				"',', FROM, WHERE, GROUP BY or the end");
	}
	return 0;
}

int query_parse(struct qctx *c)
{
	int ret = parse_query(c);

	/* a NULL node is reported as -EINVAL above: the error said which */
	return ret && c->ret ? c->ret : ret;
}
