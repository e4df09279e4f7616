// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Latency histogram arithmetic on hand-made histograms: bucket bounds as
 * the uAPI formula gives them (values written out by hand), percentiles
 * computed by hand, edge cases (empty, one bucket, q = 0 and 1, the
 * unbounded last bucket, bad arguments and layouts), the sysfs parser on a
 * fake sysfs tree, and the printers.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"
#include "test.h"

static void lat_init(struct uringblk_latency_stats *lat)
{
	memset(lat, 0, sizeof(*lat));
	lat->version = URINGBLK_LAT_VERSION;
	lat->enabled = 1;
	lat->nr_ops = URINGBLK_LAT_NR_OPS;
	lat->nr_buckets = URINGBLK_LAT_NR_BUCKETS;
	lat->min_shift = URINGBLK_LAT_MIN_SHIFT;
	lat->max_shift = URINGBLK_LAT_MAX_SHIFT;
	lat->sub_bits = URINGBLK_LAT_SUB_BITS;
}

static __u64 pct(const struct uringblk_latency_stats *lat, unsigned int op,
		 double q)
{
	__u64 ns = 0xdead;
	int ret = uringblk_latency_percentile(lat, op, q, &ns);

	CHECK_EQ(ret, 0);
	return ns;
}

static void test_layout(void)
{
	/* The uAPI constants: 58 buckets, the struct fits one reply. */
	CHECK_EQ(URINGBLK_LAT_NR_BUCKETS, 58);
	CHECK_EQ(sizeof(struct uringblk_latency_stats), 3808);
	CHECK(sizeof(struct uringblk_latency_stats) <= URINGBLK_MAX_REPLY_LEN);
	CHECK_STR(uringblk_latency_op_name(URINGBLK_LAT_READ), "read");
	CHECK_STR(uringblk_latency_op_name(URINGBLK_LAT_WRITE_ZEROES), "write_zeroes");
	CHECK_STR(uringblk_latency_op_name(URINGBLK_LAT_ZONE_MGMT), "zone_mgmt");
	CHECK_STR(uringblk_latency_op_name(URINGBLK_LAT_EXEC), "exec");
	CHECK(uringblk_latency_op_name(URINGBLK_LAT_NR_OPS) == NULL);
}

static void test_bounds(void)
{
	struct uringblk_latency_stats lat;
	/* By hand from the uAPI formula, MIN_SHIFT 7, SUB_BITS 1. */
	static const struct { unsigned int b; __u64 lo, hi; } v[] = {
		{ 0,  0,   128 },
		{ 1,  128, 192 },
		{ 2,  192, 256 },
		{ 3,  256, 384 },
		{ 4,  384, 512 },
		{ 7,  1024, 1536 },
		{ 20, 98304, 131072 },			/* 96 us .. 128 us */
		{ 55, 17179869184ULL, 25769803776ULL },	/* 2^34 .. 1.5 * 2^34 */
		{ 56, 25769803776ULL, 34359738368ULL },
		{ 57, 34359738368ULL, UINT64_MAX },	/* 2^35 .. */
	};
	__u64 lo, hi, prev_hi = 0;
	unsigned int i, b;

	lat_init(&lat);
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		lo = hi = 1;
		CHECK_EQ(uringblk_latency_bucket(&lat, v[i].b, &lo, &hi), 0);
		CHECK_EQ(lo, v[i].lo);
		CHECK(hi == v[i].hi);
	}
	/* Contiguous from 0 to infinity; no bucket wider than half its lower bound. */
	for (b = 0; b < URINGBLK_LAT_NR_BUCKETS; b++) {
		CHECK_EQ(uringblk_latency_bucket(&lat, b, &lo, &hi), 0);
		CHECK(lo == prev_hi);
		CHECK(hi > lo);
		if (b > 0 && b < URINGBLK_LAT_NR_BUCKETS - 1)
			CHECK(2 * (hi - lo) <= lo);
		prev_hi = hi;
	}
	CHECK(prev_hi == UINT64_MAX);
	CHECK_EQ(uringblk_latency_bucket(&lat, URINGBLK_LAT_NR_BUCKETS, &lo, &hi), -EINVAL);
	CHECK_EQ(uringblk_latency_bucket(&lat, 3, NULL, NULL), 0);
}

static void test_percentiles(void)
{
	struct uringblk_latency_stats lat;
	__u64 ns = 7;
	unsigned int op;

	lat_init(&lat);
	/* Empty: no answer for any op or q, and ns is left alone. */
	for (op = 0; op < URINGBLK_LAT_NR_OPS; op++) {
		CHECK_EQ(uringblk_latency_count(&lat, op), 0);
		CHECK_EQ(uringblk_latency_percentile(&lat, op, 0.5, &ns), -ENODATA);
		CHECK_EQ(uringblk_latency_percentile(&lat, op, 0.0, &ns), -ENODATA);
		CHECK_EQ(uringblk_latency_percentile(&lat, op, 1.0, &ns), -ENODATA);
	}
	CHECK_EQ(ns, 7);

	/* One bucket [98304, 131072), 4 ops: linear inside it. */
	lat.counts[URINGBLK_LAT_READ][20] = 4;
	CHECK_EQ(uringblk_latency_count(&lat, URINGBLK_LAT_READ), 4);
	CHECK_EQ(pct(&lat, URINGBLK_LAT_READ, 0.0), 98304);
	CHECK_EQ(pct(&lat, URINGBLK_LAT_READ, 0.25), 98304 + 8192);
	CHECK_EQ(pct(&lat, URINGBLK_LAT_READ, 0.5), 114688);
	CHECK_EQ(pct(&lat, URINGBLK_LAT_READ, 1.0), 131072);
	/* Other ops are untouched. */
	CHECK_EQ(uringblk_latency_percentile(&lat, URINGBLK_LAT_WRITE, 0.5, &ns), -ENODATA);

	/*
	 * Two buckets: [128, 192) x1 and [256, 384) x3, total 4.
	 * q=0.25: rank 1 ends bucket 1 -> 192.  q=0.5: rank 2 is 1/3 into
	 * bucket 3 -> 256 + 128/3 = 298.67 -> 299.  q=0.9: rank 3.6 ->
	 * 256 + 128 * 2.6/3 = 366.93 -> 367.  q=0: 128.  q=1: 384.
	 */
	lat.counts[URINGBLK_LAT_WRITE][1] = 1;
	lat.counts[URINGBLK_LAT_WRITE][3] = 3;
	CHECK_EQ(pct(&lat, URINGBLK_LAT_WRITE, 0.0), 128);
	CHECK_EQ(pct(&lat, URINGBLK_LAT_WRITE, 0.25), 192);
	CHECK_EQ(pct(&lat, URINGBLK_LAT_WRITE, 0.5), 299);
	CHECK_EQ(pct(&lat, URINGBLK_LAT_WRITE, 0.9), 367);
	CHECK_EQ(pct(&lat, URINGBLK_LAT_WRITE, 1.0), 384);
	/* A q just above a boundary moves into the next non-empty bucket. */
	CHECK_EQ(pct(&lat, URINGBLK_LAT_WRITE, 0.2500001), 256);

	/*
	 * 1000 ops: 990 in [1024, 1536), 9 in [16384, 24576), 1 in the
	 * unbounded last bucket.  p50: rank 500 -> 1024 + 512 * 500/990 =
	 * 1282.59 -> 1283.  p99: rank 990 ends the first bucket -> 1536.
	 * p99.9: rank 999 ends the second -> 24576.  q=1: the last bucket,
	 * unbounded, answers its lower bound 2^35.
	 */
	lat.counts[URINGBLK_LAT_EXEC][7] = 990;
	lat.counts[URINGBLK_LAT_EXEC][15] = 9;
	lat.counts[URINGBLK_LAT_EXEC][57] = 1;
	CHECK_EQ(pct(&lat, URINGBLK_LAT_EXEC, 0.5), 1283);
	CHECK_EQ(pct(&lat, URINGBLK_LAT_EXEC, 0.99), 1536);
	CHECK_EQ(pct(&lat, URINGBLK_LAT_EXEC, 0.999), 24576);
	CHECK(pct(&lat, URINGBLK_LAT_EXEC, 1.0) == 1ULL << 35);

	/* Bucket 0 holds [0, 128): 2 ops, median 64. */
	lat.counts[URINGBLK_LAT_FLUSH][0] = 2;
	CHECK_EQ(pct(&lat, URINGBLK_LAT_FLUSH, 0.5), 64);
	CHECK_EQ(pct(&lat, URINGBLK_LAT_FLUSH, 0.0), 0);

	/* Huge counts do not overflow the arithmetic. */
	lat.counts[URINGBLK_LAT_DISCARD][3] = UINT64_MAX / 4;
	lat.counts[URINGBLK_LAT_DISCARD][4] = UINT64_MAX / 4;
	CHECK_EQ(pct(&lat, URINGBLK_LAT_DISCARD, 0.5), 384);
	CHECK_EQ(pct(&lat, URINGBLK_LAT_DISCARD, 0.75), 448);

	/* Bad arguments. */
	CHECK_EQ(uringblk_latency_percentile(&lat, URINGBLK_LAT_NR_OPS, 0.5, &ns), -EINVAL);
	CHECK_EQ(uringblk_latency_percentile(&lat, URINGBLK_LAT_READ, -0.01, &ns), -EINVAL);
	CHECK_EQ(uringblk_latency_percentile(&lat, URINGBLK_LAT_READ, 1.01, &ns), -EINVAL);
	CHECK_EQ(uringblk_latency_percentile(&lat, URINGBLK_LAT_READ, NAN, &ns), -EINVAL);
	CHECK_EQ(uringblk_latency_percentile(&lat, URINGBLK_LAT_READ, 0.5, NULL), -EINVAL);
	CHECK_EQ(uringblk_latency_percentile(NULL, URINGBLK_LAT_READ, 0.5, &ns), -EINVAL);
	CHECK_EQ(uringblk_latency_count(&lat, URINGBLK_LAT_NR_OPS), 0);

	/* Layouts this library does not know. */
	lat.version = 2;
	CHECK_EQ(uringblk_latency_percentile(&lat, URINGBLK_LAT_READ, 0.5, &ns), -EPROTO);
	CHECK_EQ(uringblk_latency_count(&lat, URINGBLK_LAT_READ), 0);
	lat.version = URINGBLK_LAT_VERSION;
	lat.sub_bits = 2;	/* fields that disagree with nr_buckets */
	CHECK_EQ(uringblk_latency_bucket(&lat, 1, &ns, NULL), -EPROTO);
	lat.sub_bits = URINGBLK_LAT_SUB_BITS;
	lat.nr_ops = 9;
	CHECK_EQ(uringblk_latency_percentile(&lat, URINGBLK_LAT_READ, 0.5, &ns), -EPROTO);
}

static char *print_to_string(const struct uringblk_latency_stats *lat,
			     unsigned int flags, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*ret = uringblk_fprint_latency(f, lat, flags);
	fclose(f);
	return buf;
}

static void test_print(void)
{
	struct uringblk_latency_stats lat;
	char *got;
	int ret;

	lat_init(&lat);
	lat.counts[URINGBLK_LAT_READ][20] = 4;
	lat.sum_ns[URINGBLK_LAT_READ] = 4 * 110000;
	lat.counts[URINGBLK_LAT_WRITE][1] = 1;
	lat.counts[URINGBLK_LAT_WRITE][3] = 3;
	got = print_to_string(&lat, 0, &ret);
	CHECK_EQ(ret, 0);
	CHECK(strstr(got, "op                   count       mean        p50        p90"
			  "        p99      p99.9        max\n"));
	/* mean 110 us; p50 114688 ns; p90 = 98304 + 0.9 * 32768 = 127795 */
	CHECK(strstr(got, "read                     4     110 us     115 us     128 us"
			  "     131 us     131 us     131 us\n"));
	/* sum 0 (as from sysfs): no mean */
	CHECK(strstr(got, "write                    4          -     299 ns     367 ns"));
	CHECK(strstr(got, "\nflush                    0\n"));
	CHECK(!strstr(got, "recording is off"));
	free(got);

	lat.enabled = 0;
	lat.counts[URINGBLK_LAT_EXEC][57] = 1;
	lat.sum_ns[URINGBLK_LAT_EXEC] = 40000000000ULL;
	got = print_to_string(&lat, 0, &ret);
	CHECK_EQ(ret, 0);
	CHECK(strstr(got, "exec                     1     40.0 s     34.4 s     34.4 s"
			  "     34.4 s     34.4 s        inf\n"));
	CHECK(strstr(got, "(recording is off: latency_enable is 0; echo 1 > "
		     "/sys/block/uringblkN/uringblk/latency_enable turns it on)\n"));
	free(got);

	got = print_to_string(&lat, URINGBLK_PRINT_JSON, &ret);
	CHECK_EQ(ret, 0);
	CHECK(strstr(got, "\"enabled\": false"));
	CHECK(strstr(got, "\"read\": {\"count\": 4, \"sum_ns\": 440000, \"p50_ns\": 114688, "
			  "\"p90_ns\": 127795, \"p99_ns\": 130744, \"p99.9_ns\": 131039, "
			  "\"buckets\": [[98304, 131072, 4]]}"));
	CHECK(strstr(got, "\"flush\": {\"count\": 0, \"sum_ns\": 0, \"buckets\": []}"));
	CHECK(strstr(got, "[34359738368, 18446744073709551615, 1]"));
	/* A real JSON parser accepts it, when there is one. */
	if (access("/usr/bin/python3", X_OK) == 0) {
		FILE *p = popen("python3 -c 'import json,sys; json.load(sys.stdin)'", "w");

		fputs(got, p);
		CHECK_EQ(pclose(p), 0);
	}
	free(got);

	CHECK_EQ(uringblk_fprint_latency(stdout, &lat, 2), -EINVAL);
	lat.version = 0;
	CHECK_EQ(uringblk_fprint_latency(stdout, &lat, 0), -EPROTO);
}

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/uringblk/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) ? -errno : 0;
}

/* The sysfs reader on a fake /sys/block/uringblkN. */
static void test_sysfs(void)
{
	char dir[] = "/tmp/urblk-lat-XXXXXX", path[PATH_MAX], name[64];
	struct uringblk_latency_stats lat;
	struct uringblk_dev *dev;
	unsigned int op;
	__u64 ns;
	int fd;

	if (!mkdtemp(dir)) {
		SKIP("mkdtemp failed");
		return;
	}
	snprintf(path, sizeof(path), "%s/uringblk", dir);
	CHECK_EQ(mkdir(path, 0755), 0);
	fd = open("/dev/null", O_RDWR);
	CHECK_EQ(uringblk_dev_new(3, fd, dir, false, &dev), 0);

	/* No latency_enable: a driver before ABI 1.1. */
	CHECK_EQ(uringblk_latency_sysfs(dev, &lat), -EOPNOTSUPP);

	CHECK_EQ(write_file(dir, "latency_enable", "1\n"), 0);
	for (op = 0; op < URINGBLK_LAT_NR_OPS; op++) {
		snprintf(name, sizeof(name), "latency_%s", uringblk_latency_op_name(op));
		CHECK_EQ(write_file(dir, name, ""), 0);
	}
	CHECK_EQ(write_file(dir, "latency_read",
			    "128 192 1\n256 384 3\n34359738368 18446744073709551615 2\n"), 0);
	memset(&lat, 0xff, sizeof(lat));
	CHECK_EQ(uringblk_latency_sysfs(dev, &lat), 0);
	CHECK_EQ(lat.enabled, 1);
	CHECK_EQ(lat.counts[URINGBLK_LAT_READ][1], 1);
	CHECK_EQ(lat.counts[URINGBLK_LAT_READ][3], 3);
	CHECK_EQ(lat.counts[URINGBLK_LAT_READ][57], 2);
	CHECK_EQ(uringblk_latency_count(&lat, URINGBLK_LAT_READ), 6);
	CHECK_EQ(uringblk_latency_count(&lat, URINGBLK_LAT_WRITE), 0);
	CHECK_EQ(lat.sum_ns[URINGBLK_LAT_READ], 0);
	CHECK_EQ(uringblk_latency_percentile(&lat, URINGBLK_LAT_READ, 0.0, &ns), 0);
	CHECK_EQ(ns, 128);

	/* Malformed: bounds of no bucket, a missing field, trailing junk. */
	CHECK_EQ(write_file(dir, "latency_read", "128 256 1\n"), 0);
	CHECK_EQ(uringblk_latency_sysfs(dev, &lat), -EBADMSG);
	CHECK_EQ(write_file(dir, "latency_read", "100 192 1\n"), 0);
	CHECK_EQ(uringblk_latency_sysfs(dev, &lat), -EBADMSG);
	CHECK_EQ(write_file(dir, "latency_read", "128 192\n"), 0);
	CHECK_EQ(uringblk_latency_sysfs(dev, &lat), -EBADMSG);
	CHECK_EQ(write_file(dir, "latency_read", "128 192 1x\n"), 0);
	CHECK_EQ(uringblk_latency_sysfs(dev, &lat), -EBADMSG);
	CHECK_EQ(write_file(dir, "latency_read", ""), 0);
	CHECK_EQ(write_file(dir, "latency_enable", "yes\n"), 0);
	CHECK_EQ(uringblk_latency_sysfs(dev, &lat), -EBADMSG);
	CHECK_EQ(write_file(dir, "latency_enable", "0\n"), 0);
	CHECK_EQ(uringblk_latency_sysfs(dev, &lat), 0);
	CHECK_EQ(lat.enabled, 0);

	uringblk_close(dev);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	CHECK_EQ(system(path), 0);
}

int main(void)
{
	test_layout();
	test_bounds();
	test_percentiles();
	test_print();
	test_sysfs();
	return test_summary("latency");
}
