// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Latency histograms (liburingblk 1.3): GET_STATS with
 * URINGBLK_STATS_F_LATENCY, the same from sysfs, and the arithmetic on
 * them (bucket bounds, counts, percentiles), which is pure so the tests
 * check it on hand-made histograms.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

#include "private.h"

/* In enum uringblk_lat_op order; also the sysfs file suffixes. */
static const char *const lat_op_names[] = {
	[URINGBLK_LAT_READ]		= "read",
	[URINGBLK_LAT_WRITE]		= "write",
	[URINGBLK_LAT_FLUSH]		= "flush",
	[URINGBLK_LAT_DISCARD]		= "discard",
	[URINGBLK_LAT_WRITE_ZEROES]	= "write_zeroes",
	[URINGBLK_LAT_ZONE_MGMT]	= "zone_mgmt",
	[URINGBLK_LAT_ZONE_APPEND]	= "zone_append",
	[URINGBLK_LAT_EXEC]		= "exec",
};

_Static_assert(ARRAY_SIZE(lat_op_names) == URINGBLK_LAT_NR_OPS,
	       "lat_op_names[] does not match enum uringblk_lat_op");

const char *uringblk_latency_op_name(unsigned int op)
{
	return op < ARRAY_SIZE(lat_op_names) ? lat_op_names[op] : NULL;
}

/*
 * A reply this library can read: the version and layout it was built for,
 * and a bucket scheme whose fields agree with each other.
 */
static int lat_check(const struct uringblk_latency_stats *lat)
{
	if (!lat)
		return -EINVAL;
	if (lat->version != URINGBLK_LAT_VERSION ||
	    lat->nr_ops != URINGBLK_LAT_NR_OPS ||
	    lat->nr_buckets != URINGBLK_LAT_NR_BUCKETS)
		return -EPROTO;
	if (lat->min_shift >= lat->max_shift || lat->max_shift >= 64 ||
	    lat->sub_bits > lat->min_shift ||
	    lat->nr_buckets != 2 + ((unsigned int)(lat->max_shift - lat->min_shift)
				    << lat->sub_bits))
		return -EPROTO;
	return 0;
}

/* The uAPI's bound formula; the caller has checked @lat and @b. */
static void lat_bounds(const struct uringblk_latency_stats *lat, unsigned int b,
		       __u64 *lo, __u64 *hi)
{
	unsigned int j = b - 1, k, shift;

	if (b == 0) {
		*lo = 0;
		*hi = 1ULL << lat->min_shift;
		return;
	}
	if (b == lat->nr_buckets - 1u) {
		*lo = 1ULL << lat->max_shift;
		*hi = UINT64_MAX;
		return;
	}
	k = lat->min_shift + (j >> lat->sub_bits);
	shift = k - lat->sub_bits;
	*lo = (__u64)((1U << lat->sub_bits) + (j & ((1U << lat->sub_bits) - 1)))
	      << shift;
	*hi = *lo + (1ULL << shift);
}

int uringblk_latency_bucket(const struct uringblk_latency_stats *lat,
			    unsigned int b, __u64 *lo, __u64 *hi)
{
	__u64 l, h;
	int ret = lat_check(lat);

	if (ret)
		return ret;
	if (b >= lat->nr_buckets)
		return -EINVAL;
	lat_bounds(lat, b, &l, &h);
	if (lo)
		*lo = l;
	if (hi)
		*hi = h;
	return 0;
}

__u64 uringblk_latency_count(const struct uringblk_latency_stats *lat,
			     unsigned int op)
{
	__u64 n = 0;
	unsigned int b;

	if (lat_check(lat) || op >= lat->nr_ops)
		return 0;
	for (b = 0; b < lat->nr_buckets; b++)
		n += lat->counts[op][b];
	return n;
}

/*
 * The q-quantile: the value below which a fraction q of the recorded
 * operations lie, assuming the operations of a bucket are spread evenly
 * over it.  rank = q * total; the bucket where the running count reaches
 * rank answers, interpolated linearly by how far into its count rank
 * falls.  q = 0 is the lower bound of the first non-empty bucket, q = 1
 * the upper bound of the last; the unbounded last bucket answers its
 * lower bound (nothing better is known).
 */
int uringblk_latency_percentile(const struct uringblk_latency_stats *lat,
				unsigned int op, double q, __u64 *ns)
{
	__u64 total, cum = 0, lo, hi;
	unsigned int b;
	double rank;
	int ret = lat_check(lat);

	if (ret)
		return ret;
	/* !(q >= 0) also refuses NaN. */
	if (op >= lat->nr_ops || !(q >= 0.0) || q > 1.0 || !ns)
		return -EINVAL;
	total = uringblk_latency_count(lat, op);
	if (!total)
		return -ENODATA;
	rank = q * (double)total;
	for (b = 0; b < lat->nr_buckets; b++) {
		__u64 c = lat->counts[op][b];
		double frac, v;

		if (!c)
			continue;
		/* The last non-empty bucket always answers (rounding of rank). */
		if ((double)(cum + c) < rank && cum + c < total) {
			cum += c;
			continue;
		}
		lat_bounds(lat, b, &lo, &hi);
		if (hi == UINT64_MAX) {
			*ns = lo;
			return 0;
		}
		frac = (rank - (double)cum) / (double)c;
		if (frac < 0.0)
			frac = 0.0;
		if (frac > 1.0)
			frac = 1.0;
		v = (double)lo + frac * (double)(hi - lo) + 0.5;
		*ns = (__u64)v;
		return 0;
	}
	return -ENODATA;	/* not reached: total > 0 */
}

int uringblk_get_latency(struct uringblk_dev *dev,
			 struct uringblk_latency_stats *out, unsigned int flags)
{
	struct uringblk_cmd cmd;
	int ret;

	uringblk__begin(dev);
	if (!out || (flags & ~URINGBLK_STATS_F_RESET))
		return -EINVAL;
	uringblk_cmd_init(&cmd, flags | URINGBLK_STATS_F_LATENCY, out, sizeof(*out));
	ret = uringblk_submit_cmd(dev, URINGBLK_CMD_GET_STATS, &cmd, NULL, NULL);
	if (ret < 0)
		return ret;
	return lat_check(out);
}

/* Read a small sysfs file whole into buf (NUL-terminated); bytes or -errno. */
static ssize_t read_small(int dirfd, const char *name, char *buf, size_t len)
{
	size_t n = 0;
	ssize_t r;
	int fd;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (n < len - 1) {
		r = read(fd, buf + n, len - 1 - n);
		if (r < 0) {
			r = -errno;
			close(fd);
			return r;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	return (ssize_t)n;
}

/* A decimal u64 at *p, then one separator character @sep. */
static int parse_u64(char **p, char sep, __u64 *val)
{
	char *end;

	if (**p < '0' || **p > '9')
		return -EBADMSG;
	errno = 0;
	*val = strtoull(*p, &end, 10);
	if (errno || *end != sep)
		return -EBADMSG;
	*p = end + 1;
	return 0;
}

/* One latency_<op> file: "<lower> <upper> <count>\n" lines into counts[]. */
static int parse_hist(struct uringblk_latency_stats *lat, unsigned int op,
		      char *p)
{
	while (*p) {
		__u64 lo, hi, n, blo, bhi;
		unsigned int b;
		int ret;

		if ((ret = parse_u64(&p, ' ', &lo)) ||
		    (ret = parse_u64(&p, ' ', &hi)) ||
		    (ret = parse_u64(&p, '\n', &n)))
			return ret;
		for (b = 0; b < lat->nr_buckets; b++) {
			lat_bounds(lat, b, &blo, &bhi);
			if (blo == lo)
				break;
		}
		if (b == lat->nr_buckets || bhi != hi)
			return -EBADMSG;
		lat->counts[op][b] = n;
	}
	return 0;
}

int uringblk_latency_sysfs(struct uringblk_dev *dev,
			   struct uringblk_latency_stats *out)
{
	struct uringblk_latency_stats *lat;
	char path[PATH_MAX], buf[8192], name[64];
	unsigned int op;
	ssize_t n;
	int dirfd, ret = 0;

	uringblk__begin(dev);
	if (!dev || !out)
		return -EINVAL;
	if (snprintf(path, sizeof(path), "%s/uringblk", dev->sysfs_dir) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -errno;
	lat = calloc(1, sizeof(*lat));
	if (!lat) {
		close(dirfd);
		return -ENOMEM;
	}
	lat->version = URINGBLK_LAT_VERSION;
	lat->nr_ops = URINGBLK_LAT_NR_OPS;
	lat->nr_buckets = URINGBLK_LAT_NR_BUCKETS;
	lat->min_shift = URINGBLK_LAT_MIN_SHIFT;
	lat->max_shift = URINGBLK_LAT_MAX_SHIFT;
	lat->sub_bits = URINGBLK_LAT_SUB_BITS;

	n = read_small(dirfd, "latency_enable", buf, sizeof(buf));
	if (n == -ENOENT) {
		ret = -EOPNOTSUPP;	/* a driver older than ABI 1.1 */
		goto out;
	}
	if (n < 0) {
		ret = (int)n;
		goto out;
	}
	if (strcmp(buf, "0\n") && strcmp(buf, "1\n")) {
		ret = -EBADMSG;
		goto out;
	}
	lat->enabled = buf[0] == '1';
	for (op = 0; op < URINGBLK_LAT_NR_OPS; op++) {
		snprintf(name, sizeof(name), "latency_%s", lat_op_names[op]);
		n = read_small(dirfd, name, buf, sizeof(buf));
		if (n < 0) {
			ret = (int)n;
			goto out;
		}
		ret = parse_hist(lat, op, buf);
		if (ret)
			goto out;
	}
	*out = *lat;
out:
	free(lat);
	close(dirfd);
	return ret;
}

/* "850 ns", "12.3 us", "4.56 ms", "2.10 s": three significant digits. */
static const char *human_ns(char *buf, size_t len, __u64 ns)
{
	static const struct { double div; const char *unit; } u[] = {
		{ 1e9, "s" }, { 1e6, "ms" }, { 1e3, "us" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(u); i++) {
		double v = (double)ns / u[i].div;

		if (v < 1.0)
			continue;
		snprintf(buf, len, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" :
			 "%.0f %s", v, u[i].unit);
		return buf;
	}
	snprintf(buf, len, "%" PRIu64 " ns", (uint64_t)ns);
	return buf;
}

/* The percentiles printed, as fractions and as JSON key suffixes. */
static const struct { double q; const char *name; } lat_pcts[] = {
	{ 0.50, "p50" }, { 0.90, "p90" }, { 0.99, "p99" }, { 0.999, "p99.9" },
};

/* Upper bound of the highest non-empty bucket (UINT64_MAX: unbounded). */
static __u64 lat_max(const struct uringblk_latency_stats *lat, unsigned int op)
{
	__u64 lo, hi = 0;
	unsigned int b;

	for (b = 0; b < lat->nr_buckets; b++)
		if (lat->counts[op][b])
			lat_bounds(lat, b, &lo, &hi);
	return hi;
}

static void fprint_latency_json(FILE *f, const struct uringblk_latency_stats *lat)
{
	unsigned int op, b, i;
	__u64 v, lo, hi;

	fprintf(f, "{\n  \"enabled\": %s,\n  \"ops\": {", lat->enabled ? "true" : "false");
	for (op = 0; op < lat->nr_ops; op++) {
		const char *sep = "";

		fprintf(f, "%s\n    \"%s\": {\"count\": %" PRIu64 ", \"sum_ns\": %" PRIu64,
			op ? "," : "", lat_op_names[op],
			(uint64_t)uringblk_latency_count(lat, op),
			(uint64_t)lat->sum_ns[op]);
		for (i = 0; i < ARRAY_SIZE(lat_pcts); i++) {
			if (uringblk_latency_percentile(lat, op, lat_pcts[i].q, &v))
				continue;
			fprintf(f, ", \"%s_ns\": %" PRIu64, lat_pcts[i].name,
				(uint64_t)v);
		}
		fputs(", \"buckets\": [", f);
		for (b = 0; b < lat->nr_buckets; b++) {
			if (!lat->counts[op][b])
				continue;
			lat_bounds(lat, b, &lo, &hi);
			fprintf(f, "%s[%" PRIu64 ", %" PRIu64 ", %" PRIu64 "]", sep,
				(uint64_t)lo, (uint64_t)hi,
				(uint64_t)lat->counts[op][b]);
			sep = ", ";
		}
		fputs("]}", f);
	}
	fputs("\n  }\n}\n", f);
}

int uringblk_fprint_latency(FILE *f, const struct uringblk_latency_stats *lat,
			    unsigned int flags)
{
	char h[32];
	unsigned int op, i;
	int ret;

	if (!f || (flags & ~URINGBLK_PRINT_JSON))
		return -EINVAL;
	ret = lat_check(lat);
	if (ret)
		return ret;
	if (flags & URINGBLK_PRINT_JSON) {
		fprint_latency_json(f, lat);
		return ferror(f) ? -EIO : 0;
	}

	fprintf(f, "%-12s  %12s  %9s", "op", "count", "mean");
	for (i = 0; i < ARRAY_SIZE(lat_pcts); i++)
		fprintf(f, "  %9s", lat_pcts[i].name);
	fprintf(f, "  %9s\n", "max");
	for (op = 0; op < lat->nr_ops; op++) {
		__u64 n = uringblk_latency_count(lat, op), v;

		fprintf(f, "%-12s  %12" PRIu64, lat_op_names[op], (uint64_t)n);
		if (!n) {
			fputc('\n', f);
			continue;
		}
		/* sysfs has no sums: no mean then. */
		fprintf(f, "  %9s", lat->sum_ns[op] ?
			human_ns(h, sizeof(h), lat->sum_ns[op] / n) : "-");
		for (i = 0; i < ARRAY_SIZE(lat_pcts); i++) {
			uringblk_latency_percentile(lat, op, lat_pcts[i].q, &v);
			fprintf(f, "  %9s", human_ns(h, sizeof(h), v));
		}
		v = lat_max(lat, op);
		fprintf(f, "  %9s\n", v == UINT64_MAX ? "inf" : human_ns(h, sizeof(h), v));
	}
	if (!lat->enabled)
		fputs("(recording is off: latency_enable is 0; echo 1 > "
		      "/sys/block/uringblkN/uringblk/latency_enable turns it on)\n", f);
	return ferror(f) ? -EIO : 0;
}
