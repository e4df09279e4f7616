/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * Queries: the tree the parser builds, the checker types and the code
 * generator (query_gen.c) and the host interpreter (query_host.c) both
 * read.  The language is in Documentation/examples/queries.md.
 */
#ifndef LIBURINGBLK_QUERY_INTERNAL_H
#define LIBURINGBLK_QUERY_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>

#include "private.h"
#include "query_num.h"

/* Value types.  Every value is a 64-bit integer on the drive. */
enum qtype {
	QT_NONE,	/* not yet known (an untyped CSV field) */
	QT_INT,		/* decimal with scale 0 */
	QT_DEC,		/* fixed point: value * 10^scale */
	QT_DATE,	/* yyyymmdd */
	QT_STR,		/* up to 8 bytes, in memory order, NUL-padded */
	QT_BOOL,	/* conditions only */
};

enum qnode_kind {
	QN_LIT,		/* val, type */
	QN_FIELD,	/* field, a slot of query->fields */
	QN_NEG,
	QN_ADD, QN_SUB, QN_MUL,
	QN_CMP,		/* op: QOP_* */
	QN_BETWEEN,	/* a BETWEEN b AND c */
	QN_AND, QN_OR, QN_NOT,
};

enum qop { QOP_EQ, QOP_NE, QOP_LT, QOP_LE, QOP_GT, QOP_GE };

/* A place in the query text: byte offset and length, for messages. */
struct qspan {
	int	pos;
	int	len;
};

/* Binary field layouts: how many bytes, signed or not. */
enum qbin {
	QB_NONE,	/* a CSV field */
	QB_I8, QB_I16, QB_I32, QB_I64, QB_U8, QB_U16, QB_U32,
	QB_CHR,		/* width bytes of text (cN) */
};

/* A field as written, before query_check() resolves it. */
struct qref {
	int		col;		/* $N - 1, or -1 */
	struct qspan	name;		/* a header name, or len 0 */
	bool		quoted;		/* name was "..." ("" in it is ") */
	enum qbin	bin;		/* i32@8 and friends, or QB_NONE */
	int		width;
	int		off;
	enum qtype	type;		/* :type annotation (or binary's) */
	int		scale;
	struct qspan	type_at;	/* len 0: no annotation */
};

struct qnode {
	enum qnode_kind		kind;
	enum qop		op;
	struct qspan		at;
	enum qtype		type;
	int			scale;
	int64_t			val;	/* QN_LIT */
	int			field;	/* QN_FIELD: index in query->fields */
	struct qref		ref;	/* QN_FIELD: as written */
	struct qnode		*a, *b, *c;
};


/* A field the query uses; the code keeps its value in a slot. */
struct qfield {
	int		col;		/* CSV: 0-based column */
	int		off;		/* binary: byte offset in the record */
	enum qbin	bin;
	int		width;		/* binary: bytes */
	enum qtype	type;
	int		scale;
	struct qspan	at;		/* first mention */
	struct qspan	type_at;	/* where its type was given, if it was */
};

enum qagg_fn { QA_SUM, QA_COUNT, QA_MIN, QA_MAX };

struct qagg {
	enum qagg_fn	fn;
	struct qnode	*arg;		/* NULL for count(*) */
	enum qtype	type;
	int		scale;
};

/* A SELECT item: an aggregate or the GROUP BY key. */
struct qitem {
	int		agg;		/* index in aggs, or -1: the key */
	struct qnode	*node;		/* the key as written (agg -1) */
	struct qspan	at;
};

#define QUERY_MAX_ITEMS		(URINGBLK_QUERY_MAX_AGGS + 1)
#define QUERY_MAX_NODES		512
#define QUERY_MAX_SCALE		18
/*
 * CSV record rules shared with the drive's record helpers (the numbers'
 * and dates' syntax is theirs too, <linux/uringblk_prog.h> "Records"):
 * the longest record, its '\n' included, and the longest number or date
 * field, blanks included.  Longer is malformed.
 */
#define QUERY_REC_MAX_LEN	URINGBLK_REC_MAX_LEN
/* .bss of the record helpers' program: identify.max_rw_globals since ABI 1.3 */
#define QUERY_REC_BSS		4096
#define QUERY_NUM_MAX_LEN	URINGBLK_NUM_MAX_LEN

/*
 * The program's output: a header of u64 counters, then the group table:
 * QUERY_SLOTS entries (1 without GROUP BY) of key, count and one u64 per
 * aggregate, open addressing with linear probing; an entry is in use when
 * its count is not 0 (a group exists only once a record passed WHERE).
 */
#define QOUT_RECORDS	0
#define QOUT_MATCHED	8
#define QOUT_MALFORMED	16
#define QOUT_GROUPS	24
#define QOUT_TRAILING	32
#define QOUT_MAGIC	40
#define QOUT_HDR	64
#define QOUT_MAGIC_VAL	0x3159524551425551ULL	/* "QUBQERY1" */
#define QUERY_HASH_BITS	11
#define QUERY_SLOTS	(1U << QUERY_HASH_BITS)	/* 2 x the most groups */
#define QUERY_HASH_MUL	0x9e3779b97f4a7c15ULL
/* r0 of a run that met more than URINGBLK_QUERY_MAX_GROUPS keys */
#define QUERY_R0_OVERFLOW	1

/* Which program the query compiled to (uringblk_query_program()) */
enum query_engine {
	QUERY_ENGINE_REC,	/* CSV on the record helpers (query_gen_rec.c) */
	QUERY_ENGINE_BYTES,	/* CSV a byte at a time (query_gen_csv.c) */
	QUERY_ENGINE_BINARY,	/* binary records (query_gen.c) */
	QUERY_ENGINE_JSON,	/* JSON Lines a byte at a time (query_gen_json.c) */
};

struct uringblk_query {
	char		*text;
	enum query_engine engine;
	int		rec_plain;	/* REC: no filtered calls (a drive before ABI 1.11) */
	int		rec_conds;	/* REC: WHERE's conjuncts the helper checks */
	/* data format */
	int		binary;
	int		json;		/* JSON Lines: fields by name, q->names */
	char		sep;
	int		has_header;
	int		reclen;
	char		**names;	/* header fields, for CSV names */
	int		nnames;
	/* what the query does */
	struct qfield	fields[URINGBLK_QUERY_MAX_FIELDS];
	int		nfields;
	struct qagg	aggs[URINGBLK_QUERY_MAX_AGGS];
	int		naggs;
	struct qitem	items[QUERY_MAX_ITEMS];
	int		nitems;
	int		key;		/* field index of GROUP BY, or -1 */
	struct qnode	*keynode;
	struct qspan	key_at;
	struct qnode	*where;		/* NULL: every record */
	/* the tree's nodes */
	struct qnode	nodes[QUERY_MAX_NODES];
	int		nnodes;
	/* the program */
	struct bpf_insn	*insns;
	unsigned int	ninsns;
	unsigned int	bss_len;	/* bytes of .bss it needs */
};

/* Compile state shared by the passes: the query and the error buffer. */
struct qctx {
	struct uringblk_query	*q;
	char			*err;
	size_t			errlen;
	int			ret;	/* the first query_error()'s errno */
};

/* query_parse.c: text -> tree (fields unresolved: col/name/bin). */
int query_parse(struct qctx *c);

/* query_check.c: resolve fields, infer and check types. */
int query_check(struct qctx *c);

/* query_gen.c: tree -> q->insns. */
int query_gen(struct qctx *c);
/* query_gen_rec.c: can the record helpers' program run @q? */
bool query_gen_rec_fits(const struct uringblk_query *q);

/*
 * query.c: the program to send a drive with identify.features @features:
 * @q's own (*@plain NULL), or, when @q is the record helpers' program and
 * the drive has no filtered calls (URINGBLK_F_REC_FILTER, ABI 1.11), a
 * copy of @q compiled without them in *@plain, to free with
 * query_plain_free().  0 or an errno.
 */
int query_for_drive(const struct uringblk_query *q, __u64 features,
		    struct uringblk_query **plain);
void query_plain_free(struct uringblk_query *plain);
/* query.c: q->rec_conds (for the tests) */
int query_rec_conds(const struct uringblk_query *q);

/*
 * Format "query:LINE:COL: <fmt>", the line (a window of it around @at when
 * it is long), and a caret under @at into c->err.  Returns @ret, and keeps
 * the first error's in c->ret, so a pass that only sees a NULL node still
 * returns the errno that was meant (-E2BIG for a limit).
 */
int query_error(struct qctx *c, int ret, struct qspan at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * query_host_json.c: one JSON Lines record (a line without its '\n', not
 * blank): 1 with the query's fields in @slot, 0 if malformed.
 */
int query_host_json_line(const struct uringblk_query *q, const char *s,
			 size_t len, __s64 *slot);

/* Out-of-line helpers both evaluators use (query_result.c). */
size_t query_entry_size(const struct uringblk_query *q);
unsigned int query_slots(const struct uringblk_query *q);
/* Sort @res's groups by key (query_result.c) */
void query_sort_groups(const struct uringblk_query *q,
		       struct uringblk_query_result *res);

#endif /* LIBURINGBLK_QUERY_INTERNAL_H */
