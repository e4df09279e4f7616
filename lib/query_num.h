/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * A number or a date of the query language, read from a field's bytes:
 * the one parser of the library's host interpreter (query_host.c,
 * query_host_json.c) and of the SQLite extension (lib/sqlite), which
 * shows SQLite the values the drive compares.  static inline, not an
 * exported function: the extension links only liburingblk's ABI
 * (liburingblk.map), and this is no part of it.
 *
 * Each caller keeps its own rules around it: a CSV field is at most
 * URINGBLK_NUM_MAX_LEN bytes and loses the blanks around it first
 * (query_num_trim()); a JSON number has neither; the extension shows a
 * date to SQLite as its text, not as the yyyymmdd the drive compares.
 */
#ifndef LIBURINGBLK_QUERY_NUM_H
#define LIBURINGBLK_QUERY_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

/* Blanks around a CSV number or date are not part of it */
static inline bool query_num_blank(char c)
{
	return c == ' ' || c == '\t';
}

static inline void query_num_trim(const char **s, size_t *len)
{
	while (*len && query_num_blank((*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len && query_num_blank((*s)[*len - 1]))
		(*len)--;
}

/*
 * [+|-]digits[.digits] (digits on one side at least) at @scale, into
 * *@out scaled by 10^@scale: fraction digits past the scale must be 0
 * (never rounded) and the magnitude at most 2^63 - 1 once scaled, else
 * false and *@out untouched.
 */
static inline bool query_parse_num(const char *s, size_t len, int scale,
				   __s64 *out)
{
	const __u64 max = (__u64)INT64_MAX;
	bool neg = false, digit = false;
	int frac = -1;
	__u64 v = 0;
	size_t i = 0;

	if (len && (s[0] == '-' || s[0] == '+'))
		neg = s[i++] == '-';
	for (; i < len; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (s[i] == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (d > 9)
			return false;
		digit = true;
		if (frac >= scale) {
			if (d)
				return false;
			continue;
		}
		if (frac >= 0)
			frac++;
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (!digit)
		return false;
	for (int k = frac < 0 ? 0 : frac; k < scale; k++) {
		if (v > max / 10)
			return false;
		v *= 10;
	}
	*out = neg ? -(__s64)v : (__s64)v;
	return true;
}

/*
 * yyyy-mm-dd, exactly these 10 bytes, a day of the (proleptic Gregorian)
 * calendar: *@out is yyyymmdd, the value the language compares.
 */
static inline bool query_parse_date(const char *s, size_t len, __s64 *out)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	__u64 v = 0, y, m, d;
	bool leap;

	if (len != 10)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return false;
		} else if (s[i] < '0' || s[i] > '9') {
			return false;
		} else {
			v = v * 10 + (__u64)(s[i] - '0');
		}
	}
	y = v / 10000;
	m = v / 100 % 100;
	d = v % 100;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m < 1 || m > 12 || d < 1 || d > (__u64)days[m - 1] + (m == 2 && leap))
		return false;
	*out = (__s64)v;
	return true;
}

#endif /* LIBURINGBLK_QUERY_NUM_H */
