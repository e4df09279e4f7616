// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk_sqlite: a loadable SQLite extension, the virtual-table module
 * "uringblk", that exposes a CSV file as a table and pushes the WHERE
 * terms the drive's query language evaluates exactly into a query
 * (Documentation/examples/queries.md) instead of leaving them to SQLite.
 *
 *   CREATE VIRTUAL TABLE t USING uringblk(file='/mnt/x/lineitem.csv',
 *	header=1, sep='|', columns='a INT, b DEC2, c DATE, d TEXT',
 *	engine='host'|'drive', range_kib=1024);
 *
 * A term is pushed only when the query language gives SQLite's answer
 * for every row: the rules are in Documentation/examples/sqlite.md and
 * in push_literal(); anything else is left to SQLite.  engine='host'
 * evaluates the pushed terms with the library's interpreter
 * (uringblk_query_host()) record by record; engine='drive' also runs them
 * in the drive over the file's extents (uringblk_query_run(), as
 * `uringblk query FILE` does), range by range (struct urange), reads only
 * the ranges where the drive matched a record, and refuses the scan when
 * the drive's counts over a range and the host's differ or the file
 * changed under the query.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3ext.h>
#include <liburingblk.h>
#include <linux/uringblk_prog.h>

#include "../query_num.h"

SQLITE_EXTENSION_INIT1

#define UQ_MAX_COLS	4096		/* the language's $1..$4096 */
#define UQ_MAX_TERMS	32		/* pushed terms of one scan */
#define UQ_MAX_FIELDS	URINGBLK_QUERY_MAX_FIELDS
#define UQ_TEXT_MAX	7		/* text literals: the drive compares 8 bytes */
#define UQ_DEC_DIGITS	15		/* what a REAL holds exactly (DBL_DIG) */
#define UQ_REC_MAX	URINGBLK_REC_MAX_LEN	/* a record, its '\n' included */
#define UQ_NUM_MAX	URINGBLK_NUM_MAX_LEN	/* a number's or a date's field */
#define UQ_RANGE_KIB	1024		/* engine='drive': range_kib's default */
#define UQ_RANGES_MAX	4096		/* ranges of one scan (larger ones past it) */

enum ucol_type { UCOL_INT, UCOL_DEC, UCOL_DATE, UCOL_TEXT };

/* The operators a term may have, in the order of idxStr's codes */
enum uop { UOP_EQ, UOP_NE, UOP_LT, UOP_LE, UOP_GT, UOP_GE, UOP_NOTNULL, UOP_N };

static const char *const uop_text[UOP_N] = {
	"=", "<>", "<", "<=", ">", ">=", "IS NOT NULL",
};

struct ucol {
	char		*name;
	enum ucol_type	type;
	int		scale;		/* UCOL_DEC: digits after the point */
};

/*
 * One connection's: what its last scan did, for uringblk_stats().  Held
 * by the module and the function, each freed on its own schedule (a
 * second .load replaces both while tables of the first still report).
 */
struct ushared {
	char	*last;			/* sqlite3_malloc()ed report, or NULL */
	int	refs;			/* the module's and the function's */
};

struct uvtab {
	sqlite3_vtab	base;
	struct ushared	*sh;
	char		*name;		/* the table's */
	char		*file;
	bool		header;
	char		sep;
	bool		drive;		/* engine='drive' */
	__u64		range;		/* engine='drive': bytes a range, 0: one */
	int		ncol;		/* the hidden column 'pushed' is ncol */
	struct ucol	*col;
};

/*
 * The file read a line at a time; a NUL byte ends the data, and so does
 * @stop, the end of the range being read (UINT64_MAX: none)
 */
struct reader {
	int		fd;
	char		*buf;
	size_t		cap, pos, end;
	bool		eof;
	__u64		off, stop;	/* the file offset of buf[end] */
	__u64		bytes;		/* read so far */
};

/*
 * engine='drive': one range of the file, as the drive counted it.  The
 * file is cut at multiples of the range size, B; a record belongs to the
 * range where the '\n' before it lies (the first record: to the first
 * range).  The drive reads [b, e) and skips its first line, a header to
 * it, up to the first record the range owns, at s; e is past the '\n'
 * of the record that holds the next range's b (where the next range's s
 * is), or the data's end.
 */
struct urange {
	__u64	b, s, e;
	__u64	records, matched;	/* the drive's counts over [s, e) */
};

/* A term of the scan's plan, decoded from idxStr */
struct uterm {
	int		col;
	enum uop	op;
	bool		omit;		/* SQLite does not check it again */
	int		argv;		/* its value's argv index, or -1 */
};

struct ucursor {
	sqlite3_vtab_cursor	base;
	struct reader		rd;
	struct stat		st;		/* the file at xFilter */
	struct uringblk_query	*qrow;		/* the pushed terms over a record */
	char			*qtext;		/* the query the drive ran */
	char			*plan;		/* idxStr's human part */
	bool			first;		/* the header line is still to come */
	bool			eof;
	sqlite3_int64		rowid;		/* records so far */
	__u64			records, matched;
	/* the current record */
	const char		*line;
	size_t			len;		/* without '\n' and its '\r' */
	bool			too_long;
	int			nspan;
	const char		**span;		/* ncol + 1 field starts */
	size_t			*span_len;
	int			dec_cols[UQ_MAX_FIELDS];	/* pushed DEC columns */
	int			ndec;
	/* engine='drive' */
	struct uringblk_dev	*dev;
	struct uringblk_file_map map;
	bool			drive_ran;
	__u64			drive_matched, drive_scanned, drive_out;
	struct urange		*rng;		/* the ranges, in file order */
	unsigned int		nrng, ri;	/* how many, the one being read */
	unsigned int		nread;		/* ranges the host read */
	__u64			ri_records, ri_matched;	/* the host's, before ri */
};

/* ---- values, by the rules of the query language ---------------------- */

/*
 * A number field at @scale, by the library's rule (lib/query_num.h, the
 * parser its interpreter uses): at most URINGBLK_NUM_MAX_LEN bytes, the
 * blanks around it cut.  The differential test holds what it gives
 * SQLite against its own loader's values.
 */
static bool parse_num(const char *s, size_t len, int scale, sqlite3_int64 *out)
{
	__s64 v;

	if (len > UQ_NUM_MAX)
		return false;
	query_num_trim(&s, &len);
	if (!query_parse_num(s, len, scale, &v))
		return false;
	*out = v;
	return true;
}

/* 'yyyy-mm-dd', a day of the calendar: *out its 10 bytes, blanks cut */
static bool parse_date(const char *s, size_t len, const char **out)
{
	__s64 v;

	if (len > UQ_NUM_MAX)
		return false;
	query_num_trim(&s, &len);
	if (!query_parse_date(s, len, &v))
		return false;
	*out = s;
	return true;
}

static const long long pow10_tab[19] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
	1000000000000LL, 10000000000000LL, 100000000000000LL,
	1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
	1000000000000000000LL,
};

/* A DEC value SQLite's REAL holds exactly enough: at most 15 digits */
static bool dec_exact(sqlite3_int64 v)
{
	return v > -pow10_tab[UQ_DEC_DIGITS] && v < pow10_tab[UQ_DEC_DIGITS];
}

/*
 * The query-language literal for @v compared with a column of @c's type,
 * or false when the comparison would not be SQLite's for every value:
 *
 * - INT and DEC columns take SQLite INTEGER and REAL values (a TEXT value
 *   meets numeric affinity in SQLite: not pushed).  A REAL is written as
 *   the shortest decimal of at most 15 significant digits that reads
 *   back as the same double, none: not pushed.  DEC values are REALs in
 *   SQLite; with at most 15 digits (checked on every record a pushed
 *   term reads) distinct decimals are distinct doubles in the same
 *   order, so the drive's exact comparison and SQLite's agree.
 * - DATE columns are TEXT 'yyyy-mm-dd' in SQLite, whose byte order is
 *   the dates' order: a TEXT value that is a day of the calendar.
 * - TEXT columns: = and <> with a TEXT value of at most 7 bytes without
 *   NUL (the drive compares a field's first 8 bytes, so a literal of 8
 *   would also match longer fields).
 */
static bool push_literal(const struct ucol *c, enum uop op, sqlite3_value *v,
			 char *buf, size_t len)
{
	int t = sqlite3_value_type(v);

	switch (c->type) {
	case UCOL_INT:
	case UCOL_DEC:
		if (t == SQLITE_INTEGER) {
			snprintf(buf, len, "%lld", (long long)sqlite3_value_int64(v));
			return true;
		}
		if (t == SQLITE_FLOAT) {
			double r = sqlite3_value_double(v);

			/*
			 * SQLite may hand the same literal as INTEGER to
			 * xBestIndex (1e18 read with numeric affinity) and
			 * as REAL to xFilter: an integral REAL is an integer.
			 */
			if (r == floor(r) && r >= -9223372036854775808.0 &&
			    r < 9223372036854775808.0) {
				snprintf(buf, len, "%lld", (long long)r);
				return true;
			}
			if (!isfinite(r) || fabs(r) >= 1e15)
				return false;
			for (int f = 0; f <= 18; f++) {
				int sig = 0;
				bool lead = true;

				snprintf(buf, len, "%.*f", f, r);
				if (strtod(buf, NULL) != r)
					continue;
				for (const char *p = buf; *p; p++) {
					if (*p < '0' || *p > '9')
						continue;
					if (*p != '0')
						lead = false;
					sig += !lead;
				}
				return sig <= UQ_DEC_DIGITS;
			}
		}
		return false;
	case UCOL_DATE: {
		const char *s = (const char *)sqlite3_value_text(v), *d;

		if (t != SQLITE_TEXT || sqlite3_value_bytes(v) != 10 ||
		    !parse_date(s, 10, &d) || d != s)
			return false;
		snprintf(buf, len, "date '%.10s'", s);
		return true;
	}
	case UCOL_TEXT: {
		const char *s = (const char *)sqlite3_value_text(v);
		int n = sqlite3_value_bytes(v);
		size_t o = 0;

		if (t != SQLITE_TEXT || (op != UOP_EQ && op != UOP_NE) ||
		    n > UQ_TEXT_MAX || (int)strlen(s) != n)
			return false;
		buf[o++] = '\'';
		for (int i = 0; i < n; i++) {
			if (s[i] == '\'')
				buf[o++] = '\'';
			buf[o++] = s[i];
		}
		buf[o++] = '\'';
		buf[o] = 0;
		return true;
	}
	}
	return false;
}

/* "$3:dec2": the field as the query language names and types it */
static void field_ref(const struct ucol *c, int col, char *buf, size_t len)
{
	static const char *const tn[] = { "int", "dec", "date", "str" };

	if (c->type == UCOL_DEC)
		snprintf(buf, len, "$%d:dec%d", col + 1, c->scale);
	else
		snprintf(buf, len, "$%d:%s", col + 1, tn[c->type]);
}

/* ---- options and schema --------------------------------------------- */

static int vt_error(char **pzErr, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int vt_error(char **pzErr, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sqlite3_free(*pzErr);
	*pzErr = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	return SQLITE_ERROR;
}

/* Blanks around an option and its parts */
static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* key=value, the value bare or quoted with ' or " (doubled inside) */
static bool split_option(const char *arg, char **key, char **val)
{
	const char *eq = strchr(arg, '=');
	size_t kl, vl;
	const char *v;

	if (!eq)
		return false;
	for (kl = eq - arg; kl && blank(arg[kl - 1]); kl--)
		;
	while (kl && blank(*arg)) {
		arg++;
		kl--;
	}
	v = eq + 1;
	while (blank(*v))
		v++;
	vl = strlen(v);
	while (vl && blank(v[vl - 1]))
		vl--;
	*key = sqlite3_mprintf("%.*s", (int)kl, arg);
	if (vl >= 2 && (v[0] == '\'' || v[0] == '"') && v[vl - 1] == v[0]) {
		char q = v[0], *o;

		*val = sqlite3_malloc((int)vl);
		if (!*val)
			return true;
		o = *val;
		for (size_t i = 1; i < vl - 1; i++) {
			*o++ = v[i];
			if (v[i] == q && v[i + 1] == q)
				i++;
		}
		*o = 0;
	} else {
		*val = sqlite3_mprintf("%.*s", (int)vl, v);
	}
	return true;
}

/* 'a INT, b DEC2, c DATE, d TEXT' */
static int parse_columns(struct uvtab *vt, const char *spec, char **pzErr)
{
	const char *p = spec;

	for (;;) {
		const char *n, *t;
		size_t nl, tl;
		struct ucol *c;

		while (blank(*p) || *p == '\n')
			p++;
		n = p;
		while (*p && !blank(*p) && *p != ',')
			p++;
		nl = p - n;
		while (blank(*p))
			p++;
		t = p;
		while (*p && !blank(*p) && *p != ',')
			p++;
		tl = p - t;
		while (blank(*p) || *p == '\n')
			p++;
		if (!nl || !tl || (*p && *p != ','))
			return vt_error(pzErr, "uringblk: columns='%s': each column is 'NAME TYPE' (INT, DECn, DATE, TEXT), separated by ','",
					spec);
		if (vt->ncol == UQ_MAX_COLS)
			return vt_error(pzErr, "uringblk: columns: at most %d", UQ_MAX_COLS);
		c = sqlite3_realloc64(vt->col, (vt->ncol + 1) * sizeof(*c));
		if (!c)
			return SQLITE_NOMEM;
		vt->col = c;
		c += vt->ncol++;
		c->name = sqlite3_mprintf("%.*s", (int)nl, n);
		c->scale = 0;
		if ((tl == 3 && !sqlite3_strnicmp(t, "INT", 3)) ||
		    (tl == 7 && !sqlite3_strnicmp(t, "INTEGER", 7))) {
			c->type = UCOL_INT;
		} else if (tl == 4 && !sqlite3_strnicmp(t, "DATE", 4)) {
			c->type = UCOL_DATE;
		} else if (tl == 4 && !sqlite3_strnicmp(t, "TEXT", 4)) {
			c->type = UCOL_TEXT;
		} else if (tl >= 4 && tl <= 5 && !sqlite3_strnicmp(t, "DEC", 3) &&
			   t[3] >= '0' && t[3] <= '9' &&
			   (tl == 4 || (t[4] >= '0' && t[4] <= '9'))) {
			c->type = UCOL_DEC;
			c->scale = atoi(t + 3);
			if (c->scale > 18)
				return vt_error(pzErr, "uringblk: column '%s': DECn takes 0 to 18 digits after the point",
						c->name);
		} else {
			return vt_error(pzErr, "uringblk: column '%s': unknown type '%.*s' (INT, DECn, DATE, TEXT)",
					c->name, (int)tl, t);
		}
		if (!c->name)
			return SQLITE_NOMEM;
		if (!sqlite3_stricmp(c->name, "pushed"))
			return vt_error(pzErr, "uringblk: column 'pushed' is the hidden column that shows the pushed query: name it otherwise");
		if (!*p)
			return SQLITE_OK;
		p++;
	}
}

static void vt_free(struct uvtab *vt)
{
	if (!vt)
		return;
	for (int i = 0; i < vt->ncol; i++)
		sqlite3_free(vt->col[i].name);
	sqlite3_free(vt->col);
	sqlite3_free(vt->file);
	sqlite3_free(vt->name);
	sqlite3_free(vt);
}

/* The file must be a regular file we can read; a drive's, for 'drive' */
static int check_file(const struct uvtab *vt, char **pzErr)
{
	char msg[512] = "";
	struct stat st;
	int fd, index, ret;

	fd = open(vt->file, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return vt_error(pzErr, "uringblk: file '%s': %s", vt->file, strerror(errno));
	ret = fstat(fd, &st);
	close(fd);
	if (ret)
		return vt_error(pzErr, "uringblk: file '%s': %s", vt->file, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return vt_error(pzErr, "uringblk: file '%s': not a regular file", vt->file);
	if (!vt->drive)
		return SQLITE_OK;
	ret = uringblk_file_drive(vt->file, &index, msg, sizeof(msg));
	if (ret)
		return vt_error(pzErr, "uringblk: file '%s': %s (engine='drive'; engine='host' reads any file)",
				vt->file, msg[0] ? msg : uringblk_strerror(ret));
	return SQLITE_OK;
}

static int vt_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
		      sqlite3_vtab **ppVtab, char **pzErr)
{
	struct uvtab *vt;
	sqlite3_str *schema;
	char *sql, *key = NULL, *val = NULL;
	const char *columns = NULL;
	int rc = SQLITE_OK;

	vt = sqlite3_malloc(sizeof(*vt));
	if (!vt)
		return SQLITE_NOMEM;
	memset(vt, 0, sizeof(*vt));
	vt->sh = aux;
	vt->sep = ',';
	vt->range = UQ_RANGE_KIB << 10;
	vt->name = sqlite3_mprintf("%s", argv[2]);
	for (int i = 3; i < argc && rc == SQLITE_OK; i++) {
		sqlite3_free(key);
		sqlite3_free(val);
		key = val = NULL;
		if (!split_option(argv[i], &key, &val)) {
			rc = vt_error(pzErr, "uringblk: option '%s' is not key=value (file, header, sep, columns, engine, range_kib)",
				      argv[i]);
			break;
		}
		if (!key || !val) {
			rc = SQLITE_NOMEM;
		} else if (!strcmp(key, "file")) {
			sqlite3_free(vt->file);
			vt->file = sqlite3_mprintf("%s", val);
		} else if (!strcmp(key, "header")) {
			if (strcmp(val, "0") && strcmp(val, "1"))
				rc = vt_error(pzErr, "uringblk: header='%s': 0 or 1", val);
			vt->header = val[0] == '1';
		} else if (!strcmp(key, "sep")) {
			if (!strcmp(val, "\\t") || !strcmp(val, "tab"))
				val[0] = '\t', val[1] = 0;
			if (strlen(val) != 1 || val[0] == '\n' || val[0] == '\r')
				rc = vt_error(pzErr, "uringblk: sep='%s': one character (not a newline; '\\t' for a tab)",
					      val);
			vt->sep = val[0];
		} else if (!strcmp(key, "columns")) {
			columns = argv[i];
			rc = parse_columns(vt, val, pzErr);
		} else if (!strcmp(key, "engine")) {
			if (strcmp(val, "host") && strcmp(val, "drive"))
				rc = vt_error(pzErr, "uringblk: engine='%s': 'host' or 'drive'", val);
			vt->drive = !strcmp(val, "drive");
		} else if (!strcmp(key, "range_kib")) {
			char *end;
			unsigned long long kib = strtoull(val, &end, 10);

			if (!*val || *end || val[0] == '-' || kib > 1 << 20 || (kib && kib % 4))
				rc = vt_error(pzErr, "uringblk: range_kib='%s': 0 (the file as one range) or a multiple of 4 up to 1048576",
					      val);
			vt->range = kib << 10;
		} else {
			rc = vt_error(pzErr, "uringblk: unknown option '%s' (file, header, sep, columns, engine, range_kib)",
				      key);
		}
	}
	sqlite3_free(key);
	sqlite3_free(val);
	if (rc == SQLITE_OK && !vt->file)
		rc = vt_error(pzErr, "uringblk: file='PATH' is missing");
	if (rc == SQLITE_OK && !columns)
		rc = vt_error(pzErr, "uringblk: columns='NAME TYPE, ...' is missing");
	if (rc == SQLITE_OK)
		rc = check_file(vt, pzErr);
	if (rc != SQLITE_OK) {
		vt_free(vt);
		return rc;
	}
	/* SQLite's types: INTEGER, REAL (DECn), TEXT (DATE as 'yyyy-mm-dd') */
	schema = sqlite3_str_new(db);
	sqlite3_str_appendall(schema, "CREATE TABLE x(");
	for (int i = 0; i < vt->ncol; i++)
		sqlite3_str_appendf(schema, "\"%w\" %s, ", vt->col[i].name,
				    vt->col[i].type == UCOL_INT ? "INTEGER" :
				    vt->col[i].type == UCOL_DEC ? "REAL" : "TEXT");
	sqlite3_str_appendall(schema, "pushed HIDDEN TEXT)");
	sql = sqlite3_str_finish(schema);
	rc = sql ? sqlite3_declare_vtab(db, sql) : SQLITE_NOMEM;
	sqlite3_free(sql);
	if (rc != SQLITE_OK) {
		vt_error(pzErr, "uringblk: columns: %s", sqlite3_errmsg(db));
		vt_free(vt);
		return rc;
	}
	*ppVtab = &vt->base;
	return SQLITE_OK;
}

static int vt_disconnect(sqlite3_vtab *p)
{
	vt_free((struct uvtab *)p);
	return SQLITE_OK;
}

/* ---- the plan ------------------------------------------------------- */

static int uop_of(unsigned char op)
{
	switch (op) {
	case SQLITE_INDEX_CONSTRAINT_EQ:	return UOP_EQ;
	case SQLITE_INDEX_CONSTRAINT_NE:	return UOP_NE;
	case SQLITE_INDEX_CONSTRAINT_LT:	return UOP_LT;
	case SQLITE_INDEX_CONSTRAINT_LE:	return UOP_LE;
	case SQLITE_INDEX_CONSTRAINT_GT:	return UOP_GT;
	case SQLITE_INDEX_CONSTRAINT_GE:	return UOP_GE;
	case SQLITE_INDEX_CONSTRAINT_ISNOTNULL:	return UOP_NOTNULL;
	}
	return -1;
}

static const char *sqlite_op_name(unsigned char op)
{
	switch (op) {
	case SQLITE_INDEX_CONSTRAINT_LIKE:	return "LIKE";
	case SQLITE_INDEX_CONSTRAINT_GLOB:	return "GLOB";
	case SQLITE_INDEX_CONSTRAINT_REGEXP:	return "REGEXP";
	case SQLITE_INDEX_CONSTRAINT_MATCH:	return "MATCH";
	case SQLITE_INDEX_CONSTRAINT_IS:	return "IS";
	case SQLITE_INDEX_CONSTRAINT_ISNOT:	return "IS NOT";
	case SQLITE_INDEX_CONSTRAINT_ISNULL:	return "IS NULL";
	case SQLITE_INDEX_CONSTRAINT_LIMIT:	return "LIMIT";
	case SQLITE_INDEX_CONSTRAINT_OFFSET:	return "OFFSET";
	}
	return op >= SQLITE_INDEX_CONSTRAINT_FUNCTION ? "a function" : "?";
}

/*
 * idxStr: "C,O,M;..." (column, enum uop, 1 if omitted) for each term the
 * scan receives, in argv order for those with a value, then "|" and the
 * same in words with what was left to SQLite, which EXPLAIN QUERY PLAN
 * shows: "pushed: c >= ?; checked again: a = ?; SQLite: d LIKE".
 */
static int vt_best_index(sqlite3_vtab *p, sqlite3_index_info *info)
{
	struct uvtab *vt = (struct uvtab *)p;
	sqlite3_str *code = sqlite3_str_new(NULL), *pushed = sqlite3_str_new(NULL);
	sqlite3_str *again = sqlite3_str_new(NULL), *left = sqlite3_str_new(NULL);
	int nterm = 0, nomit = 0, argv = 0;
	bool fields[UQ_MAX_COLS + 1] = { false };
	int nfields = 0;
	char *a, *b, *c, *d;
	char lit[64];

	for (int i = 0; i < info->nConstraint; i++) {
		const struct sqlite3_index_constraint *k = &info->aConstraint[i];
		const struct ucol *col;
		sqlite3_value *v = NULL;
		int op = uop_of(k->op);
		bool omit = false;

		if (!k->usable)
			continue;
		if (k->iColumn < 0 || k->iColumn >= vt->ncol)
			continue;	/* rowid and 'pushed': SQLite's */
		col = &vt->col[k->iColumn];
		if (op < 0)
			goto left;
		if (nterm == UQ_MAX_TERMS ||
		    (!fields[k->iColumn] && nfields == UQ_MAX_FIELDS))
			goto left;
		if (op != UOP_NOTNULL) {
			const char *coll = sqlite3_vtab_collation(info, i);

			if ((col->type == UCOL_TEXT || col->type == UCOL_DATE) &&
			    (!coll || sqlite3_stricmp(coll, "BINARY")))
				goto left;
			if (col->type == UCOL_TEXT && op != UOP_EQ && op != UOP_NE)
				goto left;
			/*
			 * A value known now (a literal) is pushed and omitted
			 * if it can be; else it is pushed in xFilter when it
			 * can be, and SQLite checks the term again.
			 */
			if (sqlite3_vtab_rhs_value(info, i, &v) == SQLITE_OK) {
				if (!push_literal(col, op, v, lit, sizeof(lit)))
					goto left;
				omit = true;
			}
			info->aConstraintUsage[i].argvIndex = ++argv;
		} else {
			omit = true;
		}
		info->aConstraintUsage[i].omit = omit;
		if (!fields[k->iColumn]) {
			fields[k->iColumn] = true;
			nfields++;
		}
		nterm++;
		nomit += omit;
		sqlite3_str_appendf(code, "%d,%d,%d;", k->iColumn, op, omit);
		sqlite3_str_appendf(omit ? pushed : again, "%s%s %s%s",
				    sqlite3_str_length(omit ? pushed : again) ? " AND " : "",
				    col->name, uop_text[op], op == UOP_NOTNULL ? "" : " ?");
		continue;
left:
		sqlite3_str_appendf(left, "%s%s %s", sqlite3_str_length(left) ? ", " : "",
				    col->name, op >= 0 ? uop_text[op] : sqlite_op_name(k->op));
	}
	a = sqlite3_str_finish(code);
	b = sqlite3_str_finish(pushed);
	c = sqlite3_str_finish(again);
	d = sqlite3_str_finish(left);
	info->idxStr = sqlite3_mprintf("%s|pushed: %s; pushed, checked again: %s; SQLite: %s",
				       a ? a : "", b ? b : "", c ? c : "",
				       d ? d : "");
	info->needToFreeIdxStr = 1;
	sqlite3_free(a);
	sqlite3_free(b);
	sqlite3_free(c);
	sqlite3_free(d);
	if (!info->idxStr)
		return SQLITE_NOMEM;
	/*
	 * A scan reads the whole file whatever is pushed; a term SQLite
	 * would check again (a join's value) costs a scan per outer row, so
	 * it must not look cheaper than the scan it repeats.
	 */
	info->estimatedCost = 1e6 - 1e5 * (nomit > 8 ? 8 : nomit);
	info->estimatedRows = 100000 >> (nomit > 8 ? 8 : nomit);
	return SQLITE_OK;
}

/* ---- reading records ------------------------------------------------ */

/*
 * The next line, '\n' included if it has one; 0 at the data's end.  A
 * line past the record limit is not kept: *@len is then 0 and
 * *@too_long true (the drive skips it as malformed; SQLite sees NULLs),
 * so a file without newlines costs a buffer of 128 KiB, not its size.
 */
static int next_line(struct reader *rd, const char **line, size_t *len,
		     bool *too_long)
{
	bool skipped = false;

	for (;;) {
		char *nl = rd->end > rd->pos ?
			   memchr(rd->buf + rd->pos, '\n', rd->end - rd->pos) : NULL;
		ssize_t n;
		char *nul;

		if (nl || (rd->eof && (rd->pos < rd->end || skipped))) {
			*line = rd->buf + rd->pos;
			*len = nl ? (size_t)(nl - *line) + 1 : rd->end - rd->pos;
			rd->pos += *len;
			*too_long = skipped || *len > UQ_REC_MAX;
			if (*too_long)
				*len = 0;
			return 1;
		}
		if (rd->eof)
			return 0;
		if (rd->end - rd->pos > UQ_REC_MAX) {
			/* too long whatever follows: drop what it has so far */
			skipped = true;
			rd->pos = rd->end;
		}
		if (rd->pos) {
			memmove(rd->buf, rd->buf + rd->pos, rd->end - rd->pos);
			rd->end -= rd->pos;
			rd->pos = 0;
		}
		if (rd->end == rd->cap) {
			size_t cap = rd->cap ? rd->cap * 2 : 1 << 16;
			char *b = realloc(rd->buf, cap);

			if (!b)
				return -ENOMEM;
			rd->buf = b;
			rd->cap = cap;
		}
		n = rd->cap - rd->end;
		if ((__u64)n > rd->stop - rd->off)
			n = rd->stop - rd->off;
		n = n ? read(rd->fd, rd->buf + rd->end, n) : 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		rd->bytes += n;
		rd->off += n;
		nul = memchr(rd->buf + rd->end, 0, n);
		if (nul) {	/* a NUL byte ends the data */
			n = nul - (rd->buf + rd->end);
			rd->eof = true;
		}
		if (!n)
			rd->eof = true;
		rd->end += n;
	}
}

static void split_record(struct ucursor *cur, int ncol, char sep)
{
	const char *s = cur->line, *end = s + cur->len;

	cur->nspan = 0;
	if (cur->too_long)
		return;		/* every column NULL, as the drive skips it */
	for (;;) {
		const char *e = memchr(s, sep, end - s);

		if (!e)
			e = end;
		if (cur->nspan < ncol) {
			cur->span[cur->nspan] = s;
			cur->span_len[cur->nspan] = e - s;
			cur->nspan++;
		}
		if (e == end)
			break;
		s = e + 1;
	}
}

static int cur_error(struct ucursor *cur, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int cur_error(struct ucursor *cur, const char *fmt, ...)
{
	sqlite3_vtab *vt = cur->base.pVtab;
	va_list ap;

	va_start(ap, fmt);
	sqlite3_free(vt->zErrMsg);
	vt->zErrMsg = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	return SQLITE_ERROR;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	       a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* At the data's end: the file as it was, the drive's count the host's */
static int scan_end(struct ucursor *cur)
{
	struct uvtab *vt = (struct uvtab *)cur->base.pVtab;
	struct stat st;
	char msg[512] = "";
	int ret;

	cur->eof = true;
	if (cur->rd.fd >= 0 && (fstat(cur->rd.fd, &st) || !same_file(&cur->st, &st)))
		return cur_error(cur, "uringblk: file '%s' changed under the query: refused (run it again)",
				 vt->file);
	if (!cur->drive_ran)
		return SQLITE_OK;
	ret = uringblk_file_check(cur->dev, &cur->map, msg, sizeof(msg));
	if (ret)
		return cur_error(cur, "uringblk: file '%s' changed under the query: %s: refused",
				 vt->file, msg[0] ? msg : uringblk_strerror(ret));
	if (cur->rd.fd >= 0 && cur->drive_matched != cur->matched)
		return cur_error(cur, "uringblk: the drive matched %llu records, the host %llu: refused",
				 (unsigned long long)cur->drive_matched,
				 (unsigned long long)cur->matched);
	return SQLITE_OK;
}

/*
 * From range ri on, to the first the drive matched records in: the
 * reader at its first record, the host's counts noted; the records of
 * the ranges passed are counted, so that rowids are the file's.
 */
static int range_next(struct ucursor *cur)
{
	struct uvtab *vt = (struct uvtab *)cur->base.pVtab;
	const struct urange *r;

	while (cur->ri < cur->nrng && !cur->rng[cur->ri].matched)
		cur->records += cur->rng[cur->ri++].records;
	if (cur->ri == cur->nrng)
		return SQLITE_OK;
	r = &cur->rng[cur->ri];
	if (lseek(cur->rd.fd, r->s, SEEK_SET) < 0)
		return cur_error(cur, "uringblk: file '%s': %s", vt->file, strerror(errno));
	cur->rd.pos = cur->rd.end = 0;
	cur->rd.eof = false;
	cur->rd.off = r->s;
	cur->rd.stop = r->e;
	cur->first = vt->header && !r->s;
	cur->ri_records = cur->records;
	cur->ri_matched = cur->matched;
	cur->nread++;
	return SQLITE_OK;
}

/* At range ri's end: the host's counts over it the drive's; the next */
static int range_end(struct ucursor *cur)
{
	struct uvtab *vt = (struct uvtab *)cur->base.pVtab;
	const struct urange *r = &cur->rng[cur->ri];

	if (cur->records - cur->ri_records != r->records ||
	    cur->matched - cur->ri_matched != r->matched)
		return cur_error(cur, "uringblk: file '%s', bytes %llu-%llu: the drive counted %llu records and matched %llu, the host %llu and %llu: refused",
				 vt->file, (unsigned long long)r->s, (unsigned long long)r->e,
				 (unsigned long long)r->records, (unsigned long long)r->matched,
				 (unsigned long long)(cur->records - cur->ri_records),
				 (unsigned long long)(cur->matched - cur->ri_matched));
	cur->ri++;
	return range_next(cur);
}

static int vt_next(sqlite3_vtab_cursor *p)
{
	struct ucursor *cur = (struct ucursor *)p;
	struct uvtab *vt = (struct uvtab *)p->pVtab;
	char err[512] = "";

	if (cur->rd.fd < 0)
		return scan_end(cur);
	for (;;) {
		struct uringblk_query_result res = { 0 };
		const char *line = NULL;
		size_t n = 0;
		int ret = next_line(&cur->rd, &line, &n, &cur->too_long);

		if (ret < 0)
			return cur_error(cur, "uringblk: file '%s': %s", vt->file, strerror(-ret));
		if (!ret && cur->drive_ran) {
			int rc = range_end(cur);

			if (rc != SQLITE_OK)
				return rc;
			if (cur->ri < cur->nrng)
				continue;
		}
		if (!ret)
			return scan_end(cur);
		cur->line = line;
		cur->len = n;
		if (n && line[n - 1] == '\n') {
			cur->len--;
			if (cur->len && line[cur->len - 1] == '\r')
				cur->len--;
		}
		if (cur->first) {
			cur->first = false;
			continue;
		}
		if (!cur->len && !cur->too_long)
			continue;	/* an empty line is no record */
		cur->records++;
		split_record(cur, vt->ncol, vt->sep);
		/* a pushed DEC term is exact only over values of <= 15 digits */
		for (int i = 0; i < cur->ndec; i++) {
			int c = cur->dec_cols[i];
			sqlite3_int64 v;

			if (c < cur->nspan &&
			    parse_num(cur->span[c], cur->span_len[c], vt->col[c].scale, &v) &&
			    !dec_exact(v))
				return cur_error(cur, "uringblk: file '%s', record %llu: column %s: '%.*s' has more than %d digits, more than a REAL holds exactly: the term on it cannot be pushed (cast the column, e.g. +%s)",
						 vt->file, (unsigned long long)cur->records,
						 vt->col[c].name, (int)cur->span_len[c],
						 cur->span[c], UQ_DEC_DIGITS, vt->col[c].name);
		}
		/* a pushed term uses a field: the drive skips a record too long */
		if (cur->qrow && cur->too_long)
			continue;
		if (cur->qrow) {
			ret = uringblk_query_host(cur->qrow, line, n, &res, err, sizeof(err));
			if (ret)
				return cur_error(cur, "uringblk: %s", err[0] ? err : uringblk_strerror(ret));
			ret = res.matched != 0;
			uringblk_query_result_free(&res);
			if (!ret)
				continue;
		}
		cur->matched++;
		cur->rowid = cur->records;
		return SQLITE_OK;
	}
}

/* ---- the scan ------------------------------------------------------- */

static int vt_open(sqlite3_vtab *p, sqlite3_vtab_cursor **ppCur)
{
	struct uvtab *vt = (struct uvtab *)p;
	struct ucursor *cur = sqlite3_malloc(sizeof(*cur));

	if (!cur)
		return SQLITE_NOMEM;
	memset(cur, 0, sizeof(*cur));
	cur->rd.fd = -1;
	cur->map.fd = -1;
	cur->span = sqlite3_malloc64((vt->ncol + 1) * sizeof(*cur->span));
	cur->span_len = sqlite3_malloc64((vt->ncol + 1) * sizeof(*cur->span_len));
	if (!cur->span || !cur->span_len) {
		sqlite3_free(cur->span);
		sqlite3_free(cur->span_len);
		sqlite3_free(cur);
		return SQLITE_NOMEM;
	}
	*ppCur = &cur->base;
	return SQLITE_OK;
}

/* What the scan did, for uringblk_stats() */
static void report(struct ucursor *cur)
{
	struct uvtab *vt = (struct uvtab *)cur->base.pVtab;
	char *r;

	if (!cur->plan)
		return;
	r = sqlite3_mprintf("table %s, engine %s, file %s of %lld bytes; query: %s; %s; "
			    "records %llu, returned %llu; host read %llu bytes; drive scanned %llu bytes, returned %llu bytes, matched %llu; ranges %u, the host read %u",
			    vt->name, vt->drive ? "drive" : "host", vt->file,
			    (long long)cur->st.st_size,
			    cur->qtext ? cur->qtext : "(none)", cur->plan,
			    (unsigned long long)cur->records,
			    (unsigned long long)cur->matched,
			    (unsigned long long)cur->rd.bytes,
			    (unsigned long long)cur->drive_scanned,
			    (unsigned long long)cur->drive_out,
			    (unsigned long long)cur->drive_matched, cur->nrng, cur->nread);
	if (!r)
		return;
	sqlite3_free(vt->sh->last);
	vt->sh->last = r;
}

static void scan_reset(struct ucursor *cur)
{
	report(cur);
	if (cur->rd.fd >= 0)
		close(cur->rd.fd);
	/* the buffer stays for the next scan (a join's inner loop rescans) */
	cur->rd = (struct reader){ .fd = -1, .buf = cur->rd.buf, .cap = cur->rd.cap };
	uringblk_query_free(cur->qrow);
	cur->qrow = NULL;
	sqlite3_free(cur->qtext);
	cur->qtext = NULL;
	sqlite3_free(cur->plan);
	cur->plan = NULL;
	uringblk_file_unmap(&cur->map);
	memset(&cur->map, 0, sizeof(cur->map));
	cur->map.fd = -1;
	uringblk_close(cur->dev);
	cur->dev = NULL;
	cur->drive_ran = false;
	cur->drive_matched = cur->drive_scanned = cur->drive_out = 0;
	sqlite3_free(cur->rng);
	cur->rng = NULL;
	cur->nrng = cur->ri = cur->nread = 0;
	cur->records = cur->matched = 0;
	cur->rowid = 0;
	cur->ndec = 0;
	cur->eof = false;
}

static int vt_close(sqlite3_vtab_cursor *p)
{
	struct ucursor *cur = (struct ucursor *)p;

	scan_reset(cur);
	free(cur->rd.buf);
	sqlite3_free(cur->span);
	sqlite3_free(cur->span_len);
	sqlite3_free(cur);
	return SQLITE_OK;
}

/* ---- engine='drive': the drive's counts, range by range -------------- */

#define LI(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define CTX_DATA_LEN	16	/* offsetof(struct uringblk_prog_ctx, data_len) */
#define CTX_ARG0	40	/* args[0] */

/*
 * The layout of a file cut every args[0] bytes, found in the drive: the
 * offset of the first NUL byte (where the data end), then for each cut B
 * below the data's end the offset of the first '\n' at or after B, up to
 * the first cut without one; each a u64 (-ENOENT: none), emitted in that
 * order.  uringblk_find() returns offsets from the data's start.  The
 * jumps' offsets are counted by hand (target - (pc + 1)); the numbers in
 * the comments are pcs.  The drive's validator checks the program at
 * every load, and sqlite.sh runs it on each kind of file.
 */
static const struct bpf_insn layout_prog[] = {
	LI(BPF_LDX | BPF_MEM | BPF_DW, 6, 1, CTX_DATA_LEN, 0),	/* r6 = data_len */
	LI(BPF_LDX | BPF_MEM | BPF_DW, 7, 1, CTX_ARG0, 0),	/* r7 = the cut */
	LI(BPF_ST | BPF_MEM | BPF_DW, 10, 0, -8, 0),		/* the byte: NUL */
	LI(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, 0),
	LI(BPF_ALU64 | BPF_MOV | BPF_X, 2, 6, 0, 0),
	LI(BPF_ALU64 | BPF_MOV | BPF_X, 3, 10, 0, 0),
	LI(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, -8),
	LI(BPF_ALU64 | BPF_MOV | BPF_K, 4, 0, 0, 1),
	LI(BPF_JMP | BPF_CALL, 0, 0, 0, URINGBLK_HELPER_FIND),
	LI(BPF_STX | BPF_MEM | BPF_DW, 10, 0, -16, 0),
	LI(BPF_ALU64 | BPF_MOV | BPF_X, 9, 0, 0, 0),		/* r9 = the data's end */
	LI(BPF_JMP | BPF_JSGE | BPF_K, 9, 0, 1, 0),
	LI(BPF_ALU64 | BPF_MOV | BPF_X, 9, 6, 0, 0),
	LI(BPF_ALU64 | BPF_MOV | BPF_X, 1, 10, 0, 0),
	LI(BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, -16),
	LI(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 8),
	LI(BPF_JMP | BPF_CALL, 0, 0, 0, URINGBLK_HELPER_EMIT),
	LI(BPF_ST | BPF_MEM | BPF_DW, 10, 0, -8, '\n'),	/* the byte: '\n' */
	LI(BPF_ALU64 | BPF_MOV | BPF_X, 8, 7, 0, 0),		/* r8 = B, the first cut */
	/* 19: the next cut, if below the data's end */
	LI(BPF_JMP | BPF_JGE | BPF_X, 8, 9, 18, 0),
	LI(BPF_ALU64 | BPF_MOV | BPF_X, 1, 8, 0, 0),
	LI(BPF_ALU64 | BPF_MOV | BPF_X, 2, 9, 0, 0),
	LI(BPF_ALU64 | BPF_SUB | BPF_X, 2, 8, 0, 0),
	LI(BPF_ALU64 | BPF_MOV | BPF_X, 3, 10, 0, 0),
	LI(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, -8),
	LI(BPF_ALU64 | BPF_MOV | BPF_K, 4, 0, 0, 1),
	LI(BPF_JMP | BPF_CALL, 0, 0, 0, URINGBLK_HELPER_FIND),
	LI(BPF_STX | BPF_MEM | BPF_DW, 10, 0, -16, 0),
	/* 28: the cut's '\n' */
	LI(BPF_ALU64 | BPF_MOV | BPF_X, 1, 10, 0, 0),
	LI(BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, -16),
	LI(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 8),
	LI(BPF_JMP | BPF_CALL, 0, 0, 0, URINGBLK_HELPER_EMIT),
	LI(BPF_LDX | BPF_MEM | BPF_DW, 0, 10, -16, 0),
	LI(BPF_JMP | BPF_JSLT | BPF_K, 0, 0, 4, 0),		/* none after the cut: done */
	LI(BPF_ALU64 | BPF_ADD | BPF_X, 8, 7, 0, 0),
	LI(BPF_JMP | BPF_JGE | BPF_X, 8, 9, 2, 0),
	/* a cut inside the same line has its '\n': each byte is looked at once */
	LI(BPF_JMP | BPF_JLE | BPF_X, 8, 0, -9, 0),
	LI(BPF_JMP | BPF_JA, 0, 0, -19, 0),
	/* 38 */
	LI(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0),
	LI(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
};

/*
 * The ranges of a file of @size bytes cut every @step bytes, from its
 * layout @lay (@nlay values, as layout_prog emits them; checked by the
 * caller): into @r, at most @nlay of them; returns how many.  A range
 * that owns no record (a line across its whole length) is left out.
 */
static unsigned int ranges_build(__u64 size, __u64 step, const __s64 *lay,
				 unsigned int nlay, struct urange *r)
{
	__u64 d = nlay && lay[0] >= 0 ? (__u64)lay[0] : size;
	__u64 b = 0, s = 0;
	unsigned int n = 0;

	for (unsigned int j = 1;; j++) {
		__u64 e = j < nlay && lay[j] >= 0 ? (__u64)lay[j] + 1 : d;

		if (e > s)
			r[n++] = (struct urange){ .b = b, .s = s, .e = e };
		if (e >= d || j >= nlay)
			return n;
		b = (__u64)j * step;
		s = e;
	}
}

/*
 * Is @lay (@nlay values) a layout of @size bytes cut every @step: a NUL
 * inside the file or none, each cut's '\n' at or after it, below the
 * data's end, and all the cuts below it answered unless one had none.
 */
static bool layout_valid(__u64 size, __u64 step, const __s64 *lay,
			 unsigned int nlay)
{
	__u64 d;

	if (!nlay || (lay[0] < 0 && lay[0] != -ENOENT) ||
	    (lay[0] >= 0 && (__u64)lay[0] >= size))
		return false;
	d = lay[0] >= 0 ? (__u64)lay[0] : size;
	for (unsigned int j = 1; j < nlay; j++) {
		__u64 cut = (__u64)j * step;

		if (cut >= d)
			return false;
		if (lay[j] < 0)
			return lay[j] == -ENOENT && j == nlay - 1;
		if ((__u64)lay[j] < cut || (__u64)lay[j] >= d ||
		    (j > 1 && lay[j] < lay[j - 1]))
			return false;
	}
	return (__u64)nlay * step >= d;	/* no cut left out */
}

/*
 * The cut for a file of @size bytes and a table's range of @range bytes:
 * @range, or larger (a multiple of 4 KiB) so that there are at most
 * UQ_RANGES_MAX ranges and their layout fits an EXEC's output of @max_out
 * bytes (8 a cut).
 */
static __u64 range_step(__u64 size, __u64 range, __u32 max_out)
{
	__u64 most = max_out / sizeof(__s64);

	if (most > UQ_RANGES_MAX)
		most = UQ_RANGES_MAX;
	if (!most)
		most = 1;
	if ((size + range - 1) / range <= most)
		return range;
	return ((size + most - 1) / most + 4095) / 4096 * 4096;
}

/* The file's layout in the drive, cut every @step bytes: its ranges */
static int drive_layout(struct ucursor *cur, const struct uringblk_identify *id,
			__u64 step, char *err, size_t errlen)
{
	__u64 size = cur->map.version.size, ncut = (size + step - 1) / step;
	struct uringblk_exec_args a = { .args = { step } };
	struct uringblk_exec_result r = { 0 };
	size_t out_len = ncut * sizeof(__s64);
	__s64 *lay = calloc(ncut, sizeof(*lay));
	char log[512] = "";
	int ret;

	cur->rng = sqlite3_malloc64(ncut * sizeof(*cur->rng));
	if (!lay || !cur->rng) {
		free(lay);
		return -ENOMEM;
	}
	/* each byte looked at twice at most (the NUL, a cut's '\n') */
	a.budget = 4096 + 4 * size + 64 * ncut;
	if (a.budget > id->max_insn_budget)
		a.budget = id->max_insn_budget;
	ret = uringblk_prog_load(cur->dev, layout_prog,
				 sizeof(layout_prog) / sizeof(layout_prog[0]),
				 "sqlite-layout", log, sizeof(log));
	if (ret < 0) {
		snprintf(err, errlen, "loading the layout program: %s%s%s",
			 uringblk_strerror(ret), log[0] ? ": " : "", log);
		free(lay);
		return ret;
	}
	a.prog_id = ret;
	ret = uringblk_file_exec(cur->dev, &cur->map, &a, &r, lay, out_len, err, errlen);
	uringblk_prog_unload(cur->dev, a.prog_id);
	cur->drive_scanned += r.bytes_scanned;
	cur->drive_out += r.out_len;
	if (!ret && (r.r0 || r.out_len % sizeof(__s64) ||
		     !layout_valid(size, step, lay, r.out_len / sizeof(__s64)))) {
		snprintf(err, errlen, "the layout program's answer (r0 %llu, %u bytes) is not a layout of the file",
			 (unsigned long long)r.r0, (unsigned int)r.out_len);
		ret = -EPROTO;
	} else if (ret && !err[0]) {
		snprintf(err, errlen, "the layout program %s: %s%s%s",
			 r.abort_code ? "stopped" : "did not run", uringblk_strerror(ret),
			 r.abort_code ? ", abort " : "",
			 r.abort_code ? uringblk_prog_abort_name(r.abort_code) : "");
	}
	if (!ret)
		cur->nrng = ranges_build(size, step, lay, r.out_len / sizeof(__s64), cur->rng);
	free(lay);
	return ret;
}

/*
 * The pushed terms in the drive: @q0 over the first range, @qnext (its
 * first line skipped) over the others, each over its bytes of the file's
 * extents (uringblk_query_run()); the file as one range when it is no
 * larger than the table's range_kib.
 */
static int drive_run(struct ucursor *cur, const char *q0, const char *qnext)
{
	struct uvtab *vt = (struct uvtab *)cur->base.pVtab;
	struct uringblk_query_opts qo = { .sep = vt->sep, .has_header = vt->header };
	struct uringblk_query *q[2] = { NULL, NULL };
	struct uringblk_identify id;
	char err[1024] = "";
	__u64 size, step;
	int index, ret;

	ret = uringblk_file_drive(vt->file, &index, err, sizeof(err));
	if (!ret) {
		ret = uringblk_open_index(index, &cur->dev);
		if (ret)
			snprintf(err, sizeof(err), "/dev/uringblkc%d: %s", index,
				 uringblk_strerror(ret));
	}
	if (!ret)
		ret = uringblk_file_map(cur->dev, vt->file, &cur->map, err, sizeof(err));
	if (ret)
		return cur_error(cur, "uringblk: file '%s': %s", vt->file,
				 err[0] ? err : uringblk_strerror(ret));
	ret = uringblk_query_compile(q0, &qo, &q[0], err, sizeof(err));
	if (!ret)
		ret = uringblk_query_compile(qnext, &qo, &q[1], err, sizeof(err));
	if (!ret)
		ret = uringblk_identify(cur->dev, &id);
	if (ret)
		goto out;
	size = cur->map.version.size;
	step = vt->range;
	if (step && size > step) {
		step = range_step(size, step, id.max_exec_out);
		ret = drive_layout(cur, &id, step, err, sizeof(err));
		if (ret)
			goto out;
	} else {
		cur->rng = sqlite3_malloc64(sizeof(*cur->rng));
		if (!cur->rng) {
			ret = -ENOMEM;
			goto out;
		}
		cur->rng[0] = (struct urange){ .e = size };
		cur->nrng = size ? 1 : 0;
	}
	for (unsigned int i = 0; i < cur->nrng && !ret; i++) {
		struct urange *r = &cur->rng[i];
		const struct uringblk_query *rq = q[r->b != 0];
		struct uringblk_query_result res = { 0 };
		struct uringblk_exec_result xres = { 0 };
		__u64 budget = uringblk_query_budget(rq, r->e - r->b);

		ret = uringblk_query_run(cur->dev, rq, &(struct uringblk_query_run_args){
						 .size = sizeof(struct uringblk_query_run_args),
						 .map = &cur->map, .count = 1,
						 .from = r->b, .len = r->e - r->b,
						 .budget = budget < id.max_insn_budget ?
							   budget : id.max_insn_budget,
						 .xres = &xres, .err = err, .errlen = sizeof(err) },
					 &res);
		cur->drive_scanned += xres.bytes_scanned;
		cur->drive_out += xres.out_len;
		r->records = res.records;
		r->matched = res.matched;
		cur->drive_matched += res.matched;
		uringblk_query_result_free(&res);
	}
	cur->drive_ran = !ret;
out:
	uringblk_query_free(q[0]);
	uringblk_query_free(q[1]);
	if (ret)
		return cur_error(cur, "uringblk: in the drive: %s (errno %d)",
				 err[0] ? err : uringblk_strerror(ret), -ret);
	return SQLITE_OK;
}

static int vt_filter(sqlite3_vtab_cursor *p, int idxNum, const char *idxStr,
		     int argc, sqlite3_value **argv)
{
	struct ucursor *cur = (struct ucursor *)p;
	struct uvtab *vt = (struct uvtab *)p->pVtab;
	struct uringblk_query_opts qo = { .sep = vt->sep };
	sqlite3_str *w = sqlite3_str_new(NULL);
	const char *s = idxStr ? idxStr : "|";
	char err[1024] = "", lit[64], fld[32], *where, *qnext = NULL;
	int nterm = 0, rc;

	(void)idxNum;
	scan_reset(cur);
	cur->plan = sqlite3_mprintf("%s", strchr(s, '|') + 1);
	/* the terms of idxStr: "C,O,M;" each */
	while (*s && *s != '|') {
		struct uterm t;
		int used, o, m;

		if (sscanf(s, "%d,%d,%d;%n", &t.col, &o, &m, &used) != 3 ||
		    t.col < 0 || t.col >= vt->ncol || o < 0 || o >= UOP_N) {
			sqlite3_free(sqlite3_str_finish(w));
			return cur_error(cur, "uringblk: bad plan '%s'", idxStr);
		}
		s += used;
		t.op = o;
		t.omit = m;
		t.argv = t.op == UOP_NOTNULL ? -1 : nterm < argc ? nterm++ : argc;
		field_ref(&vt->col[t.col], t.col, fld, sizeof(fld));
		if (t.op == UOP_NOTNULL) {
			/* the field parses as its type: the drive's "not malformed" */
			sqlite3_str_appendf(w, "%s%s = %s", sqlite3_str_length(w) ? " AND " : "",
					    fld, fld);
		} else if (t.argv < argc &&
			   push_literal(&vt->col[t.col], t.op, argv[t.argv], lit, sizeof(lit))) {
			sqlite3_str_appendf(w, "%s%s %s %s", sqlite3_str_length(w) ? " AND " : "",
					    fld, uop_text[t.op], lit);
		} else if (t.omit) {
			sqlite3_free(sqlite3_str_finish(w));
			return cur_error(cur, "uringblk: a term planned as pushed cannot be: refused");
		} else {
			continue;	/* SQLite checks it */
		}
		if (vt->col[t.col].type == UCOL_DEC && cur->ndec < UQ_MAX_FIELDS) {
			bool seen = false;

			for (int i = 0; i < cur->ndec; i++)
				seen |= cur->dec_cols[i] == t.col;
			if (!seen)
				cur->dec_cols[cur->ndec++] = t.col;
		}
	}
	where = sqlite3_str_finish(w);
	if (where && *where) {
		char sep[3] = { vt->sep, vt->sep == '\'' ? '\'' : 0, 0 };

		cur->qtext = sqlite3_mprintf("SELECT count(*) FROM csv(sep='%s'%s) WHERE %s",
					     sep, vt->header ? ", header" : "", where);
		/* the same terms over one record at a time (no header there) */
		char *row = sqlite3_mprintf("SELECT count(*) FROM csv(sep='%s') WHERE %s",
					    sep, where);

		/* and over a range of the file but the first: its first line skipped */
		qnext = sqlite3_mprintf("SELECT count(*) FROM csv(sep='%s', header) WHERE %s",
					sep, where);
		rc = !cur->qtext || !row || !qnext ? -ENOMEM :
		     uringblk_query_compile(row, &qo, &cur->qrow, err, sizeof(err));
		sqlite3_free(row);
		if (rc) {
			sqlite3_free(where);
			sqlite3_free(qnext);
			return cur_error(cur, "uringblk: %s", err[0] ? err : uringblk_strerror(rc));
		}
	}
	sqlite3_free(where);
	if (vt->drive && cur->qtext) {
		rc = drive_run(cur, cur->qtext, qnext);
		if (rc != SQLITE_OK) {
			sqlite3_free(qnext);
			return rc;
		}
	}
	sqlite3_free(qnext);
	cur->rd.fd = open(vt->file, O_RDONLY | O_CLOEXEC);
	if (cur->rd.fd < 0 || fstat(cur->rd.fd, &cur->st))
		return cur_error(cur, "uringblk: file '%s': %s", vt->file, strerror(errno));
	if (cur->drive_ran && ((__u64)cur->st.st_ino != cur->map.version.ino ||
			       (__u64)cur->st.st_size != cur->map.version.size))
		return cur_error(cur, "uringblk: file '%s' changed under the query: refused",
				 vt->file);
	cur->rd.stop = UINT64_MAX;
	cur->first = vt->header;
	if (cur->drive_ran && !cur->drive_matched) {
		/* nothing matched in the drive: no record is read */
		close(cur->rd.fd);
		cur->rd.fd = -1;
	} else if (cur->drive_ran) {
		rc = range_next(cur);
		if (rc != SQLITE_OK)
			return rc;
	}
	return vt_next(p);
}

static int vt_eof(sqlite3_vtab_cursor *p)
{
	return ((struct ucursor *)p)->eof;
}

static int vt_column(sqlite3_vtab_cursor *p, sqlite3_context *ctx, int i)
{
	struct ucursor *cur = (struct ucursor *)p;
	struct uvtab *vt = (struct uvtab *)p->pVtab;
	const struct ucol *c;
	const char *s, *d;
	sqlite3_int64 v;
	size_t n;

	if (i == vt->ncol) {
		if (cur->qtext)
			sqlite3_result_text(ctx, cur->qtext, -1, SQLITE_TRANSIENT);
		return SQLITE_OK;
	}
	if (i < 0 || i >= cur->nspan)
		return SQLITE_OK;	/* a missing field: NULL */
	c = &vt->col[i];
	s = cur->span[i];
	n = cur->span_len[i];
	switch (c->type) {
	case UCOL_INT:
		if (parse_num(s, n, 0, &v))
			sqlite3_result_int64(ctx, v);
		break;
	case UCOL_DEC:
		if (parse_num(s, n, c->scale, &v))
			sqlite3_result_double(ctx, (double)v / (double)pow10_tab[c->scale]);
		break;
	case UCOL_DATE:
		if (parse_date(s, n, &d))
			sqlite3_result_text(ctx, d, 10, SQLITE_TRANSIENT);
		break;
	case UCOL_TEXT:
		sqlite3_result_text(ctx, s, (int)n, SQLITE_TRANSIENT);
		break;
	}
	return SQLITE_OK;
}

static int vt_rowid(sqlite3_vtab_cursor *p, sqlite3_int64 *rowid)
{
	*rowid = ((struct ucursor *)p)->rowid;
	return SQLITE_OK;
}

static sqlite3_module uringblk_module = {
	.iVersion	= 0,
	.xCreate	= vt_connect,
	.xConnect	= vt_connect,
	.xBestIndex	= vt_best_index,
	.xDisconnect	= vt_disconnect,
	.xDestroy	= vt_disconnect,
	.xOpen		= vt_open,
	.xClose		= vt_close,
	.xFilter	= vt_filter,
	.xNext		= vt_next,
	.xEof		= vt_eof,
	.xColumn	= vt_column,
	.xRowid		= vt_rowid,
};

/* uringblk_stats(): what the connection's last scan of a uringblk table did */
static void fn_stats(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct ushared *sh = sqlite3_user_data(ctx);

	(void)argc;
	(void)argv;
	if (sh->last)
		sqlite3_result_text(ctx, sh->last, -1, SQLITE_TRANSIENT);
}

static void shared_put(void *p)
{
	struct ushared *sh = p;

	if (--sh->refs)
		return;
	sqlite3_free(sh->last);
	sqlite3_free(sh);
}

/**
 * sqlite3_uringblksqlite_init() - the extension's entry point, the name
 *	SQLite derives from uringblk_sqlite.so
 * @db:		the connection
 * @pzErrMsg:	receives a message on failure
 * @pApi:	SQLite's routines
 *
 * Registers the module "uringblk" and the function uringblk_stats().
 *
 * Return: SQLITE_OK or an SQLite error code.
 */
__attribute__((visibility("default")))
int sqlite3_uringblksqlite_init(sqlite3 *db, char **pzErrMsg,
				const sqlite3_api_routines *pApi)
{
	struct ushared *sh;
	int rc;

	SQLITE_EXTENSION_INIT2(pApi);
	(void)pzErrMsg;
	if (sqlite3_libversion_number() < 3038000) {
		*pzErrMsg = sqlite3_mprintf("uringblk: SQLite 3.38 or newer is needed (sqlite3_vtab_rhs_value), this is %s",
					    sqlite3_libversion());
		return SQLITE_ERROR;
	}
	sh = sqlite3_malloc(sizeof(*sh));
	if (!sh)
		return SQLITE_NOMEM;
	sh->last = NULL;
	sh->refs = 2;
	/* on failure SQLite calls the destructor itself */
	rc = sqlite3_create_function_v2(db, "uringblk_stats", 0, SQLITE_UTF8, sh,
					fn_stats, NULL, NULL, shared_put);
	if (rc != SQLITE_OK) {
		shared_put(sh);		/* the module's reference */
		return rc;
	}
	return sqlite3_create_module_v2(db, "uringblk", &uringblk_module, sh,
					shared_put);
}
