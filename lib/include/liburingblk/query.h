/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * <liburingblk/query.h> - queries: a small SQL-like filter/aggregate
 * compiled into a program for the drive, and run on the host too.
 *
 * Part of <liburingblk.h>, which includes every header of liburingblk.
 */
#ifndef LIBURINGBLK_QUERY_H
#define LIBURINGBLK_QUERY_H

#include <stddef.h>
#include <linux/bpf.h>		/* struct bpf_insn */
#include <liburingblk/uapi/uringblk.h>
#include <liburingblk/device.h>
#include <liburingblk/file.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Queries (liburingblk 1.9)
 * -------------------------
 * A filter/aggregate over records, written in a small SQL-like language
 * (Documentation/examples/queries.md) and compiled by the library into a program for
 * the drive, so that a user need not write eBPF:
 *
 *   SELECT $9, sum($5:dec2 * $7:dec2), count(*)
 *   WHERE $11 >= date '1994-01-01' AND $7 BETWEEN 0.05 AND 0.07
 *   GROUP BY $9
 *
 * over CSV text (fields by position $N or, with a header line, by name)
 * or fixed-length binary records (FROM binary(reclen=N), fields i32@8,
 * dec2@24, ...).  Numbers are 64-bit integers and fixed-point decimals
 * (the scale is part of the type), dates are yyyymmdd integers: nothing
 * is floating point, on the drive or here.  The same compiled query also
 * runs on the host (uringblk_query_host(), an interpreter of the query
 * tree that shares nothing with the code generator), so that each checks
 * the other.
 */
#define URINGBLK_QUERY_MAX_GROUPS	1024	/* distinct GROUP BY keys */
#define URINGBLK_QUERY_MAX_FIELDS	16	/* distinct fields a query uses */
#define URINGBLK_QUERY_MAX_AGGS		8	/* aggregates in SELECT */
#define URINGBLK_QUERY_MAX_RECLEN	256	/* binary record length */

struct uringblk_query;

/**
 * struct uringblk_query_opts - how to read the data (defaults; a FROM
 *	clause in the query overrides them)
 * @header:	the data's first line (up to its newline or NUL), to resolve
 *		field names, or NULL; only used when the data have a header
 *		(@has_header, or FROM csv(header) in the query): pass it
 *		whenever the data may be CSV.  A name matches a header
 *		field byte for byte (the first of equal ones); an empty
 *		field has no name (use $N), and the empty name is refused
 * @has_header:	the first line of CSV data is a header: skipped, and its
 *		fields name the columns
 * @sep:	CSV field separator; 0 means ','
 * @reclen:	if not 0: binary records of this many bytes (FROM binary)
 * @byte_loop:	CSV: compile to the program that parses a byte at a time
 *		in the interpreter (the reference), not to the one on the
 *		drive's record helpers (the default, ABI 1.7); a query the
 *		helpers cannot serve (a field past the 255th, more than 14
 *		fields) gets the byte loop anyway: uringblk_query_program()
 */
struct uringblk_query_opts {
	const char	*header;
	int		has_header;
	char		sep;
	__u32		reclen;
	int		byte_loop;
};

/**
 * struct uringblk_query_group - one row of a query's result
 * @key:	the GROUP BY key (0 without GROUP BY); a str key holds its
 *		bytes in memory order, NUL-padded
 * @count:	records of the group that passed WHERE
 * @val:	the SELECT list's aggregates, in order, scaled integers
 *		(sum, min, max; count(*) is @count)
 */
struct uringblk_query_group {
	__s64	key;
	__u64	count;
	__s64	val[URINGBLK_QUERY_MAX_AGGS];
};

/**
 * struct uringblk_query_result - what a query found
 * @records:	records seen (CSV: non-empty lines but the header)
 * @matched:	records that passed WHERE
 * @malformed:	records skipped because a field the query uses is missing
 *		or not of its type
 * @trailing:	bytes after the last whole binary record (ignored)
 * @ngroups:	rows in @groups, sorted by key
 * @groups:	the rows
 */
struct uringblk_query_result {
	__u64				records;
	__u64				matched;
	__u64				malformed;
	__u64				trailing;
	unsigned int			ngroups;
	struct uringblk_query_group	*groups;
};

/**
 * uringblk_query_compile() - parse, type-check and compile a query
 * @text:	the query
 * @opts:	defaults for the data format, or NULL (CSV, ',', no header)
 * @q:		receives the query; free with uringblk_query_free()
 * @err:	receives, for a bad query, a message that points at the error:
 *		"query:1:8: unknown function 'summ'", the line (of a line
 *		over 160 bytes, the 60 before the token and 60 from it, cut
 *		ends shown as "..."), and a caret under the offending token
 * @errlen:	its size
 *
 * Any text is safe to compile: nesting is bounded, not by the stack.
 *
 * Return: 0; -EINVAL (a bad query, @err says why and where); -E2BIG (the
 * query is over a limit: more than URINGBLK_QUERY_MAX_FIELDS fields or
 * URINGBLK_QUERY_MAX_AGGS aggregates, more than 512 terms (values,
 * fields and operators), more than 64 levels of '(', NOT or unary '-',
 * expressions more than 8 values deep, or a program over the instruction
 * limit); -ENOMEM.
 */
int uringblk_query_compile(const char *text,
			   const struct uringblk_query_opts *opts,
			   struct uringblk_query **q, char *err, size_t errlen);

/**
 * uringblk_query_free() - free a compiled query
 * @q:	from uringblk_query_compile(), or NULL
 */
void uringblk_query_free(struct uringblk_query *q);

/**
 * uringblk_query_insns() - the program a query compiled to
 * @q:		a compiled query
 * @cnt:	receives the number of instructions
 *
 * The program takes the number of bytes to read in ctx->args[0] (0: all
 * of ctx->data_len), writes its result to the output buffer (at least
 * uringblk_query_out_len() bytes) and returns 0, or 1 when the data had
 * more than URINGBLK_QUERY_MAX_GROUPS groups.  uringblk_query_decode()
 * reads it.  The record-helper program also needs .bss: load it with
 * uringblk_query_image() (uringblk_query_exec() does all of it).  It makes
 * filtered uringblk_rec_parse() calls, which a drive has from ABI 1.11
 * (URINGBLK_F_REC_FILTER); an older drive refuses them at run time with
 * EINVAL, and uringblk_query_run() and uringblk_kv_select() send such a
 * drive the query compiled without them instead.
 *
 * Return: the instructions, owned by @q.
 */
const struct bpf_insn *uringblk_query_insns(const struct uringblk_query *q,
					    unsigned int *cnt);

/**
 * uringblk_query_image() - the query's program as PROG_LOAD takes it
 * @q:		a compiled query
 * @img:	filled: its instructions and the .bss it needs (the
 *		record-helper program keeps its rows there; the others have
 *		none), for uringblk_prog_load_image().  It points into @q.
 */
void uringblk_query_image(const struct uringblk_query *q,
			  struct uringblk_prog_image *img);

/**
 * uringblk_query_program() - which program a query compiled to
 * @q:	a compiled query
 *
 * Return: "record helpers", "byte loop" (CSV) or "binary records".
 */
const char *uringblk_query_program(const struct uringblk_query *q);

/**
 * uringblk_query_budget() - an instruction budget that covers the query's
 *	program over @bytes of data: uringblk_prog_budget() of the program
 *	that will run (uringblk_query_program()), so the byte loop of a
 *	query of many fields gets what it needs
 * @q:		a compiled query
 * @bytes:	the data's length
 *
 * Return: the budget; cap it at identify.max_insn_budget.
 */
__u64 uringblk_query_budget(const struct uringblk_query *q, __u64 bytes);

/**
 * uringblk_query_out_len() - output buffer the program needs, bytes
 * @q:	a compiled query
 *
 * Return: the size of the result header plus one entry (16 bytes and 8
 * per aggregate) per group slot: one slot without GROUP BY, the program's
 * fixed table of slots with it.
 */
size_t uringblk_query_out_len(const struct uringblk_query *q);

/**
 * uringblk_query_decode() - the result of a run of the query's program
 * @q:		the query
 * @r0:		the run's result
 * @out:	its output
 * @out_len:	bytes of it
 * @res:	receives the result; free with uringblk_query_result_free()
 * @err:	receives the reason of a failure
 * @errlen:	its size
 *
 * Return: 0; -E2BIG (more than URINGBLK_QUERY_MAX_GROUPS groups);
 * -EPROTO (output not of this query); -ENOMEM.
 */
int uringblk_query_decode(const struct uringblk_query *q, __u64 r0,
			  const void *out, size_t out_len,
			  struct uringblk_query_result *res, char *err,
			  size_t errlen);

/**
 * struct uringblk_query_decode_args - the run uringblk_query_decode_args()
 *	decodes (since 1.11)
 * @size:	sizeof(struct uringblk_query_decode_args) as the caller was
 *		built (the rule of struct uringblk_prog_load_args)
 * @flags:	0 (reserved for options)
 * @r0:		as for uringblk_query_decode()
 * @out:	as for uringblk_query_decode()
 * @out_len:	as for uringblk_query_decode()
 * @err:	as for uringblk_query_decode(), or NULL with @errlen 0
 * @errlen:	its size
 */
struct uringblk_query_decode_args {
	__u32					size;
	__u32					flags;
	__u64					r0;
	const void				*out;
	size_t					out_len;
	char					*err;
	size_t					errlen;
};

/**
 * uringblk_query_decode_args() - uringblk_query_decode() with its options
 *	in a struct that can grow (since 1.11)
 * @q:		the query
 * @args:	the run's result and output (@args->size set)
 * @res:	as for uringblk_query_decode()
 *
 * Return: as uringblk_query_decode(); -EINVAL (@args NULL, its size below
 * that of 1.11's struct, or flags not 0) or -E2BIG (a larger struct whose
 * bytes past the ones this library knows are not 0), before anything is
 * written.
 */
int uringblk_query_decode_args(const struct uringblk_query *q,
			       const struct uringblk_query_decode_args *args,
			       struct uringblk_query_result *res);

/**
 * uringblk_query_host() - run the query on the host, over @len bytes
 * @q:		as for uringblk_query_decode()
 * @res:	as for uringblk_query_decode()
 * @err:	as for uringblk_query_decode()
 * @errlen:	as for uringblk_query_decode()
 * @data:	the data
 * @len:	its length
 *
 * Evaluates the query tree record by record (no program is involved);
 * the result is the program's, byte for byte, by construction of the
 * language's rules (Documentation/examples/queries.md).
 *
 * Return: as uringblk_query_decode(), but never -EPROTO.
 */
int uringblk_query_host(const struct uringblk_query *q, const void *data,
			size_t len, struct uringblk_query_result *res,
			char *err, size_t errlen);

/**
 * struct uringblk_query_host_args - the data and options of
 *	uringblk_query_host_args() (since 1.12)
 * @size:	sizeof(struct uringblk_query_host_args) as the caller was
 *		built (the rule of struct uringblk_query_run_args)
 * @flags:	0 (reserved for options)
 * @data:	the data
 * @len:	its length
 * @err:	as for uringblk_query_decode(), or NULL
 * @errlen:	its size
 * @progress:	if not NULL, called on the caller's thread as the
 *		interpreter goes: @done bytes of the data read of @total
 *		(@len), at most once per MiB read and once at the end with
 *		@done = @total (after the data's end: a NUL byte also ends
 *		CSV and JSON Lines data); a return other than 0 stops the
 *		run, which then returns -ECANCELED
 * @progress_ctx: @progress's first argument
 *
 * Initialize it with designated initializers so that fields added later
 * are 0: { .size = sizeof(args), .data = p, .len = n, ... }.
 */
struct uringblk_query_host_args {
	__u32		size;
	__u32		flags;
	const void	*data;
	size_t		len;
	char		*err;
	size_t		errlen;
	int		(*progress)(void *ctx, __u64 done, __u64 total);
	void		*progress_ctx;
};

/**
 * uringblk_query_host_args() - uringblk_query_host() with progress
 *	(since 1.12)
 * @q:		as for uringblk_query_decode()
 * @args:	the data and options (@args->size set)
 * @res:	as for uringblk_query_decode()
 *
 * Runs the query on the host as uringblk_query_host() does, calling
 * @args->progress as it reads the data, for a progress display or to
 * stop a long run.
 *
 * Return: as uringblk_query_host(); -EINVAL (@args NULL, its size below
 * this struct's first version, or flags not 0) or -E2BIG (a larger
 * struct whose bytes past the ones this library knows are not 0), before
 * anything is read; -ECANCELED when @args->progress asked to stop (@res
 * then holds nothing).
 */
int uringblk_query_host_args(const struct uringblk_query *q,
			     const struct uringblk_query_host_args *args,
			     struct uringblk_query_result *res);

/**
 * struct uringblk_query_run_args - where and how uringblk_query_run() runs
 *	a query (since 1.10)
 * @size:	sizeof(struct uringblk_query_run_args) as the caller was
 *		built: a library newer than the caller reads the fields it
 *		added as 0; an older one refuses a larger struct unless the
 *		bytes it does not know are 0
 * @flags:	0 (reserved for options)
 * @map:	a file mapped with uringblk_file_map(), or NULL to run over
 *		the blocks [@lba, @lba + @count) of the drive
 * @lba:	the first block of the range when @map is NULL
 * @count:	its number of blocks
 * @limit:	bytes to read (0: all; a CSV scan also stops at a NUL byte)
 * @budget:	instruction budget, 0 for the drive's default
 * @xres:	if not NULL, receives the EXEC result (insns, bytes scanned)
 * @err:	as for uringblk_query_decode(), or NULL
 * @errlen:	its size
 * @from:	(since 1.12) with @map: run over the file's bytes [@from,
 *		@from + @len) only, as struct uringblk_file_exec_args's
 *		@from and @len say (without @map: 0, else -EINVAL)
 * @len:	(since 1.12) see @from
 *
 * Initialize it with designated initializers so that fields added later
 * are 0: { .size = sizeof(args), .map = &map, ... }.
 */
struct uringblk_query_run_args {
	__u32					size;
	__u32					flags;
	const struct uringblk_file_map		*map;
	__u64					lba;
	__u64					count;
	__u64					limit;
	__u64					budget;
	struct uringblk_exec_result		*xres;
	char					*err;
	size_t					errlen;
	__u64					from;
	__u64					len;
};

/**
 * uringblk_query_run() - run the query's program on the drive (since 1.10)
 * @dev:	open handle
 * @q:		the query
 * @args:	where and how (@args->size set)
 * @res:	as for uringblk_query_decode()
 *
 * Loads the program, runs it (uringblk_file_exec() or uringblk_exec()),
 * unloads it and decodes the output.  An empty file (@args->map without
 * extents) runs nothing: its result is that of no records, as
 * uringblk_query_host() gives over 0 bytes (@dev is not used).
 *
 * Return: 0; -EINVAL (@args NULL, its size below that of 1.10's struct,
 * or flags not 0) or -E2BIG (a larger struct whose bytes past the ones
 * this library knows are not 0), before anything is written; or an errno
 * of load, run (-ETIME: raise the budget) or decode, with @args->err
 * saying which.
 */
int uringblk_query_run(struct uringblk_dev *dev, const struct uringblk_query *q,
		       const struct uringblk_query_run_args *args,
		       struct uringblk_query_result *res);

/**
 * uringblk_query_exec() - uringblk_query_run() with positional parameters
 * @dev:	as for uringblk_query_run()
 * @q:		as for uringblk_query_run()
 * @map:	as struct uringblk_query_run_args
 * @lba:	as struct uringblk_query_run_args
 * @count:	as struct uringblk_query_run_args
 * @limit:	as struct uringblk_query_run_args
 * @budget:	as struct uringblk_query_run_args
 * @res:	as for uringblk_query_run()
 * @xres:	as struct uringblk_query_run_args
 * @err:	as struct uringblk_query_run_args
 * @errlen:	as struct uringblk_query_run_args
 *
 * The 1.9 entry point, kept for the programs that call it; new code
 * passes a struct uringblk_query_run_args, which can grow.
 *
 * Return: as uringblk_query_run().
 */
int uringblk_query_exec(struct uringblk_dev *dev, const struct uringblk_query *q,
			const struct uringblk_file_map *map, __u64 lba,
			__u64 count, __u64 limit, __u64 budget,
			struct uringblk_query_result *res,
			struct uringblk_exec_result *xres, char *err,
			size_t errlen);

/*
 * A result's table (liburingblk 1.12): the rows and columns
 * uringblk_query_fprint() prints, cell by cell, with each column's type,
 * for callers that want values rather than text (the Python bindings).
 */

/* struct uringblk_query_column.type: how a column's cells read */
#define URINGBLK_QUERY_T_INT	0	/* a decimal integer, e.g. "-42" */
#define URINGBLK_QUERY_T_DEC	1	/* fixed point, @scale digits after the point: "-1.50" */
#define URINGBLK_QUERY_T_DATE	2	/* "yyyy-mm-dd" */
#define URINGBLK_QUERY_T_STR	3	/* up to 8 bytes of text */

/* struct uringblk_query_column.kind: what the SELECT item is */
#define URINGBLK_QUERY_COL_KEY		0	/* the GROUP BY key */
#define URINGBLK_QUERY_COL_COUNT	1	/* count(*): never NULL */
#define URINGBLK_QUERY_COL_AGG		2	/* sum, min or max: NULL over no records */

/**
 * struct uringblk_query_column - one column of a query's result
 * @name:	the SELECT item's text in the query, not NUL-terminated
 * @name_len:	its bytes
 * @type:	URINGBLK_QUERY_T_*
 * @scale:	digits after the point of a URINGBLK_QUERY_T_DEC column, else 0
 * @kind:	URINGBLK_QUERY_COL_*
 */
struct uringblk_query_column {
	const char	*name;
	size_t		name_len;
	int		type;
	int		scale;
	int		kind;
};

/**
 * uringblk_query_columns() - the number of columns of a query's result
 * @q:	a compiled query
 * Return: the SELECT items (1..URINGBLK_QUERY_MAX_AGGS + 1), or -EINVAL
 * for a NULL @q.
 */
int uringblk_query_columns(const struct uringblk_query *q);

/**
 * uringblk_query_column() - what column @col of a query's result holds
 * @q:		a compiled query
 * @col:	0..uringblk_query_columns() - 1
 * @c:		filled; @c->name points into @q
 * Return: 0, or -EINVAL (@col out of range, a NULL argument).
 */
int uringblk_query_column(const struct uringblk_query *q, unsigned int col,
			  struct uringblk_query_column *c);

/**
 * uringblk_query_rows() - the rows of a result as a table
 * @q:		the query
 * @res:	its result
 * Return: @res->ngroups, but 1 for a query without GROUP BY over no
 * records (one row: count(*) 0, the other aggregates NULL), or -EINVAL.
 */
int uringblk_query_rows(const struct uringblk_query *q,
			const struct uringblk_query_result *res);

/**
 * uringblk_query_cell() - one cell of a result, as text
 * @q:		the query
 * @res:	its result
 * @row:	0..uringblk_query_rows() - 1 (rows sorted by key)
 * @col:	0..uringblk_query_columns() - 1
 * @buf:	receives the text uringblk_query_fprint() prints, NUL-terminated
 * @len:	its size (64 bytes always suffice)
 * Return: 0; 1 for SQL's NULL (an aggregate over no records: @buf is
 * left alone); -EINVAL (@row or @col out of range); -ERANGE (@len too
 * small).
 */
int uringblk_query_cell(const struct uringblk_query *q,
			const struct uringblk_query_result *res,
			unsigned int row, unsigned int col, char *buf, size_t len);

/**
 * uringblk_query_result_free() - free what a result holds
 * @res:	filled by uringblk_query_decode(), uringblk_query_host() or
 *		uringblk_query_exec(), or NULL; its groups are freed and
 *		@res->ngroups set to 0 (the struct itself is the caller's)
 */
void uringblk_query_result_free(struct uringblk_query_result *res);

#ifdef __cplusplus
}
#endif

#endif /* LIBURINGBLK_QUERY_H */
