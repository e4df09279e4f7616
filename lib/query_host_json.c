// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Queries on the host: a JSON Lines record, parsed the obvious way (a
 * recursive-descent reading of one flat object), apart from the drive's
 * program (query_gen_json.c), so that the tests hold each against the
 * other.  The rules are in Documentation/examples/queries.md, "JSON
 * Lines":
 *
 *  - a record is one line holding one object: '{', then "key": value
 *    pairs separated by ',', then '}', blanks (space, tab, '\r') around
 *    every token; a line of blanks only is no record;
 *  - a key names a field when its bytes, escapes decoded (\" \\ \/ \b \f
 *    \n \r \t, and \uXXXX below 0080 as that byte), equal the name; a
 *    key with \uXXXX of 0080 or more names none; a bad escape in a key
 *    makes the record malformed; a field's key twice too;
 *  - a value the query uses: a number as in CSV, without blanks inside
 *    (no exponent); a date as the string "yyyy-mm-dd"; text as a string,
 *    its first 8 bytes once decoded (\uXXXX of 0080 or more: malformed).
 *    Any other value for it (null, true, a number for text, ...) leaves
 *    the field missing, and the record malformed;
 *  - a value the query does not use is only scanned to its end: a string
 *    to its closing quote (a '\' takes the next byte with it, unchecked),
 *    anything else to ',', '}' or a blank, and must not hold '"', ':',
 *    '{' or '['; an object or an array as a value is malformed.
 */
#include <string.h>

#include "query.h"

static bool ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

struct jline {
	const char	*s;
	size_t		len, i;
};

/*
 * A string's bytes after its opening quote, decoded into @out (its first
 * @max bytes; *n counts them all).  Returns -1 if malformed (a bad escape,
 * no closing quote), 1 if a \uXXXX past ASCII was met, else 0.
 */
static int jstring(struct jline *l, unsigned char *out, size_t max, size_t *n)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	int wide = 0;

	*n = 0;
	while (l->i < l->len) {
		char c = l->s[l->i++];
		int b;

		if (c == '"')
			return wide;
		if (c != '\\') {
			b = (unsigned char)c;
		} else {
			const char *e;

			if (l->i >= l->len)
				return -1;
			c = l->s[l->i++];
			e = c ? strchr(from, c) : NULL;
			if (e) {
				b = (unsigned char)to[e - from];
			} else if (c == 'u') {
				b = 0;
				for (int k = 0; k < 4; k++) {
					int h = l->i < l->len ? hexval(l->s[l->i]) : -1;

					if (h < 0)
						return -1;
					l->i++;
					b = b * 16 + h;
				}
				if (b >= 0x80) {
					wide = 1;
					continue;
				}
			} else {
				return -1;
			}
		}
		if (*n < max)
			out[*n] = (unsigned char)b;
		(*n)++;
	}
	return -1;
}

/* an unused string: to its closing quote, escapes unchecked */
static bool jskip_string(struct jline *l)
{
	while (l->i < l->len) {
		char c = l->s[l->i++];

		if (c == '"')
			return true;
		if (c == '\\')
			l->i++;
	}
	return false;
}

static void jws(struct jline *l)
{
	while (l->i < l->len && ws(l->s[l->i]))
		l->i++;
}

/* The field @r's name names, by the bytes of the key, or -1 */
static int jfield(const struct uringblk_query *q, const unsigned char *key,
		  size_t n)
{
	for (int k = 0; k < q->nfields; k++) {
		const char *name = q->names[q->fields[k].col];

		if (strlen(name) == n && !memcmp(name, key, n))
			return k;
	}
	return -1;
}

int query_host_json_line(const struct uringblk_query *q, const char *s,
			 size_t len, __s64 *slot)
{
	struct jline l = { .s = s, .len = len };
	bool seen[URINGBLK_QUERY_MAX_FIELDS] = { false };
	bool have[URINGBLK_QUERY_MAX_FIELDS] = { false };
	unsigned char key[512];
	bool first = true;

	jws(&l);
	if (l.i >= l.len || l.s[l.i++] != '{')
		return 0;
	for (;;) {
		size_t n, start;
		int k, r;

		jws(&l);
		if (l.i >= l.len)
			return 0;
		if (first && l.s[l.i] == '}') {
			l.i++;
			break;
		}
		first = false;
		if (l.s[l.i++] != '"')
			return 0;
		r = jstring(&l, key, sizeof(key), &n);
		if (r < 0)
			return 0;
		k = r || n > sizeof(key) ? -1 : jfield(q, key, n);
		if (k >= 0) {
			if (seen[k])
				return 0;
			seen[k] = true;
		}
		jws(&l);
		if (l.i >= l.len || l.s[l.i++] != ':')
			return 0;
		jws(&l);
		if (l.i >= l.len)
			return 0;
		if (l.s[l.i] == '"') {
			enum qtype t = k >= 0 ? q->fields[k].type : QT_NONE;

			l.i++;
			if (k >= 0 && (t == QT_STR || t == QT_DATE)) {
				unsigned char b[16];
				__u64 v = 0;

				r = jstring(&l, b, sizeof(b), &n);
				if (r < 0)
					return 0;
				if (t == QT_STR) {
					for (size_t i = 0; i < n && i < 8; i++)
						v |= (__u64)b[i] << (8 * i);
					slot[k] = (__s64)v;
					have[k] = !r;
				} else {
					have[k] = !r &&
						  query_parse_date((const char *)b,
								   n, &slot[k]);
				}
			} else if (!jskip_string(&l)) {
				return 0;
			}
		} else {
			char c = l.s[l.i];

			if (c == ',' || c == '}' || c == '{' || c == '[')
				return 0;
			start = l.i;
			while (l.i < l.len && l.s[l.i] != ',' &&
			       l.s[l.i] != '}' && !ws(l.s[l.i])) {
				c = l.s[l.i];
				if (k < 0 || q->fields[k].type == QT_STR ||
				    q->fields[k].type == QT_DATE)
					if (c == '"' || c == ':' || c == '{' ||
					    c == '[')
						return 0;
				l.i++;
			}
			if (k >= 0 && q->fields[k].type != QT_STR &&
			    q->fields[k].type != QT_DATE)
				have[k] = query_parse_num(s + start, l.i - start,
							  q->fields[k].scale,
							  &slot[k]);
		}
		jws(&l);
		if (l.i >= l.len)
			return 0;
		if (l.s[l.i] == '}') {
			l.i++;
			break;
		}
		if (l.s[l.i++] != ',')
			return 0;
	}
	jws(&l);
	if (l.i != l.len)
		return 0;
	for (int k = 0; k < q->nfields; k++)
		if (!have[k])
			return 0;
	return 1;
}
