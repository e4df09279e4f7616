// SPDX-License-Identifier: GPL-2.0
/*
 * Counters: per-CPU on the I/O path, summed for readers, shown in sysfs
 * under /sys/block/uringblkN/uringblk/ and returned by GET_STATS.  A zoned
 * drive also has the zone table there ("zones").
 *
 * Every field of struct uringblk_stats that is a counter or gauge appears
 * once in URINGBLK_STAT_FIELDS below, which drives the snapshot, the reset
 * and the sysfs files, so the three can never disagree.
 */
#include <linux/blkdev.h>
#include <linux/capability.h>
#include <linux/percpu.h>

#include "uringblk.h"

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
	X(zone_resets)		\
	X(zone_opens)		\
	X(zone_closes)		\
	X(zone_finishes)	\
	X(zone_appends)		\
	X(zone_append_bytes)	\
	X(faults_injected)	\
	X(delays_injected)

int uringblk_stats_alloc(struct uringblk_dev *dev)
{
	dev->stats = alloc_percpu(struct uringblk_pcpu_stats);
	return dev->stats ? 0 : -ENOMEM;
}

void uringblk_stats_free(struct uringblk_dev *dev)
{
	free_percpu(dev->stats);
	dev->stats = NULL;
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
}

/**
 * uringblk_stats_reset() - zero every counter (gauges are left alone)
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
}

/*
 * Count one completed request.  Successful requests count in their type;
 * failed ones only in errors.  Does not sleep.
 */
void uringblk_stats_account(struct uringblk_dev *dev, struct request *rq,
			    blk_status_t status)
{
	struct uringblk_pcpu_stats __percpu *s = dev->stats;
	unsigned int bytes = blk_rq_bytes(rq);

	this_cpu_dec(s->in_flight);
	if (status != BLK_STS_OK) {
		this_cpu_inc(s->errors);
		return;
	}
	switch (req_op(rq)) {
	case REQ_OP_READ:
		this_cpu_inc(s->read_ops);
		this_cpu_add(s->read_bytes, bytes);
		this_cpu_add(s->bytes_to_host, bytes);
		break;
	case REQ_OP_WRITE:
		this_cpu_inc(s->write_ops);
		this_cpu_add(s->write_bytes, bytes);
		if (rq->cmd_flags & REQ_FUA)
			this_cpu_inc(s->fua_ops);
		break;
	case REQ_OP_FLUSH:
		this_cpu_inc(s->flush_ops);
		break;
	case REQ_OP_DISCARD:
		this_cpu_inc(s->discard_ops);
		this_cpu_add(s->discard_bytes, bytes);
		break;
	case REQ_OP_WRITE_ZEROES:
		this_cpu_inc(s->write_zeroes_ops);
		this_cpu_add(s->write_zeroes_bytes, bytes);
		break;
	case REQ_OP_ZONE_APPEND:
		uringblk_stats_append(dev, bytes);
		break;
	case REQ_OP_ZONE_RESET:
	case REQ_OP_ZONE_RESET_ALL:
	case REQ_OP_ZONE_OPEN:
	case REQ_OP_ZONE_CLOSE:
	case REQ_OP_ZONE_FINISH:
		uringblk_stats_zone_mgmt(dev, req_op(rq));
		break;
	default:
		break;
	}
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
 * The zone table of a zoned drive (zoned.c formats it): a binary attribute
 * because it outgrows a page; the text is read at any offset.
 */
static ssize_t zones_read(struct file *f, struct kobject *kobj,
			  struct bin_attribute *attr, char *buf, loff_t off,
			  size_t count)
{
	return uringblk_zone_sysfs_read(to_uringblk(kobj_to_dev(kobj)), buf, off,
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
	return to_uringblk(kobj_to_dev(kobj))->zoned ? attr->attr.mode : 0;
}

static struct attribute *uringblk_stats_attrs[] = {
#define X(f) &dev_attr_##f.attr,
	URINGBLK_PCPU_FIELDS(X)
#undef X
	&dev_attr_in_flight.attr,
	&dev_attr_backing_bytes.attr,
	&dev_attr_reset_stats.attr,
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
