// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * sqldiff: the SQLite extension (lib/sqlite/uringblk_sqlite.c) against
 * plain SQLite.  Random CSV files (empty, blank, malformed and missing
 * fields, text longer than 8 bytes, CRLF, empty lines, a record too long,
 * a NUL) are loaded into an ordinary table by a loader written here, apart
 * from the extension's, and exposed as a uringblk table (engine='host');
 * random queries mixing terms the extension pushes and terms it must
 * leave to SQLite (other types, collations, LIKE, IS NULL, OR, IN, bound
 * parameters, a join with an ordinary table, LIMIT, ORDER BY, GROUP BY)
 * must give the same rows on both.  Then TPC-H Q1 and Q6 over the
 * generator of tools/tpch, also against the generator's own exact Q6, and
 * the errors: bad options, a missing file, a file changed under the
 * query, a DEC value past what a REAL holds, engine='drive' off a drive.
 *
 *   sqldiff [--drive DIR] [SEED [QUERIES]]     (default 1 and 10000)
 *
 * --drive DIR: the tables use engine='drive', their files in DIR, on a
 * filesystem on a uringblk drive (selftests/uringblk/sqlite.sh, in the
 * VM); the drive's count of each pushed scan must be the host's, and
 * every pushed scan must have run in the drive.
 */
#define SQLITE_CORE 1
#include "../../lib/sqlite/uringblk_sqlite.c"
#include "../../tools/tpch/lineitem.h"

#include <ctype.h>
#include <inttypes.h>

static int failures, checks;
static const char *engine = "host";

#define CHECK(cond, ...) do {						\
	checks++;							\
	if (!(cond)) {							\
		failures++;						\
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);	\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
	}								\
} while (0)

static uint64_t rng;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int rn(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

static int pct(int p)
{
	return rn(100) < p;
}

/* ---- the data ------------------------------------------------------- */

enum { C_INT, C_DEC2, C_DATE, C_TEXT };
static const int col_type[] = { C_INT, C_DEC2, C_DATE, C_TEXT, C_INT, C_TEXT };
static const char *const col_name[] = { "a", "b", "c", "d", "e", "f" };
#define NCOL 6

static const char *const texts[] = {
	"", "A", "AB", "ABC", "ABCDEFG", "ABCDEFGH", "ABCDEFGHI", "ABCDEFGHIJ",
	"O'x", " A", "a", "N", "R", "Zz", "ab", "ABCDEFGh",
};
#define NTEXT (int)(sizeof(texts) / sizeof(texts[0]))

static void gen_field(FILE *f, int type)
{
	int y, m, d;

	if (pct(5))
		return;		/* empty */
	switch (type) {
	case C_INT:
		switch (rn(20)) {
		case 0: fprintf(f, " %d\t", rn(41) - 20); return;
		case 1: fprintf(f, "+%d", rn(20)); return;
		case 2: fprintf(f, "%d.0", rn(20)); return;
		case 3: fprintf(f, "%d.5", rn(20)); return;
		case 4: fputs(pct(50) ? "x" : "-", f); return;
		case 5: fputs(pct(50) ? "9223372036854775807" : "-9223372036854775807", f); return;
		case 6: fputs("-9223372036854775808", f); return;
		case 7: fprintf(f, "%70d", rn(9)); return;	/* a field of 70 bytes */
		default: fprintf(f, "%d", rn(41) - 20); return;
		}
	case C_DEC2: {
		int k = rn(4001) - 2000;
		const char *sg = k < 0 ? "-" : "";

		k = abs(k);
		switch (rn(20)) {
		case 0: fprintf(f, "%s%d.%02d5", sg, k / 100, k % 100); return;
		case 1: fprintf(f, "%s%d.%02d0", sg, k / 100, k % 100); return;
		case 2: fprintf(f, "%s%d.", sg, k / 100); return;
		case 3: fprintf(f, "%s.%02d", sg, k % 100); return;
		case 4: fputs("1.2.3", f); return;
		case 5: fprintf(f, " %s%d.%02d ", sg, k / 100, k % 100); return;
		case 6: fprintf(f, "%s%d.%d", sg, k / 100, k % 10); return;
		default: fprintf(f, "%s%d.%02d", sg, k / 100, k % 100); return;
		}
	}
	case C_DATE:
		y = 1993 + rn(4);
		m = 1 + rn(12);
		d = 1 + rn(31);
		switch (rn(20)) {
		case 0: fprintf(f, "%d-%d-%02d", y, m, d); return;
		case 1: fprintf(f, "%d/%02d/%02d", y, m, d); return;
		case 2: fprintf(f, " %d-%02d-%02d ", y, m, d > 28 ? 28 : d); return;
		case 3: fputs(pct(50) ? "1996-02-29" : "1995-02-29", f); return;
		default: fprintf(f, "%d-%02d-%02d", y, m, d); return;
		}
	case C_TEXT:
		fputs(texts[rn(NTEXT)], f);
		return;
	}
}

struct dataset {
	char	path[320];
	int	header;
	char	sep;
	int	rows;
};

static void gen_file(struct dataset *ds)
{
	FILE *f = fopen(ds->path, "w");
	bool crlf = pct(25);

	if (!f) {
		perror(ds->path);
		exit(2);
	}
	if (ds->header) {
		for (int c = 0; c < NCOL; c++)
			fprintf(f, "%s%s", c ? (char[]){ ds->sep, 0 } : "", col_name[c]);
		fputs(crlf ? "\r\n" : "\n", f);
	}
	for (int r = 0; r < ds->rows; r++) {
		int n = NCOL;

		if (pct(3)) {
			fputs(pct(50) ? "\n" : "\r\n", f);	/* empty lines */
			continue;
		}
		if (pct(4))
			n = 1 + rn(NCOL - 1);		/* fields missing */
		else if (pct(2))
			n = NCOL + 1;			/* one more */
		if (pct(1) && r > 3) {
			/* records at the limit (65536 bytes, '\n' included) and past it */
			static const int lens[] = { 65534, 65535, 65536, 66000, 300000 };
			int len = lens[rn(5)];

			for (int i = 0; i < len; i++)
				fputc(i % 1000 == 999 ? ds->sep : '7', f);
			fputs("\n", f);
			continue;
		}
		for (int c = 0; c < n; c++) {
			if (c)
				fputc(ds->sep, f);
			if (c < NCOL)
				gen_field(f, col_type[c]);
			else
				fputs("extra", f);
		}
		if (r < ds->rows - 1 || pct(70))
			fputs(crlf ? "\r\n" : "\n", f);
	}
	if (pct(5))
		fputs("1\0" "2\n3\n", f);		/* a NUL ends the data */
	fclose(f);
}

/*
 * The ordinary table's loader: the documented conversion, written apart
 * from the extension's (Documentation/examples/sqlite.md "Values").
 */
static bool ref_num(const char *s, size_t len, int scale, int64_t *out)
{
	char buf[80], *p = buf;
	__int128 v = 0;
	size_t ip = 0, fp = 0;
	const char *dot;

	if (len > 64)
		return false;
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	memcpy(buf, s, len);
	buf[len] = 0;
	if (*p == '+' || *p == '-')
		p++;
	dot = strchr(p, '.');
	ip = dot ? (size_t)(dot - p) : strlen(p);
	fp = dot ? strlen(dot + 1) : 0;
	if (ip + fp == 0 || strspn(p, "0123456789") != ip ||
	    (dot && strspn(dot + 1, "0123456789") != fp))
		return false;
	for (size_t i = 0; i < ip; i++) {
		v = v * 10 + (p[i] - '0');
		if (v > INT64_MAX)
			return false;
	}
	for (int i = 0; i < scale; i++) {
		v = v * 10 + ((size_t)i < fp ? dot[1 + i] - '0' : 0);
		if (v > INT64_MAX)
			return false;
	}
	for (size_t i = scale; i < fp; i++)
		if (dot[1 + i] != '0')
			return false;
	*out = buf[0] == '-' ? -(int64_t)v : (int64_t)v;
	return true;
}

static bool ref_date(const char *s, size_t len, char *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (len > 64)
		return false;
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len != 10)
		return false;
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return false;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100) || y % 400 == 0))
		return false;
	memcpy(out, s, 10);
	return true;
}

static void exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "sqldiff: %s: %s\n", sql, err);
		exit(2);
	}
}

static void load_ref(sqlite3 *db, const struct dataset *ds)
{
	FILE *f = fopen(ds->path, "rb");
	static char data[1 << 22];
	size_t len = fread(data, 1, sizeof(data) - 1, f), i = 0;
	sqlite3_stmt *st;
	bool first = ds->header;
	int64_t recno = 0;

	fclose(f);
	data[len] = 0;
	len = strlen(data);
	exec(db, "DROP TABLE IF EXISTS r;"
		 "CREATE TABLE r(a INTEGER, b REAL, c TEXT, d TEXT, e INTEGER, f TEXT)");
	sqlite3_prepare_v2(db, "INSERT INTO r(rowid, a, b, c, d, e, f) VALUES (?, ?, ?, ?, ?, ?, ?)",
			   -1, &st, NULL);
	exec(db, "BEGIN");
	while (i < len) {
		char *nl = memchr(data + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (data + i)) : len - i;
		char *s = data + i;
		bool too_long = n + (nl != NULL) > 65536;

		i += n + 1;
		if (nl && n && s[n - 1] == '\r')
			n--;
		if (first) {
			first = false;
			continue;
		}
		if (!n)
			continue;
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		sqlite3_bind_int64(st, 1, ++recno);
		for (int c = 0; c < NCOL && !too_long; c++) {
			size_t start = 0, flen;
			int k = 0;
			int64_t v;
			char date[10];

			/* the c-th field, if there is one */
			for (size_t j = 0; j <= n && k < c; j++)
				if (j == n || s[j] == ds->sep) {
					k++;
					start = j + 1;
				}
			if (k < c || start > n)
				break;
			flen = strcspn(s + start, (char[]){ ds->sep, 0 });
			if (start + flen > n)
				flen = n - start;
			switch (col_type[c]) {
			case C_INT:
				if (ref_num(s + start, flen, 0, &v))
					sqlite3_bind_int64(st, c + 2, v);
				break;
			case C_DEC2:
				if (ref_num(s + start, flen, 2, &v))
					sqlite3_bind_double(st, c + 2, (double)v / 100.0);
				break;
			case C_DATE:
				if (ref_date(s + start, flen, date))
					sqlite3_bind_text(st, c + 2, date, 10, SQLITE_TRANSIENT);
				break;
			case C_TEXT:
				sqlite3_bind_text(st, c + 2, s + start, (int)flen, SQLITE_TRANSIENT);
				break;
			}
		}
		if (sqlite3_step(st) != SQLITE_DONE) {
			fprintf(stderr, "sqldiff: insert: %s\n", sqlite3_errmsg(db));
			exit(2);
		}
	}
	exec(db, "COMMIT");
	sqlite3_finalize(st);
}

/* ---- the queries ---------------------------------------------------- */

static void lit(sqlite3_str *q, int type)
{
	static const char *const dates[] = {
		"'1994-01-01'", "'1995-06-17'", "'1996-02-29'", "'1993-12-31'",
		"'1995-13-01'", "'1995'", "'1994-1-01'", "' 1994-01-01'",
	};

	if (pct(8))
		type = rn(4);	/* a literal of another kind */
	switch (type) {
	case C_INT:
		switch (rn(6)) {
		case 0: sqlite3_str_appendf(q, "%d.5", rn(21) - 10); return;
		case 1: sqlite3_str_appendall(q, pct(50) ? "9223372036854775807" : "-9223372036854775807"); return;
		case 2: sqlite3_str_appendf(q, "'%d'", rn(21) - 10); return;
		default: sqlite3_str_appendf(q, "%d", rn(41) - 20); return;
		}
	case C_DEC2:
		switch (rn(6)) {
		case 0: sqlite3_str_appendf(q, "%d", rn(41) - 20); return;
		case 1: sqlite3_str_appendf(q, "%d.%03d", rn(21) - 10, rn(1000)); return;
		case 2: sqlite3_str_appendf(q, "%d.%d", rn(21) - 10, rn(10)); return;
		case 3: sqlite3_str_appendf(q, "1e%d", rn(20)); return;
		default: sqlite3_str_appendf(q, "%s%d.%02d", pct(50) ? "-" : "", rn(21), rn(100)); return;
		}
	case C_DATE:
		if (pct(70))
			sqlite3_str_appendf(q, "'%d-%02d-%02d'", 1993 + rn(4), 1 + rn(12), 1 + rn(28));
		else
			sqlite3_str_appendall(q, dates[rn(8)]);
		return;
	case C_TEXT:
		sqlite3_str_appendf(q, "%Q", texts[rn(NTEXT)]);
		return;
	}
}

static const char *const ops[] = { "=", "<>", "!=", "<", "<=", ">", ">=", "==" };

/* Params bound after prepare: the extension cannot see them at plan time */
struct params {
	int	n;
	int	type[8];
	int64_t	ival[8];
	double	dval[8];
	char	tval[8][16];
};

static void term(sqlite3_str *q, struct params *pr)
{
	int c = rn(NCOL), t = col_type[c];
	const char *n = col_name[c];

	switch (rn(24)) {
	case 0:
		sqlite3_str_appendf(q, "%s BETWEEN ", n);
		lit(q, t);
		sqlite3_str_appendall(q, " AND ");
		lit(q, t);
		return;
	case 1:
		sqlite3_str_appendf(q, "%s IS %sNULL", n, pct(50) ? "NOT " : "");
		return;
	case 2:
		sqlite3_str_appendf(q, "%s LIKE %s", n, pct(50) ? "'A%'" : "'%b'");
		return;
	case 3:
		sqlite3_str_appendf(q, "%s IN (", n);
		lit(q, t);
		sqlite3_str_appendall(q, ", ");
		lit(q, t);
		sqlite3_str_appendall(q, ")");
		return;
	case 4:
		lit(q, t);
		sqlite3_str_appendf(q, " %s %s", ops[rn(8)], n);
		return;
	case 5:
		sqlite3_str_appendf(q, "%s COLLATE NOCASE %s ", n, ops[rn(2)]);
		lit(q, t);
		return;
	case 6:
		sqlite3_str_appendf(q, "%s + 0 %s ", n, ops[rn(8)]);
		lit(q, t);
		return;
	case 7:
		sqlite3_str_appendf(q, "NOT (%s %s ", n, ops[rn(8)]);
		lit(q, t);
		sqlite3_str_appendall(q, ")");
		return;
	case 8:
	case 9:
		if (pr->n < 8) {
			int k = pr->n++;

			pr->type[k] = t;
			pr->ival[k] = rn(41) - 20;
			pr->dval[k] = (rn(4001) - 2000) / 100.0;
			snprintf(pr->tval[k], sizeof(pr->tval[k]), "%s", t == C_DATE ?
				 "1995-03-15" : texts[rn(NTEXT)]);
			sqlite3_str_appendf(q, "%s %s ?%d", n, ops[rn(8)], k + 1);
			return;
		}
		/* fall through */
	case 10:
		sqlite3_str_appendf(q, "%s IS ", n);
		lit(q, t);
		return;
	default:
		sqlite3_str_appendf(q, "%s %s ", n, ops[rn(8)]);
		lit(q, t);
		return;
	}
}

static void where(sqlite3_str *q, struct params *pr)
{
	int n = 1 + rn(4);

	for (int i = 0; i < n; i++) {
		if (i)
			sqlite3_str_appendall(q, " AND ");
		if (pct(12)) {
			sqlite3_str_appendall(q, "(");
			term(q, pr);
			sqlite3_str_appendall(q, " OR ");
			term(q, pr);
			sqlite3_str_appendall(q, ")");
		} else {
			term(q, pr);
		}
	}
}

struct rows {
	char	**row;
	int	n, cap;
	char	*err;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void rows_free(struct rows *r)
{
	for (int i = 0; i < r->n; i++)
		sqlite3_free(r->row[i]);
	free(r->row);
	sqlite3_free(r->err);
	memset(r, 0, sizeof(*r));
}

static void bind_params(sqlite3_stmt *st, const struct params *pr)
{
	for (int k = 0; k < pr->n; k++) {
		switch (pr->type[k]) {
		case C_INT:
			sqlite3_bind_int64(st, k + 1, pr->ival[k]);
			break;
		case C_DEC2:
			sqlite3_bind_double(st, k + 1, pr->dval[k]);
			break;
		default:
			sqlite3_bind_text(st, k + 1, pr->tval[k], -1, SQLITE_TRANSIENT);
			break;
		}
	}
}

/* Every row as text with its types ("i:3|r:2.5|n|t:AB"), REALs exact */
static void run(sqlite3 *db, const char *sql, const struct params *pr,
		bool sort, struct rows *r)
{
	sqlite3_stmt *st;
	int rc;

	memset(r, 0, sizeof(*r));
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		r->err = sqlite3_mprintf("prepare: %s", sqlite3_errmsg(db));
		return;
	}
	bind_params(st, pr);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_str *s = sqlite3_str_new(db);

		for (int c = 0; c < sqlite3_column_count(st); c++) {
			if (c)
				sqlite3_str_appendall(s, "|");
			switch (sqlite3_column_type(st, c)) {
			case SQLITE_INTEGER:
				sqlite3_str_appendf(s, "i:%lld", sqlite3_column_int64(st, c));
				break;
			case SQLITE_FLOAT:
				sqlite3_str_appendf(s, "r:%!.17g", sqlite3_column_double(st, c));
				break;
			case SQLITE_NULL:
				sqlite3_str_appendall(s, "n");
				break;
			default:
				sqlite3_str_appendf(s, "t:%s", sqlite3_column_text(st, c));
				break;
			}
		}
		if (r->n == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 64;
			r->row = realloc(r->row, r->cap * sizeof(*r->row));
		}
		r->row[r->n++] = sqlite3_str_finish(s);
	}
	if (rc != SQLITE_DONE)
		r->err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	if (sort && r->n)
		qsort(r->row, r->n, sizeof(*r->row), cmp_str);
}

static bool same(const struct rows *a, const struct rows *b, char *why, size_t len)
{
	if (a->err && b->err && !strcmp(a->err, b->err))
		return true;	/* the same error (prepare, overflow) */
	if (a->err || b->err) {
		snprintf(why, len, "errors: uringblk '%s', sqlite '%s'",
			 a->err ? a->err : "", b->err ? b->err : "");
		return false;
	}
	if (a->n != b->n) {
		snprintf(why, len, "%d rows, sqlite %d", a->n, b->n);
		return false;
	}
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->row[i], b->row[i])) {
			snprintf(why, len, "row %d: '%s', sqlite '%s'", i, a->row[i], b->row[i]);
			return false;
		}
	return true;
}

/* The same query over the uringblk table t and the ordinary table r */
static int pushed_scans, scans, skipped_scans;

static void diff_query(sqlite3 *db, int form, const char *w, const struct params *pr)
{
	static const char *const forms[] = {
		"SELECT rowid, * FROM %s WHERE %s",
		"SELECT rowid, a, d FROM %s WHERE %s ORDER BY rowid LIMIT %d OFFSET %d",
		"SELECT count(*), sum(a % 1000), min(c), max(b), sum(CAST(round(b * 100) AS INTEGER)), count(d), sum(e) FROM %s WHERE %s",
		"SELECT d, count(*), sum(e) FROM %s WHERE %s GROUP BY d ORDER BY d",
		"SELECT %s.rowid, k.y FROM %s JOIN k ON %s.e = k.x WHERE %s",
		"SELECT * FROM %s WHERE %s ORDER BY b DESC, rowid LIMIT %d",
		"SELECT k.y, count(*) FROM k LEFT JOIN %s ON %s.d = k.t AND %s GROUP BY k.y ORDER BY k.y",
	};
	int lim = rn(20), off = rn(5);
	struct rows a, b;
	char *qa, *qb, *stats = NULL, why[512];
	bool sort = form == 0 || form == 4;

	switch (form) {
	case 4:
		qa = sqlite3_mprintf(forms[form], "t", "t", "t", w);
		qb = sqlite3_mprintf(forms[form], "r", "r", "r", w);
		break;
	case 6:
		qa = sqlite3_mprintf(forms[form], "t", "t", w);
		qb = sqlite3_mprintf(forms[form], "r", "r", w);
		break;
	default:
		qa = sqlite3_mprintf(forms[form], "t", w, lim, off);
		qb = sqlite3_mprintf(forms[form], "r", w, lim, off);
		break;
	}
	run(db, qa, pr, sort, &a);
	run(db, qb, pr, sort, &b);
	CHECK(same(&a, &b, why, sizeof(why)), "%s: %s", qa, why);
	/* how many scans had something pushed (the last scan of the query) */
	{
		sqlite3_stmt *st;

		sqlite3_prepare_v2(db, "SELECT uringblk_stats()", -1, &st, NULL);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			stats = sqlite3_mprintf("%s", sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		scans++;
		if (stats && !strstr(stats, "query: (none)")) {
			pushed_scans++;
			const char *rs = strstr(stats, "; ranges ");
			unsigned int nr, nread;

			if (!strcmp(engine, "drive")) {
				CHECK(!strstr(stats, "drive scanned 0 bytes"), "%s: not in the drive: %s",
				      qa, stats);
				CHECK(rs && sscanf(rs, "; ranges %u, the host read %u", &nr, &nread) == 2 &&
				      nread <= nr, "%s: %s", qa, stats);
				skipped_scans += rs && nread < nr;
			}
		}
		sqlite3_free(stats);
	}
	rows_free(&a);
	rows_free(&b);
	sqlite3_free(qa);
	sqlite3_free(qb);
}

static void open_db(sqlite3 **db)
{
	char *err = NULL;

	if (sqlite3_open(":memory:", db) != SQLITE_OK ||
	    sqlite3_uringblksqlite_init(*db, &err, NULL) != SQLITE_OK) {
		fprintf(stderr, "sqldiff: cannot open: %s\n", err ? err : "");
		exit(2);
	}
}

static int differential(const char *dir, int queries)
{
	int rounds = 12, per = (queries + rounds - 1) / rounds, done = 0;

	for (int round = 0; round < rounds; round++) {
		struct dataset ds = { .header = round % 3 != 2, .rows = 150 + rn(250) };
		static const char seps[] = { ',', '|', '\t', ';' };
		sqlite3 *db;
		char *sql;

		ds.sep = seps[round % 4];
		snprintf(ds.path, sizeof(ds.path), "%s/t%d.csv", dir, round);
		gen_file(&ds);
		open_db(&db);
		load_ref(db, &ds);
		/* engine='drive': cut in ranges of 4 to 12 KiB or not, with and without a header */
		sql = sqlite3_mprintf("CREATE VIRTUAL TABLE t USING uringblk(file=%Q, header=%d, sep='%q', "
				      "columns='a INT, b DEC2, c DATE, d TEXT, e INT, f TEXT', engine=%Q, range_kib=%d)",
				      ds.path, ds.header, (char[]){ ds.sep, 0 }, engine,
				      (const int[]){ 4, 12, 8, 0 }[round / 3 % 4]);
		exec(db, sql);
		sqlite3_free(sql);
		exec(db, "CREATE TABLE k(x INTEGER, y TEXT, t TEXT)");
		for (int i = 0; i < 12; i++) {
			sql = sqlite3_mprintf("INSERT INTO k VALUES (%d, 'y%d', %Q)", rn(41) - 20, i,
					      texts[rn(NTEXT)]);
			exec(db, sql);
			sqlite3_free(sql);
		}
		for (int i = 0; i < per && done < queries; i++, done++) {
			sqlite3_str *w = sqlite3_str_new(db);
			struct params pr = { 0 };
			char *ws;

			where(w, &pr);
			ws = sqlite3_str_finish(w);
			diff_query(db, rn(7), ws, &pr);
			sqlite3_free(ws);
		}
		sqlite3_close(db);
		unlink(ds.path);
	}
	printf("differential: %d queries, %d with a pushed scan, %d that left ranges unread\n",
	       done, pushed_scans, skipped_scans);
	CHECK(strcmp(engine, "drive") || skipped_scans * 10 > pushed_scans,
	      "only %d of %d pushed scans left a range unread", skipped_scans, pushed_scans);
	/* the test is only worth its name if most queries push something */
	CHECK(!scans || pushed_scans * 3 > scans, "only %d of %d scans pushed a term", pushed_scans, scans);
	return done;
}

/* ---- engine='drive''s ranges, on the host ---------------------------- */

/* a query over @sep data, its first line skipped if @header */
static struct uringblk_query *range_query(char sep, int header, const char *w)
{
	char *text = sqlite3_mprintf("SELECT count(*) FROM csv(sep='%s'%s) WHERE %s",
				     (char[]){ sep, 0 }, header ? ", header" : "", w);
	struct uringblk_query *q = NULL;
	char err[512] = "";

	CHECK(!uringblk_query_compile(text, NULL, &q, err, sizeof(err)), "%s: %s", text, err);
	sqlite3_free(text);
	return q;
}

/*
 * What engine='drive' has the drive do over a file cut in ranges (the
 * layout program, then the pushed query over each range), done here
 * with memchr() and the library's interpreter: the layout must pass
 * layout_valid(), the ranges' counts must add up to the whole file's,
 * and each range's must be what the extension's reader and row query
 * count over the bytes [s, e) it owns, for cuts of 4 to 16 KiB over the
 * differential's files (long records across several cuts, CRLF, a NUL).
 */
static void ranges_host(const char *dir)
{
	static const char *const terms[] = {
		"$1:int < 0", "$1:int >= 5", "$5:int <> 3", "$3:date >= date '1995-01-01'",
		"$2:dec2 <= 1.50", "$4:str = 'AB'", "$1:int = $1:int", "$6:str <> 'A'",
	};
	int ranges = 0, multi = 0;

	for (int round = 0; round < 60; round++) {
		struct dataset ds = { .header = rn(2), .rows = 50 + rn(400), .sep = ",|\t;"[rn(4)] };
		struct uringblk_query *qall, *qnext, *qrow;
		struct uringblk_query_result whole = { 0 };
		__u64 size, step = 4096 * (1 + rn(4)), d, nrec = 0, nmat = 0;
		struct reader rd = { .fd = -1 };
		struct urange *r;
		unsigned int nlay = 1, n;
		char *w, *buf, err[512];
		__s64 *lay;
		struct stat st;
		FILE *f;

		snprintf(ds.path, sizeof(ds.path), "%s/r%d.csv", dir, round);
		gen_file(&ds);
		f = fopen(ds.path, "r");
		if (!f || fstat(fileno(f), &st)) {
			perror(ds.path);
			exit(2);
		}
		size = st.st_size;
		buf = malloc(size + 1);
		lay = calloc(size / step + 2, sizeof(*lay));
		r = calloc(size / step + 2, sizeof(*r));
		if (!buf || !lay || !r || fread(buf, 1, size, f) != size) {
			perror(ds.path);
			exit(2);
		}
		fclose(f);
		if (size && pct(20)) {
			/* a NUL anywhere: the data end there, in every range after it too */
			__u64 at = rnd() % size;
			int fd = open(ds.path, O_WRONLY);

			buf[at] = 0;
			if (fd < 0 || pwrite(fd, "", 1, at) != 1) {
				perror(ds.path);
				exit(2);
			}
			close(fd);
		}
		/* what layout_prog emits */
		{
			const char *nul = memchr(buf, 0, size), *nl;

			lay[0] = nul ? nul - buf : -ENOENT;
			d = nul ? (__u64)(nul - buf) : size;
			for (__u64 cut = step; cut < d; cut += step) {
				nl = memchr(buf + cut, '\n', d - cut);
				lay[nlay++] = nl ? nl - buf : -ENOENT;
				if (!nl)
					break;
			}
		}
		CHECK(layout_valid(size, step, lay, nlay), "%s: the layout (%u values, %lld %lld ...) of %llu bytes cut every %llu is not valid",
		      ds.path, nlay, (long long)lay[0], (long long)lay[1], (unsigned long long)size,
		      (unsigned long long)step);
		n = ranges_build(size, step, lay, nlay, r);
		ranges += n;
		multi += n > 1;
		w = pct(50) ? sqlite3_mprintf("%s", terms[rn(8)]) :
			      sqlite3_mprintf("%s AND %s", terms[rn(8)], terms[rn(8)]);
		qall = range_query(ds.sep, ds.header, w);
		qnext = range_query(ds.sep, 1, w);
		qrow = range_query(ds.sep, 0, w);
		if (qall)
			CHECK(!uringblk_query_host(qall, buf, size, &whole, err, sizeof(err)), "%s", err);
		rd.fd = open(ds.path, O_RDONLY);
		for (unsigned int i = 0; i < n && qall && qnext && qrow; i++) {
			struct uringblk_query_result res = { 0 };
			__u64 hrec = 0, hmat = 0;
			bool first = ds.header && !r[i].s, too_long;
			const char *line;
			size_t len;

			CHECK(r[i].b <= r[i].s && r[i].s < r[i].e && r[i].e <= d &&
			      (!i || r[i].s == r[i - 1].e) && r[i].b % step == 0,
			      "%s: range %u [%llu %llu %llu)", ds.path, i, (unsigned long long)r[i].b,
			      (unsigned long long)r[i].s, (unsigned long long)r[i].e);
			CHECK(!uringblk_query_host(r[i].b ? qnext : qall, buf + r[i].b, r[i].e - r[i].b,
						   &res, err, sizeof(err)), "%s", err);
			/* the extension's reader over [s, e), as vt_next() counts */
			lseek(rd.fd, r[i].s, SEEK_SET);
			rd.pos = rd.end = 0;
			rd.eof = false;
			rd.off = r[i].s;
			rd.stop = r[i].e;
			while (next_line(&rd, &line, &len, &too_long) > 0) {
				struct uringblk_query_result one = { 0 };
				size_t l = len;

				if (l && line[l - 1] == '\n' && --l && line[l - 1] == '\r')
					l--;
				if (first || (!l && !too_long)) {
					first = false;
					continue;
				}
				hrec++;
				if (too_long)
					continue;
				uringblk_query_host(qrow, line, len, &one, err, sizeof(err));
				hmat += one.matched;
				uringblk_query_result_free(&one);
			}
			CHECK(res.records == hrec && res.matched == hmat,
			      "%s, step %llu, range %u [%llu, %llu): the range's query %llu/%llu, the reader %llu/%llu",
			      ds.path, (unsigned long long)step, i, (unsigned long long)r[i].s,
			      (unsigned long long)r[i].e, (unsigned long long)res.records,
			      (unsigned long long)res.matched, (unsigned long long)hrec,
			      (unsigned long long)hmat);
			nrec += res.records;
			nmat += res.matched;
			uringblk_query_result_free(&res);
		}
		CHECK(nrec == whole.records && nmat == whole.matched,
		      "%s, step %llu, %u ranges: %llu/%llu records/matched, the whole file %llu/%llu",
		      ds.path, (unsigned long long)step, n, (unsigned long long)nrec,
		      (unsigned long long)nmat, (unsigned long long)whole.records,
		      (unsigned long long)whole.matched);
		uringblk_query_result_free(&whole);
		uringblk_query_free(qall);
		uringblk_query_free(qnext);
		uringblk_query_free(qrow);
		close(rd.fd);
		free(rd.buf);
		sqlite3_free(w);
		free(buf);
		free(lay);
		free(r);
		unlink(ds.path);
	}
	/* the cut: range_kib's, or larger past 4096 ranges or the EXEC's output */
	{
		static const struct { __u64 size, range; __u32 max_out; __u64 want; } c[] = {
			{ 7238823, 1 << 20, 65536, 1 << 20 },		/* 7 ranges */
			{ 16 << 20, 4096, 65536, 4096 },		/* 4096 exactly */
			{ (16 << 20) + 1, 4096, 65536, 8192 },		/* one past */
			{ 1ULL << 40, 1 << 20, 65536, 256 << 20 },	/* 1 TiB */
			{ 100 << 20, 4096, 8 * 100, 1 << 20 },		/* 100 cuts of output */
			{ (100 << 20) + 1, 4096, 8 * 100, (1 << 20) + 4096 },
			{ 100 << 20, 4096, 0, 100 << 20 },		/* no output: one cut */
		};

		for (unsigned int i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
			__u64 got = range_step(c[i].size, c[i].range, c[i].max_out);
			__u64 most = c[i].max_out / 8 < UQ_RANGES_MAX ? c[i].max_out / 8 : UQ_RANGES_MAX;

			CHECK(got == c[i].want, "range_step(%llu, %llu, %u) = %llu, not %llu",
			      (unsigned long long)c[i].size, (unsigned long long)c[i].range,
			      c[i].max_out, (unsigned long long)got, (unsigned long long)c[i].want);
			CHECK(got % 4096 == 0 && (c[i].size + got - 1) / got <= (most ? most : 1),
			      "range_step case %u: %llu", i, (unsigned long long)got);
		}
	}
	/* answers that are no layout */
	{
		static const __s64 ok[] = { -ENOENT, 5000, 8200 };
		static const __s64 nul_past[] = { 9000 };
		static const __s64 before_cut[] = { -ENOENT, 4000 };
		static const __s64 past_end[] = { -ENOENT, 5000, 9000 };
		static const __s64 cut_missing[] = { -ENOENT, 5000 };
		static const __s64 enoent_inside[] = { -ENOENT, -ENOENT, 8200 };
		static const __s64 other_errno[] = { -EIO };

		CHECK(layout_valid(9000, 4096, ok, 3), "a good layout refused");
		CHECK(!layout_valid(9000, 4096, nul_past, 1), "a NUL past the end taken");
		CHECK(!layout_valid(9000, 4096, before_cut, 2), "a '\\n' before its cut taken");
		CHECK(!layout_valid(9000, 4096, past_end, 3), "a '\\n' past the end taken");
		CHECK(!layout_valid(9000, 4096, cut_missing, 2), "a cut left out taken");
		CHECK(!layout_valid(9000, 4096, enoent_inside, 3), "cuts after a cut without '\\n' taken");
		CHECK(!layout_valid(9000, 4096, other_errno, 1), "an errno but ENOENT taken");
		CHECK(!layout_valid(9000, 4096, ok, 0), "no answer taken");
	}
	printf("ranges: %d ranges over 60 files, %d of them cut\n", ranges, multi);
	CHECK(multi > 30, "only %d files were cut in ranges", multi);
}

/* ---- TPC-H Q1 and Q6 ------------------------------------------------ */

static const char *const q6 =
	"SELECT sum(CAST(round(l_extendedprice * 100) AS INTEGER) * CAST(round(l_discount * 100) AS INTEGER)) "
	"FROM %s WHERE l_shipdate >= '1994-01-01' AND l_shipdate < '1995-01-01' "
	"AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24";
static const char *const q1 =
	"SELECT l_returnflag, l_linestatus, sum(l_quantity), sum(l_extendedprice), "
	"sum(CAST(round(l_extendedprice * 100) AS INTEGER) * (100 - CAST(round(l_discount * 100) AS INTEGER))), "
	"sum(l_discount), avg(l_quantity), count(*) FROM %s WHERE l_shipdate <= '1998-09-02' "
	"GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus";

static void tpch(const char *dir)
{
	static const char cols[] =
		"l_orderkey INT, l_partkey INT, l_suppkey INT, l_linenumber INT, l_quantity INT, "
		"l_extendedprice DEC2, l_discount DEC2, l_tax DEC2, l_returnflag TEXT, "
		"l_linestatus TEXT, l_shipdate DATE, l_commitdate DATE, l_receiptdate DATE, "
		"l_shipinstruct TEXT, l_shipmode TEXT, l_comment TEXT";
	struct tpch_result want;
	struct tpch_gen g;
	struct tpch_line l;
	char path[320], line[256], *sql;
	struct rows a, b;
	sqlite3 *db;
	FILE *f;
	char why[512];

	snprintf(path, sizeof(path), "%s/lineitem.tbl", dir);
	f = fopen(path, "w");
	tpch_result_init(&want);
	tpch_gen_init(&g, 0.005, 7);
	while (tpch_gen_next(&g, &l)) {
		fwrite(line, 1, tpch_line_text(&l, line), f);
		tpch_add_row(&want, &l.r);
	}
	fclose(f);
	open_db(&db);
	sql = sqlite3_mprintf("CREATE VIRTUAL TABLE t USING uringblk(file=%Q, sep='|', columns=%Q, engine=%Q)",
			      path, cols, engine);
	exec(db, sql);
	sqlite3_free(sql);
	exec(db, "CREATE TABLE r(l_orderkey INTEGER, l_partkey INTEGER, l_suppkey INTEGER, "
		 "l_linenumber INTEGER, l_quantity INTEGER, l_extendedprice REAL, l_discount REAL, "
		 "l_tax REAL, l_returnflag TEXT, l_linestatus TEXT, l_shipdate TEXT, "
		 "l_commitdate TEXT, l_receiptdate TEXT, l_shipinstruct TEXT, l_shipmode TEXT, "
		 "l_comment TEXT)");
	exec(db, "INSERT INTO r SELECT * FROM t");	/* a copy, checked below */
	for (int i = 0; i < 2; i++) {
		char *qa = sqlite3_mprintf(i ? q1 : q6, "t"), *qb = sqlite3_mprintf(i ? q1 : q6, "r");

		run(db, qa, &(struct params){ 0 }, false, &a);
		run(db, qb, &(struct params){ 0 }, false, &b);
		CHECK(same(&a, &b, why, sizeof(why)), "TPC-H %s: %s", i ? "Q1" : "Q6", why);
		if (!i) {
			char w[64];

			snprintf(w, sizeof(w), "i:%" PRId64, want.q6_revenue);
			CHECK(a.n == 1 && !strcmp(a.row[0], w),
			      "Q6: uringblk says %s, the generator %s", a.n ? a.row[0] : "-", w);
		} else {
			CHECK(a.n >= 3, "Q1: %d groups", a.n);
		}
		printf("TPC-H %s: %d rows, %s\n", i ? "Q1" : "Q6", a.n, a.n ? a.row[0] : "");
		rows_free(&a);
		rows_free(&b);
		sqlite3_free(qa);
		sqlite3_free(qb);
	}
	/* Q6's four terms are all pushed: nothing left to SQLite */
	run(db, "EXPLAIN QUERY PLAN SELECT count(*) FROM t WHERE l_shipdate >= '1994-01-01' "
		"AND l_shipdate < '1995-01-01' AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24",
	    &(struct params){ 0 }, false, &a);
	CHECK(a.n == 1 && strstr(a.row[0], "l_shipdate >= ?") && strstr(a.row[0], "l_shipdate < ?") &&
	      strstr(a.row[0], "l_discount >= ?") && strstr(a.row[0], "l_discount <= ?") &&
	      strstr(a.row[0], "l_quantity < ?") && strstr(a.row[0], "; pushed, checked again: ; SQLite: ") &&
	      !strstr(a.row[0], "SQLite: l_"),
	      "Q6's plan: %s", a.n ? a.row[0] : a.err);
	rows_free(&a);
	/* the copy is the file: r's rows against the generator's count */
	run(db, "SELECT count(*) FROM r", &(struct params){ 0 }, false, &a);
	snprintf(why, sizeof(why), "i:%" PRIu64, want.rows);
	CHECK(a.n == 1 && !strcmp(a.row[0], why), "rows %s, generated %s", a.n ? a.row[0] : "", why);
	rows_free(&a);
	sqlite3_close(db);
	unlink(path);
}

/* ---- errors and what EXPLAIN shows ---------------------------------- */

static void want_error(sqlite3 *db, const char *sql, const char *msg)
{
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);

	CHECK(rc != SQLITE_OK && err && strstr(err, msg), "%s: want an error with '%s', got %d '%s'",
	      sql, msg, rc, err ? err : "");
	sqlite3_free(err);
}

static void errors(const char *dir)
{
	char path[320], why[512] = "", *sql;
	sqlite3_stmt *st;
	sqlite3 *db;
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/e.csv", dir);
	f = fopen(path, "w");
	for (int i = 0; i < 3000; i++)
		fprintf(f, "%d,%d.25,x%d\n", i, i % 7, i % 3);
	fclose(f);
	open_db(&db);
	want_error(db, "CREATE VIRTUAL TABLE e1 USING uringblk(file='/nonexistent/x.csv', columns='a INT')",
		   "No such file or directory");
	want_error(db, "CREATE VIRTUAL TABLE e1 USING uringblk(file='/tmp', columns='a INT')",
		   "not a regular file");
	sql = sqlite3_mprintf("CREATE VIRTUAL TABLE e1 USING uringblk(file=%Q, columns='a FLOAT')", path);
	want_error(db, sql, "unknown type 'FLOAT'");
	sqlite3_free(sql);
	sql = sqlite3_mprintf("CREATE VIRTUAL TABLE e1 USING uringblk(file=%Q, columns='a INT', sep='||')", path);
	want_error(db, sql, "sep='||': one character");
	sqlite3_free(sql);
	sql = sqlite3_mprintf("CREATE VIRTUAL TABLE e1 USING uringblk(file=%Q, columns='a INT', engine='gpu')", path);
	want_error(db, sql, "engine='gpu'");
	sqlite3_free(sql);
	for (int i = 0; i < 5; i++) {
		static const char *const bad[] = { "x", "6", "-4", "1048580", "" };

		sql = sqlite3_mprintf("CREATE VIRTUAL TABLE e1 USING uringblk(file=%Q, columns='a INT', range_kib='%s')",
				      path, bad[i]);
		want_error(db, sql, "0 (the file as one range) or a multiple of 4 up to 1048576");
		sqlite3_free(sql);
	}
	sql = sqlite3_mprintf("CREATE VIRTUAL TABLE e1 USING uringblk(file=%Q, columns='a INT', colour=1)", path);
	want_error(db, sql, "unknown option 'colour'");
	sqlite3_free(sql);
	sql = sqlite3_mprintf("CREATE VIRTUAL TABLE e1 USING uringblk(file=%Q)", path);
	want_error(db, sql, "columns='NAME TYPE, ...' is missing");
	sqlite3_free(sql);
	sql = sqlite3_mprintf("CREATE VIRTUAL TABLE e1 USING uringblk(file=%Q, columns='a DEC19')", path);
	want_error(db, sql, "0 to 18 digits");
	sqlite3_free(sql);
	/* a file on no uringblk drive (/proc): the library's refusal */
	want_error(db, "CREATE VIRTUAL TABLE e1 USING uringblk(file='/proc/self/status', columns='a INT', engine='drive')",
		   "engine='drive'");

	sql = sqlite3_mprintf("CREATE VIRTUAL TABLE e USING uringblk(file=%Q, columns='a INT, b DEC2, c TEXT', engine=%Q)",
			      path, engine);
	exec(db, sql);
	sqlite3_free(sql);
	/* the file changes under a scan: refused at its end, not wrong rows */
	sqlite3_prepare_v2(db, "SELECT a FROM e WHERE b > 2", -1, &st, NULL);
	CHECK(sqlite3_step(st) == SQLITE_ROW, "first row");
	f = fopen(path, "a");
	fputs("9999,1.25,y\n", f);
	fclose(f);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	CHECK(rc == SQLITE_ERROR && strstr(sqlite3_errmsg(db), "changed under the query"),
	      "changed file: %d %s", rc, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	/* a DEC value past 15 digits under a pushed term: refused */
	f = fopen(path, "a");
	fputs("1,12345678901234.56,z\n", f);
	fclose(f);
	want_error(db, "SELECT count(*) FROM e WHERE b > 2", "more than 15 digits");
	/* not pushed, the same value is SQLite's to compare */
	CHECK(sqlite3_exec(db, "SELECT count(*) FROM e WHERE +b > 2", NULL, NULL, NULL) == SQLITE_OK,
	      "+b: %s", sqlite3_errmsg(db));
	/* what was pushed: the plan, the hidden column, the stats */
	{
		struct rows a;

		run(db, "EXPLAIN QUERY PLAN SELECT * FROM e WHERE a < 10 AND c = 'x1' AND c LIKE 'x%' AND b IS NULL",
		    &(struct params){ 0 }, false, &a);
		CHECK(a.n == 1 && strstr(a.row[0], "pushed: a < ? AND c = ?;") &&
		      strstr(a.row[0], "SQLite: ") && strstr(a.row[0], "c LIKE") &&
		      strstr(a.row[0], "b IS NULL"), "plan: %s",
		      a.n ? a.row[0] : a.err);
		rows_free(&a);
		run(db, "SELECT DISTINCT pushed FROM e WHERE a < 10 AND c = 'x1'", &(struct params){ 0 }, false, &a);
		CHECK(a.n == 1 && !strcmp(a.row[0], "t:SELECT count(*) FROM csv(sep=',') WHERE $1:int < 10 AND $3:str = 'x1'"),
		      "pushed: %s", a.n ? a.row[0] : a.err);
		rows_free(&a);
		run(db, "SELECT uringblk_stats()", &(struct params){ 0 }, false, &a);
		CHECK(a.n == 1 && strstr(a.row[0], "records 3002, returned 3;"), "stats: %s",
		      a.n ? a.row[0] : a.err);
		rows_free(&a);
	}
	/*
	 * Loaded twice: the second load replaces the module and the
	 * function while e, of the first, still reports its scans (ASan
	 * catches a report into a freed state).
	 */
	{
		char *err = NULL;
		struct rows a;

		CHECK(sqlite3_uringblksqlite_init(db, &err, NULL) == SQLITE_OK, "second load: %s",
		      err ? err : "");
		sqlite3_free(err);
		struct rows b;

		run(db, "SELECT count(*) FROM e WHERE a < 10", &(struct params){ 0 }, false, &a);
		run(db, "SELECT count(*) FROM e WHERE +a < 10", &(struct params){ 0 }, false, &b);
		CHECK(same(&a, &b, why, sizeof(why)) && a.n == 1 && strcmp(a.row[0], "i:0"),
		      "after a second load: %s", why);
		rows_free(&a);
		rows_free(&b);
	}
	sqlite3_close(db);
	unlink(path);
}

int main(int argc, char **argv)
{
	char tmpl[] = "/tmp/sqldiff.XXXXXX", dir[256];
	uint64_t seed;
	int queries;

	if (argc > 2 && !strcmp(argv[1], "--drive")) {
		engine = "drive";
		snprintf(tmpl, sizeof(tmpl), "%s", "sqldiff.XXXXXX");
		snprintf(dir, sizeof(dir), "%s/%s", argv[2], tmpl);
		argc -= 2;
		argv += 2;
	} else {
		snprintf(dir, sizeof(dir), "%s", tmpl);
	}
	seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
	queries = argc > 2 ? atoi(argv[2]) : 10000;
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	rng = seed;
	printf("sqldiff: seed %" PRIu64 ", SQLite %s, engine '%s' in %s\n", seed,
	       sqlite3_libversion(), engine, dir);
	if (!strcmp(engine, "host"))
		ranges_host(dir);
	differential(dir, queries);
	tpch(dir);
	errors(dir);
	rmdir(dir);
	/* the form tools/check counts */
	printf("sqldiff: %d checks passed, %d failed\n", checks - failures, failures);
	return failures ? 1 : 0;
}
