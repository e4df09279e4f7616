/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The drive's counters and latency histograms: the per-CPU structures
 * (dev->stats, dev->lat), stats.c's calls (snapshot, reset, the sysfs
 * group), and the inline helpers every I/O path counts with.  Included by
 * the files that count; uringblk.h keeps only the pointers in struct
 * uringblk_dev.
 */
#ifndef URINGBLK_STATS_H
#define URINGBLK_STATS_H

#include <linux/blk-mq.h>
#include <linux/percpu.h>
#include <linux/timekeeping.h>

#include "compat_internals.h"	/* uringblk_issue_time(): bi_issue's clock */
#include "uringblk.h"

/*
 * Per-CPU counters.  Each field is only ever changed with this_cpu_*() by
 * the CPU that owns it, so the I/O path takes no lock and bounces no cache
 * line; readers sum over all CPUs (exact once the I/O they wait for has
 * completed).  in_flight is incremented on one CPU and may be decremented
 * on another, so single per-CPU values can be negative; only the sum means
 * anything.
 */
struct uringblk_pcpu_stats {
	u64	read_ops;
	u64	read_bytes;
	u64	write_ops;
	u64	write_bytes;
	u64	flush_ops;
	u64	discard_ops;
	u64	discard_bytes;
	u64	write_zeroes_ops;
	u64	write_zeroes_bytes;
	u64	fua_ops;
	u64	errors;
	s64	in_flight;
	u64	bytes_to_host;
	u64	prog_loads;
	u64	prog_runs;
	u64	prog_aborts_budget;
	u64	prog_aborts_bounds;
	u64	prog_aborts_fault;
	u64	prog_insns;
	u64	prog_bytes_scanned;
	u64	prog_bytes_to_host;
	u64	prog_runs_inline;
	u64	prog_runs_worker;
	u64	zone_resets;
	u64	zone_opens;
	u64	zone_closes;
	u64	zone_finishes;
	u64	zone_appends;
	u64	zone_append_bytes;
	u64	faults_injected;
	u64	delays_injected;
	u64	executes;
	u64	mem_reads;
	u64	mem_writes;
	u64	mem_copies;
	u64	slm_bytes_to_host;
	u64	slm_bytes_from_host;
	u64	slm_bytes_from_media;
	u64	timing_timer_late_ns;
	u64	timing_early_ns;
	u64	timing_held;
	u64	timing_late;
	u64	timing_late_ns;
	u64	timing_hurried;
	u64	timing_link_wait_ns;
	u64	timing_media_wait_ns;
	u64	timing_cu_waits;
	u64	timing_cu_wait_ns;
	u64	timing_cu_run_ns;
	u64	timing_cu_model_ns;
	u64	kv_cmds, kv_bytes_to_host, kv_bytes_from_host;
	/* NVMe Read/Write done by nvme_fast.c, sent back to the bio path (debugfs only) */
	u64	nvme_fast, nvme_fast_fallback;
};

/*
 * Per-CPU latency histograms (uAPI "Latency histograms"), apart from
 * struct uringblk_pcpu_stats so that the counters the I/O path always
 * touches stay in a few cache lines; same update rules.
 */
struct uringblk_pcpu_lat {
	u64	sum_ns[URINGBLK_LAT_NR_OPS];
	u64	counts[URINGBLK_LAT_NR_OPS][URINGBLK_LAT_NR_BUCKETS];
};

/* stats.c */
int uringblk_stats_alloc(struct uringblk_dev *dev);
void uringblk_stats_free(struct uringblk_dev *dev);
void uringblk_stats_snapshot(struct uringblk_dev *dev, struct uringblk_stats *out);
void uringblk_stats_reset(struct uringblk_dev *dev);
void uringblk_stats_zone_mgmt(struct uringblk_dev *dev, enum req_op op);
void uringblk_stats_account(struct uringblk_dev *dev, struct request *rq,
			    blk_status_t status);
void uringblk_lat_snapshot(struct uringblk_dev *dev,
			   struct uringblk_latency_stats *out);
extern const struct attribute_group *uringblk_disk_groups[];

/*
 * A latency's start, as uringblk_lat_record() takes it: the low 51 bits of
 * ktime_get_ns() (uringblk_issue_time(), compat_internals.h: the bits the block layer keeps of a
 * bio's issue time, 26 days' worth, so that a bio drive can start from
 * that, bio.c) with URINGBLK_LAT_TIMED set; 0 is "not timed".
 */
#define URINGBLK_LAT_TIMED	BIT_ULL(63)

/*
 * Start timing an operation: the start to pass to uringblk_lat_record() at
 * its completion, or 0 if latency recording is off (then nothing is
 * recorded, even if it is switched on meanwhile).  Does not sleep.
 */
static inline u64 uringblk_lat_start(struct uringblk_dev *dev)
{
	return READ_ONCE(dev->lat_enable) ?
	       uringblk_issue_time(ktime_get_ns()) | URINGBLK_LAT_TIMED : 0;
}

/* queue_rq has a request: count it in flight and time it. */
static inline void uringblk_stats_start(struct uringblk_dev *dev,
					struct request *rq)
{
	struct uringblk_rq *urq = blk_mq_rq_to_pdu(rq);

	this_cpu_inc(dev->stats->in_flight);
	urq->start_ns = uringblk_lat_start(dev);
}

/* A zone append of @bytes landed: it is a write too.  Does not sleep. */
static inline void uringblk_stats_append(struct uringblk_dev *dev, u64 bytes)
{
	this_cpu_inc(dev->stats->zone_appends);
	this_cpu_add(dev->stats->zone_append_bytes, bytes);
	this_cpu_inc(dev->stats->write_ops);
	this_cpu_add(dev->stats->write_bytes, bytes);
}

/* The bucket of a latency: the uAPI's formula, inverted.  Does not sleep. */
static inline unsigned int uringblk_lat_bucket(u64 ns)
{
	unsigned int k;

	if (ns < (1ULL << URINGBLK_LAT_MIN_SHIFT))
		return 0;
	k = fls64(ns) - 1;	/* ns is in [2^k, 2^(k+1)) */
	if (k >= URINGBLK_LAT_MAX_SHIFT)
		return URINGBLK_LAT_NR_BUCKETS - 1;
	return 1 + ((k - URINGBLK_LAT_MIN_SHIFT) << URINGBLK_LAT_SUB_BITS) +
	       ((ns >> (k - URINGBLK_LAT_SUB_BITS)) &
		((1U << URINGBLK_LAT_SUB_BITS) - 1));
}

/**
 * uringblk_lat_record() - record one completed operation's latency
 * @dev: the device
 * @op: URINGBLK_LAT_*
 * @start_ns: what uringblk_lat_start() returned when it started; 0 (it was
 *	off then) records nothing
 *
 * One clock read and two per-CPU adds, no lock; inline, as it is on every
 * I/O's path.  Does not sleep; any context.
 */
static inline void uringblk_lat_record(struct uringblk_dev *dev, unsigned int op,
				       u64 start_ns)
{
	u64 ns;

	if (!start_ns)
		return;
	/* Both in uringblk_issue_time()'s bits: the flag falls out of the mask. */
	ns = uringblk_issue_time(ktime_get_ns() - start_ns);
	this_cpu_inc(dev->lat->counts[op][uringblk_lat_bucket(ns)]);
	this_cpu_add(dev->lat->sum_ns[op], ns);
}

/*
 * Count one completed I/O and record its latency (@start_ns from
 * uringblk_lat_start()).  Successful ones count in their type; failed ones
 * only in errors.  Inline: it is on every I/O's path (a bio drive's,
 * uringblk_stats_account()'s, NVMe passthrough's).  Does not sleep.
 */
static __always_inline void uringblk_stats_done(struct uringblk_dev *dev,
						enum req_op op, unsigned int bytes,
						bool fua, blk_status_t status,
						u64 start_ns)
{
	struct uringblk_pcpu_stats __percpu *s = dev->stats;
	unsigned int lat_op;

	this_cpu_dec(s->in_flight);
	if (status != BLK_STS_OK) {
		this_cpu_inc(s->errors);
		return;
	}
	switch (op) {
	case REQ_OP_READ:
		this_cpu_inc(s->read_ops);
		this_cpu_add(s->read_bytes, bytes);
		this_cpu_add(s->bytes_to_host, bytes);
		lat_op = URINGBLK_LAT_READ;
		break;
	case REQ_OP_WRITE:
		this_cpu_inc(s->write_ops);
		this_cpu_add(s->write_bytes, bytes);
		if (fua)
			this_cpu_inc(s->fua_ops);
		lat_op = URINGBLK_LAT_WRITE;
		break;
	case REQ_OP_FLUSH:
		this_cpu_inc(s->flush_ops);
		lat_op = URINGBLK_LAT_FLUSH;
		break;
	case REQ_OP_DISCARD:
		this_cpu_inc(s->discard_ops);
		this_cpu_add(s->discard_bytes, bytes);
		lat_op = URINGBLK_LAT_DISCARD;
		break;
	case REQ_OP_WRITE_ZEROES:
		this_cpu_inc(s->write_zeroes_ops);
		this_cpu_add(s->write_zeroes_bytes, bytes);
		lat_op = URINGBLK_LAT_WRITE_ZEROES;
		break;
	case REQ_OP_ZONE_APPEND:
		uringblk_stats_append(dev, bytes);
		lat_op = URINGBLK_LAT_ZONE_APPEND;
		break;
	default:
		if (!op_is_zone_mgmt(op))
			return;
		uringblk_stats_zone_mgmt(dev, op);
		lat_op = URINGBLK_LAT_ZONE_MGMT;
		break;
	}
	uringblk_lat_record(dev, lat_op, start_ns);	/* nothing if start_ns is 0 */
}

#endif /* URINGBLK_STATS_H */
