// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Queries: the lexer, and the compiler-style error messages of every pass
 * (query_error(): "query:LINE:COL: what", the line, a caret under the
 * token).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>

#include "query_parse.h"

/*
 * A line longer than ERR_WIDTH is shown from ERR_BEFORE bytes before the
 * error to ERR_AFTER after its start
 */
#define ERR_WIDTH	160
#define ERR_BEFORE	60
#define ERR_AFTER	60

int query_error(struct qctx *c, int ret, struct qspan at, const char *fmt, ...)
{
	const char *s = c->q->text, *line = s;
	int lineno = 1, col, n, i, w, from, to;
	size_t used = 0;
	va_list ap;

	if (!c->ret)
		c->ret = ret;
	if (!c->err || !c->errlen)
		return ret;
	for (i = 0; i < at.pos && s[i]; i++) {
		if (s[i] == '\n') {
			lineno++;
			line = s + i + 1;
		}
	}
	col = (int)(s + at.pos - line) + 1;
	n = snprintf(c->err, c->errlen, "query:%d:%d: ", lineno, col);
	if (n > 0)
		used = (size_t)n < c->errlen ? (size_t)n : c->errlen - 1;
	va_start(ap, fmt);
	n = vsnprintf(c->err + used, c->errlen - used, fmt, ap);
	va_end(ap);
	if (n > 0)
		used += (size_t)n < c->errlen - used ? (size_t)n : c->errlen - used - 1;
	/*
	 * The line, then a caret under the token (tildes for the rest of
	 * it).  Of a long line only a window around the token, marked with
	 * "...", so that the caret survives any buffer of a few hundred bytes.
	 */
	w = (int)strcspn(line, "\n");
	from = w > ERR_WIDTH && col - 1 > ERR_BEFORE ? col - 1 - ERR_BEFORE : 0;
	to = w > ERR_WIDTH && w - (col - 1) > ERR_AFTER ? col - 1 + ERR_AFTER : w;
	n = snprintf(c->err + used, c->errlen - used, "\n  %s%.*s%s\n  ",
		     from ? "..." : "", to - from, line + from,
		     to < w ? "..." : "");
	if (n > 0)
		used += (size_t)n < c->errlen - used ? (size_t)n : c->errlen - used - 1;
	for (i = 0; from && i < 3 && used + 1 < c->errlen; i++)
		c->err[used++] = ' ';	/* under the "..." */
	for (i = from + 1; i < col && used + 1 < c->errlen; i++)
		c->err[used++] = line[i - 1] == '\t' ? '\t' : ' ';
	for (i = 0; i < (at.len > 0 ? at.len : 1) && col + i <= to + 1 &&
	     used + 1 < c->errlen; i++)
		c->err[used++] = i ? '~' : '^';
	c->err[used] = '\0';
	return ret;
}

int lex(struct parser *p)
{
	const char *s = p->s;
	int i = p->pos;

	while (isspace((unsigned char)s[i]))
		i++;
	p->at.pos = i;
	if (!s[i]) {
		p->t = T_EOF;
		p->at.len = 0;
		p->pos = i;
		return 0;
	}
	if (isalpha((unsigned char)s[i]) || s[i] == '_') {
		while (isalnum((unsigned char)s[i]) || s[i] == '_')
			i++;
		p->t = T_IDENT;
	} else if (isdigit((unsigned char)s[i]) ||
		   (s[i] == '.' && isdigit((unsigned char)s[i + 1]))) {
		while (isdigit((unsigned char)s[i]))
			i++;
		if (s[i] == '.') {
			i++;
			while (isdigit((unsigned char)s[i]))
				i++;
		}
		p->t = T_NUM;
		if (isalpha((unsigned char)s[i]) || s[i] == '_' || s[i] == '.') {
			p->at.len = i + 1 - p->at.pos;
			return query_error(p->c, -EINVAL, p->at, "malformed number");
		}
	} else if (s[i] == '$') {
		i++;
		if (!isdigit((unsigned char)s[i])) {
			p->at.len = 1;
			return query_error(p->c, -EINVAL, p->at,
					   "'$' must be followed by a field number ($1 is the first field)");
		}
		while (isdigit((unsigned char)s[i]))
			i++;
		p->t = T_FIELD;
	} else if (s[i] == '\'' || s[i] == '"') {
		char q = s[i++];

		for (;;) {
			if (!s[i]) {
				p->at.len = 1;
				return query_error(p->c, -EINVAL, p->at,
						   "unterminated %s",
						   q == '\'' ? "string" : "quoted name");
			}
			if (s[i] == q) {
				if (s[i + 1] != q)
					break;
				i++;	/* '' is a quote */
			}
			i++;
		}
		i++;
		p->t = q == '\'' ? T_STR : T_QIDENT;
	} else {
		static const struct {
			const char	*s;
			enum tok	t;
		} ops[] = {
			{ "<>", T_NE }, { "!=", T_NE }, { "<=", T_LE }, { ">=", T_GE },
			{ "(", T_LP }, { ")", T_RP }, { ",", T_COMMA }, { "*", T_STAR },
			{ "+", T_PLUS }, { "-", T_MINUS }, { "=", T_EQ }, { "<", T_LT },
			{ ">", T_GT }, { "@", T_AT }, { ":", T_COLON },
		};
		size_t k;

		for (k = 0; k < ARRAY_SIZE(ops); k++) {
			size_t l = strlen(ops[k].s);

			if (!strncmp(s + i, ops[k].s, l)) {
				p->t = ops[k].t;
				i += l;
				break;
			}
		}
		if (k == ARRAY_SIZE(ops)) {
			p->at.len = 1;
			if (s[i] == '/')
				return query_error(p->c, -EINVAL, p->at,
						   "division is not supported (decimals are fixed-point: use a scale)");
			return query_error(p->c, -EINVAL, p->at,
					   "unexpected character '%c'", s[i]);
		}
	}
	p->at.len = i - p->at.pos;
	p->pos = i;
	return 0;
}

