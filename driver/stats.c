// SPDX-License-Identifier: GPL-2.0
/*
 * Counters: per-CPU on the I/O path, summed for readers, shown in sysfs
 * under /sys/block/uringblkN/uringblk/ and returned by GET_STATS.  A zoned
 * drive also has the zone table there ("zones"), which the zoned layer
 * formats (zoned_sysfs.c).
 *
 * Every field of struct uringblk_stats that is a counter or gauge appears
 * once in URINGBLK_PCPU_FIELDS below, which drives the snapshot, the reset
 * and the sysfs files, so the three can never disagree; the SSD model's
 * (ssd_*) once in URINGBLK_SSD_STATS (timing.h), which drives its part of
 * the snapshot and its files (no reset: the model's own, timing_ssd.c).
 *
 * The latency histograms (uAPI "Latency histograms") follow the same
 * rules: per-CPU buckets bumped with this_cpu_inc() where an operation
 * completes, summed by GET_STATS (F_LATENCY) and the latency_<op> files,
 * zeroed by the same resets.
 */
#include <linux/blkdev.h>
#include <linux/capability.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>

#include "stats.h"
#include "uringblk.h"
#include "bio.h"
#include "slm.h"

/* Counters summed from the per-CPU struct (same name in both structs). */
#define URINGBLK_PCPU_FIELDS(X)	\
	X(read_ops)		\
	X(read_bytes)		\
	X(write_ops)		\
	X(write_bytes)		\
	X(flush_ops)		\
	X(discard_ops)		\
	X(discard_bytes)	\
	X(write_zeroes_ops)	\
	X(write_zeroes_bytes)	\
	X(fua_ops)		\
	X(errors)		\
	X(bytes_to_host)	\
	X(prog_loads)		\
	X(prog_runs)		\
	X(prog_aborts_budget)	\
	X(prog_aborts_bounds)	\
	X(prog_aborts_fault)	\
	X(prog_insns)		\
	X(prog_bytes_scanned)	\
	X(prog_bytes_to_host)	\
	X(prog_runs_inline)	\
	X(prog_runs_worker)	\
	X(zone_resets)		\
	X(zone_opens)		\
	X(zone_closes)		\
	X(zone_finishes)	\
	X(zone_appends)		\
	X(zone_append_bytes)	\
	X(faults_injected)	\
	X(delays_injected)	\
	X(executes)		\
	X(mem_reads)		\
	X(mem_writes)		\
	X(mem_copies)		\
	X(slm_bytes_to_host)	\
	X(slm_bytes_from_host)	\
	X(slm_bytes_from_media)	\
	X(timing_timer_late_ns)	\
	X(timing_early_ns)	\
	X(timing_held)		\
	X(timing_late)		\
	X(timing_late_ns)	\
	X(timing_hurried)	\
	X(timing_link_wait_ns)	\
	X(timing_media_wait_ns)	\
	X(timing_cu_waits)	\
	X(timing_cu_wait_ns)	\
	X(timing_cu_run_ns)	\
	X(timing_cu_model_ns)	\
	X(kv_cmds)		\
	X(kv_bytes_to_host)	\
	X(kv_bytes_from_host)

/* Operation names: sysfs latency_<name>, in enum uringblk_lat_op order. */
#define URINGBLK_LAT_OPS(X)			\
	X(read,		URINGBLK_LAT_READ)	\
	X(write,	URINGBLK_LAT_WRITE)	\
	X(flush,	URINGBLK_LAT_FLUSH)	\
	X(discard,	URINGBLK_LAT_DISCARD)	\
	X(write_zeroes,	URINGBLK_LAT_WRITE_ZEROES) \
	X(zone_mgmt,	URINGBLK_LAT_ZONE_MGMT)	\
	X(zone_append,	URINGBLK_LAT_ZONE_APPEND) \
	X(exec,		URINGBLK_LAT_EXEC)

/* Off by default: recording costs a clock read per operation (issue 56). */
static bool g_latency;
module_param_named(latency, g_latency, bool, 0444);
MODULE_PARM_DESC(latency, "The driver's latency histograms recording at creation; /sys/block/uringblkN/uringblk/latency_enable switches them per drive. Default: false, as brd (a clock read per operation)");

int uringblk_stats_alloc(struct uringblk_dev *dev)
{
	dev->stats = alloc_percpu(struct uringblk_pcpu_stats);
	dev->lat = alloc_percpu(struct uringblk_pcpu_lat);
	if (!dev->stats || !dev->lat) {
		uringblk_stats_free(dev);
		return -ENOMEM;
	}
	dev->lat_enable = g_latency;
	return 0;
}

void uringblk_stats_free(struct uringblk_dev *dev)
{
	free_percpu(dev->lat);
	dev->lat = NULL;
	free_percpu(dev->stats);
	dev->stats = NULL;
}

/* Bucket @b holds [*lo, *hi) ns; the last one's *hi is U64_MAX. */
static void uringblk_lat_bounds(unsigned int b, u64 *lo, u64 *hi)
{
	unsigned int j = b - 1, k, shift;

	if (b == 0) {
		*lo = 0;
		*hi = 1ULL << URINGBLK_LAT_MIN_SHIFT;
		return;
	}
	if (b == URINGBLK_LAT_NR_BUCKETS - 1) {
		*lo = 1ULL << URINGBLK_LAT_MAX_SHIFT;
		*hi = U64_MAX;
		return;
	}
	k = URINGBLK_LAT_MIN_SHIFT + (j >> URINGBLK_LAT_SUB_BITS);
	shift = k - URINGBLK_LAT_SUB_BITS;
	*lo = (u64)((1U << URINGBLK_LAT_SUB_BITS) +
		    (j & ((1U << URINGBLK_LAT_SUB_BITS) - 1))) << shift;
	*hi = *lo + (1ULL << shift);
}

/* Sum one operation's buckets over the CPUs into @counts. */
static void uringblk_lat_sum_op(struct uringblk_dev *dev, unsigned int op,
				u64 counts[URINGBLK_LAT_NR_BUCKETS], u64 *sum_ns)
{
	int cpu, b;

	memset(counts, 0, sizeof(u64) * URINGBLK_LAT_NR_BUCKETS);
	*sum_ns = 0;
	for_each_possible_cpu(cpu) {
		const struct uringblk_pcpu_lat *l = per_cpu_ptr(dev->lat, cpu);

		for (b = 0; b < URINGBLK_LAT_NR_BUCKETS; b++)
			counts[b] += READ_ONCE(l->counts[op][b]);
		*sum_ns += READ_ONCE(l->sum_ns[op]);
	}
}

/**
 * uringblk_lat_snapshot() - sum the per-CPU histograms
 * @dev: the device
 * @out: filled completely, reserved fields zeroed
 *
 * Exact for all operations that completed before the call.  Does not sleep.
 */
void uringblk_lat_snapshot(struct uringblk_dev *dev,
			   struct uringblk_latency_stats *out)
{
	unsigned int op;

	memset(out, 0, sizeof(*out));
	out->version = URINGBLK_LAT_VERSION;
	out->enabled = READ_ONCE(dev->lat_enable);
	out->nr_ops = URINGBLK_LAT_NR_OPS;
	out->nr_buckets = URINGBLK_LAT_NR_BUCKETS;
	out->min_shift = URINGBLK_LAT_MIN_SHIFT;
	out->max_shift = URINGBLK_LAT_MAX_SHIFT;
	out->sub_bits = URINGBLK_LAT_SUB_BITS;
	for (op = 0; op < URINGBLK_LAT_NR_OPS; op++)
		uringblk_lat_sum_op(dev, op, out->counts[op], &out->sum_ns[op]);
}

/**
 * uringblk_stats_snapshot() - sum the per-CPU counters
 * @dev: the device
 * @out: filled completely, reserved fields zeroed
 *
 * Exact for all requests that completed before the call.  Does not sleep.
 * Context: the backend must be alive: called from sysfs (whose files go
 * away before the backend does) or with dev->lock held for read and
 * dev->removing clear.
 */
void uringblk_stats_snapshot(struct uringblk_dev *dev, struct uringblk_stats *out)
{
	s64 in_flight = 0;
	int cpu;

	memset(out, 0, sizeof(*out));
	for_each_possible_cpu(cpu) {
		const struct uringblk_pcpu_stats *s = per_cpu_ptr(dev->stats, cpu);

#define X(f) out->f += READ_ONCE(s->f);
		URINGBLK_PCPU_FIELDS(X)
#undef X
		in_flight += READ_ONCE(s->in_flight);
	}
	out->in_flight = max_t(s64, in_flight, 0);
	out->backing_bytes = dev->ops->used_bytes(dev);
	out->slm_bytes = uringblk_slm_bytes(dev);
	uringblk_ssd_stats(dev, out);
}

/**
 * uringblk_stats_reset() - zero every counter and latency histogram (gauges
 *	are left alone)
 * @dev: the device
 *
 * An increment racing with the reset on another CPU may survive or be
 * lost; counters are exact again for all I/O issued after the reset.
 */
void uringblk_stats_reset(struct uringblk_dev *dev)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct uringblk_pcpu_stats *s = per_cpu_ptr(dev->stats, cpu);

#define X(f) WRITE_ONCE(s->f, 0);
		URINGBLK_PCPU_FIELDS(X)
#undef X
	}
	for_each_possible_cpu(cpu) {
		struct uringblk_pcpu_lat *l = per_cpu_ptr(dev->lat, cpu);
		int op, b;

		for (op = 0; op < URINGBLK_LAT_NR_OPS; op++) {
			for (b = 0; b < URINGBLK_LAT_NR_BUCKETS; b++)
				WRITE_ONCE(l->counts[op][b], 0);
			WRITE_ONCE(l->sum_ns[op], 0);
		}
	}
}

/* A request completed (blk-mq drives). */
void uringblk_stats_account(struct uringblk_dev *dev, struct request *rq,
			    blk_status_t status)
{
	uringblk_stats_done(dev, req_op(rq), blk_rq_bytes(rq),
			    rq->cmd_flags & REQ_FUA, status,
			    ((struct uringblk_rq *)blk_mq_rq_to_pdu(rq))->start_ns);
}

/**
 * uringblk_stats_zone_mgmt() - count one zone management operation
 * @dev: the device
 * @op: REQ_OP_ZONE_{RESET,RESET_ALL,OPEN,CLOSE,FINISH}
 *
 * Shared by the block layer's requests and the command device's ZONE_MGMT.
 * Does not sleep.
 */
void uringblk_stats_zone_mgmt(struct uringblk_dev *dev, enum req_op op)
{
	struct uringblk_pcpu_stats __percpu *s = dev->stats;

	switch (op) {
	case REQ_OP_ZONE_OPEN:
		this_cpu_inc(s->zone_opens);
		break;
	case REQ_OP_ZONE_CLOSE:
		this_cpu_inc(s->zone_closes);
		break;
	case REQ_OP_ZONE_FINISH:
		this_cpu_inc(s->zone_finishes);
		break;
	default:	/* RESET, RESET_ALL */
		this_cpu_inc(s->zone_resets);
		break;
	}
}

/* sysfs: one read-only file per counter, plus reset_stats. */

static struct uringblk_dev *to_uringblk(struct device *d)
{
	return dev_to_disk(d)->private_data;
}

#define URINGBLK_STAT_ATTR(f)						\
static ssize_t f##_show(struct device *d, struct device_attribute *attr, \
			char *buf)					\
{									\
	struct uringblk_stats st;					\
									\
	uringblk_stats_snapshot(to_uringblk(d), &st);			\
	return sysfs_emit(buf, "%llu\n", st.f);				\
}									\
static DEVICE_ATTR_RO(f);

#define X(f) URINGBLK_STAT_ATTR(f)
URINGBLK_PCPU_FIELDS(X)
URINGBLK_STAT_ATTR(in_flight)
URINGBLK_STAT_ATTR(backing_bytes)
URINGBLK_STAT_ATTR(slm_bytes)
#undef X
#define X(f) URINGBLK_STAT_ATTR(ssd_##f)
URINGBLK_SSD_STATS(X)
#undef X

/* Any write resets; the file is root-only (0200). */
static ssize_t reset_stats_store(struct device *d, struct device_attribute *attr,
				 const char *buf, size_t count)
{
	uringblk_stats_reset(to_uringblk(d));
	return count;
}
static DEVICE_ATTR_WO(reset_stats);

/*
 * Latency: latency_enable (0644) switches recording; latency_<op> shows an
 * operation's histogram, one line per non-empty bucket,
 * "<lower_ns> <upper_ns> <count>" (at most 58 lines of at most 53 bytes:
 * always within the page).
 */
static ssize_t latency_enable_show(struct device *d,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_uringblk(d)->lat_enable));
}

static ssize_t latency_enable_store(struct device *d,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	struct uringblk_dev *dev = to_uringblk(d);
	bool on;
	int ret;

	ret = kstrtobool(buf, &on);
	if (ret) {
		dev_err(d, "latency_enable: '%.*s' is not a boolean (0 or 1)\n",
			(int)min_t(size_t, strcspn(buf, "\n"), 16), buf);
		return ret;
	}
	WRITE_ONCE(dev->lat_enable, on);
	return count;
}
static DEVICE_ATTR_RW(latency_enable);

static ssize_t uringblk_lat_show(struct device *d, unsigned int op, char *buf)
{
	u64 counts[URINGBLK_LAT_NR_BUCKETS], sum_ns, lo, hi;
	unsigned int b;
	int n = 0;

	BUILD_BUG_ON(URINGBLK_LAT_NR_BUCKETS * 54 > PAGE_SIZE);
	uringblk_lat_sum_op(to_uringblk(d), op, counts, &sum_ns);
	for (b = 0; b < URINGBLK_LAT_NR_BUCKETS; b++) {
		if (!counts[b])
			continue;
		uringblk_lat_bounds(b, &lo, &hi);
		n += sysfs_emit_at(buf, n, "%llu %llu %llu\n", lo, hi, counts[b]);
	}
	return n;
}

#define URINGBLK_LAT_ATTR(name, op)					\
static ssize_t latency_##name##_show(struct device *d,			\
				     struct device_attribute *attr,	\
				     char *buf)				\
{									\
	return uringblk_lat_show(d, op, buf);				\
}									\
static DEVICE_ATTR_RO(latency_##name);

URINGBLK_LAT_OPS(URINGBLK_LAT_ATTR)

/*
 * The zone table of a zoned drive (zoned_sysfs.c formats it): a binary
 * attribute because it outgrows a page; the text is read at any offset.
 */
static ssize_t zones_read(struct file *f, struct kobject *kobj,
			  struct bin_attribute *attr, char *buf, loff_t off,
			  size_t count)
{
	return uringblk_zone_table_read(to_uringblk(kobj_to_dev(kobj)), buf, off,
					count);
}
static BIN_ATTR_RO(zones, 0);

static struct bin_attribute *uringblk_stats_bin_attrs[] = {
	&bin_attr_zones,
	NULL,
};

static umode_t uringblk_stats_bin_visible(struct kobject *kobj,
					  struct bin_attribute *attr, int n)
{
	return uringblk_zone_attr_mode(to_uringblk(kobj_to_dev(kobj)),
				       attr->attr.mode);
}

/* "mq" or "bio": how the block layer reaches the drive (bio.h). */
static ssize_t queue_mode_show(struct device *d, struct device_attribute *attr,
			       char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  uringblk_queue_mode_name(to_uringblk(d)->cfg.queue_mode));
}
static DEVICE_ATTR_RO(queue_mode);

static struct attribute *uringblk_stats_attrs[] = {
#define X(f) &dev_attr_##f.attr,
	URINGBLK_PCPU_FIELDS(X)
#undef X
	&dev_attr_in_flight.attr,
	&dev_attr_backing_bytes.attr,
	&dev_attr_slm_bytes.attr,
	&dev_attr_reset_stats.attr,
	&dev_attr_latency_enable.attr,
	&dev_attr_queue_mode.attr,
	&uringblk_timing_attr.attr,	/* the timing model (timing_cfg.c) */
	&uringblk_ssd_attr.attr,	/* its SSD model (timing_ssd.c) */
	&uringblk_ssd_stats_attr.attr,
#define X(f) &dev_attr_ssd_##f.attr,
	URINGBLK_SSD_STATS(X)
#undef X
#define X(name, op) &dev_attr_latency_##name.attr,
	URINGBLK_LAT_OPS(X)
#undef X
	NULL,
};

static const struct attribute_group uringblk_stats_group = {
	.name	= "uringblk",
	.attrs	= uringblk_stats_attrs,
	.bin_attrs = uringblk_stats_bin_attrs,
	.is_bin_visible = uringblk_stats_bin_visible,
};

const struct attribute_group *uringblk_disk_groups[] = {
	&uringblk_stats_group,
	&uringblk_fault_group,
	NULL,
};
