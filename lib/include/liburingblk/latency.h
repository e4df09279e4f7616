/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * <liburingblk/latency.h> - latency histograms: snapshot them (GET_STATS or
 * sysfs) and read buckets, counts and percentiles from them.
 *
 * Part of <liburingblk.h>, which includes every header of liburingblk.
 */
#ifndef LIBURINGBLK_LATENCY_H
#define LIBURINGBLK_LATENCY_H

#include <liburingblk/uapi/uringblk.h>
#include <liburingblk/device.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Latency histograms (liburingblk 1.3)
 * ------------------------------------
 * See "Latency histograms" in <liburingblk/uapi/uringblk.h>: per operation type
 * (URINGBLK_LAT_*), a log-linear histogram of latencies in nanoseconds.
 * The functions taking a struct uringblk_latency_stats check that it is a
 * layout this library knows (else -EPROTO).
 */

/**
 * uringblk_get_latency() - snapshot the latency histograms with GET_STATS
 * @dev:	open handle
 * @out:	filled with one snapshot
 * @flags:	0, or URINGBLK_STATS_F_RESET to zero histograms and counters
 *		after the snapshot (-EPERM without CAP_SYS_ADMIN)
 *
 * Return: 0 or a negative errno: -EINVAL (unknown @flags, or a driver
 * older than ABI 1.1, which does not know URINGBLK_STATS_F_LATENCY),
 * -EPROTO (a reply layout this library does not know).
 */
int uringblk_get_latency(struct uringblk_dev *dev,
			 struct uringblk_latency_stats *out, unsigned int flags);

/**
 * uringblk_latency_sysfs() - read the latency histograms from sysfs
 * @dev:	open handle
 * @out:	filled from <sysfs_dir>/uringblk/latency_enable and
 *		latency_<op>; sum_ns[] is 0 (sysfs does not show sums)
 *
 * Each file is read separately: not one snapshot while I/O runs.
 *
 * Return: 0; -EOPNOTSUPP (no latency_enable: a driver older than ABI 1.1);
 * -EBADMSG (a line that is not "<lower> <upper> <count>" of a known
 * bucket); or another negative errno from reading.
 */
int uringblk_latency_sysfs(struct uringblk_dev *dev,
			   struct uringblk_latency_stats *out);

/**
 * uringblk_latency_op_name() - name of operation type @op
 * @op:		URINGBLK_LAT_*
 *
 * Return: "read", "write", "flush", "discard", "write_zeroes",
 * "zone_mgmt", "zone_append" or "exec" (the sysfs file suffixes), or NULL.
 */
const char *uringblk_latency_op_name(unsigned int op);

/**
 * uringblk_latency_bucket() - bounds of bucket @b
 * @lat:	histograms (for their bucket scheme)
 * @b:		0 .. lat->nr_buckets - 1
 * @lo:		if not NULL, the inclusive lower bound, ns
 * @hi:		if not NULL, the exclusive upper bound, ns (UINT64_MAX for
 *		the last, unbounded bucket)
 *
 * Return: 0, -EINVAL (@b out of range), -EPROTO.
 */
int uringblk_latency_bucket(const struct uringblk_latency_stats *lat,
			    unsigned int b, __u64 *lo, __u64 *hi);

/**
 * uringblk_latency_count() - operations recorded for @op
 * @lat:	histograms from uringblk_get_latency() or
 *		uringblk_latency_sysfs()
 * @op:		URINGBLK_LAT_*
 *
 * Return: the sum of the buckets of @op; 0 for an unknown @op or layout.
 */
__u64 uringblk_latency_count(const struct uringblk_latency_stats *lat,
			     unsigned int op);

/**
 * uringblk_latency_percentile() - a quantile of one operation's latencies
 * @lat:	histograms
 * @op:		URINGBLK_LAT_*
 * @q:		0.0 .. 1.0 (0.999 for p99.9)
 * @ns:		receives the estimate, nanoseconds
 *
 * Operations are assumed spread evenly inside their bucket: the estimate
 * is interpolated linearly in the bucket where the running count reaches
 * q * count, so it is never outside that bucket.  q = 0 gives the lower
 * bound of the first non-empty bucket, q = 1 the upper bound of the last;
 * a quantile in the unbounded last bucket gives its lower bound.
 *
 * Return: 0, -EINVAL (bad @op or @q, NULL @ns), -ENODATA (nothing
 * recorded for @op), -EPROTO.
 */
int uringblk_latency_percentile(const struct uringblk_latency_stats *lat,
				unsigned int op, double q, __u64 *ns);

#ifdef __cplusplus
}
#endif

#endif /* LIBURINGBLK_LATENCY_H */
