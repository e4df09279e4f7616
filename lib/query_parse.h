/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * Queries: the lexer's tokens and state, shared by the lexer
 * (query_lex.c) and the parser (query_parse.c).
 */
#ifndef LIBURINGBLK_QUERY_PARSE_H
#define LIBURINGBLK_QUERY_PARSE_H

#include "query.h"

enum tok {
	T_EOF, T_NUM, T_STR, T_IDENT, T_QIDENT, T_FIELD,
	T_LP, T_RP, T_COMMA, T_STAR, T_PLUS, T_MINUS,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_AT, T_COLON,
};

struct parser {
	struct qctx	*c;
	const char	*s;
	int		pos;		/* next byte to lex */
	enum tok	t;		/* current token */
	struct qspan	at;
	int		depth;		/* open '(', NOT and unary '-' */
};

/*
 * How deeply parentheses, NOT and unary minus may nest: the parser
 * recurses on each, so a bound keeps any query text from exhausting the
 * stack (the code generator's own limit on pending values is lower for
 * real expressions; this one counts levels that generate nothing, too).
 */
#define QUERY_MAX_DEPTH		64

/*
 * The next token into p->t and p->at; 0, or -EINVAL with the message in
 * p->c (an unterminated string, a stray character, a malformed number).
 */
int lex(struct parser *p);

#endif /* LIBURINGBLK_QUERY_PARSE_H */
