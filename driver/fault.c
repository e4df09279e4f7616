// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: make a live drive fail or slow down on purpose, so that
 * the error paths of file systems, applications and programs can be
 * exercised.  The knobs are root-writable sysfs files in
 * /sys/block/uringblkN/fault/ (this file's attribute group), changeable at
 * any time, also under I/O:
 *
 *   ops		which requests may fail: a comma list of read, write,
 *			flush, discard, write_zeroes; "all"; "none" (default)
 *   lba_start		the failing range, in logical blocks of the drive
 *   lba_count		(identify.logical_block_size); 0 = to the end
 *   probability	parts per million of the requests in range that fail
 *			(default 1000000: all of them)
 *   seed		for probability and delay_probability
 *   every_nth		fail only every Nth request that got this far (0: off)
 *   delay_us		delay requests by this long (0: off, at most 10 s)
 *   delay_probability	parts per million of requests delayed (default all)
 *   power_cut		file-backed drives: parts per million of the blocks
 *			written since the last flush that a removal loses
 *			(0: off, the default); see "Power cuts" below
 *   clear		any write: every knob back to its default, bad zones
 *			repaired
 *   zone_readonly	zoned drives: a zone number written makes the zone
 *   zone_offline	READ_ONLY / OFFLINE; reading lists such zones
 *   zone_restore	a zone number written repairs the zone (EMPTY)
 *
 * Which request fails.  A request is a candidate if its type is in ops and
 * it overlaps the range (flushes have no range: every flush is a
 * candidate; a zone append may land anywhere in its zone, so it is taken
 * to cover the whole zone).  A candidate then passes probability: a hash of
 * (seed, type, first sector) against the threshold.  Hashing the request,
 * not numbering requests, makes the choice independent of timing: the same
 * requests fail whatever the interleaving of concurrent submitters over
 * the hardware queues, and a block read again fails again, as a bad sector
 * would.  Flushes, which have no sector, are numbered in arrival order
 * instead.  Finally every_nth counts the requests that passed so far and
 * fails every Nth of them, exactly.  Writing any knob restarts that count.
 * The chosen requests complete at once with BLK_STS_IOERR (EIO), except
 * reads: a chosen read is failed by the read policy (below) before any
 * data moves, with the same status.  The
 * flush the driver does itself when a file-backed device is removed is a
 * flush too: if it is chosen, removal reports the failure and, on a zoned
 * drive, does not save the zones (see uringblk_final_flush()).  Requests
 * that do not fail are delayed when delay_us is set, a share of
 * delay_probability of them chosen by a hash of (seed, arrival number):
 * a delay models a slow device, not a slow block, so repeating a read does
 * not repeat its delay.  Delays apply to every request type.
 *
 * Readers.  Every reader of the data is one read request for the decision
 * above, made once: a block READ in queue_rq, an EXEC when its run starts
 * (uringblk_fault_reader(), for read_policy.c's uringblk_reader_start()).
 * The part of its range that fails is kept in the reader, and the read
 * policy (read_policy.c), which every read goes through, fails reads there.
 *
 * Bad zones: zone_readonly, zone_offline and zone_restore change a zone's
 * condition in the zone model (uringblk_zone_set_cond(), zoned_bad.c).
 *
 * Cost.  Each change publishes an immutable copy of the knobs at
 * dev->fault with RCU, or NULL when no failure, delay or power cut is
 * configured, so queue_rq tests one pointer when fault injection is off.
 * The decision runs in queue_rq (atomic context, once per request, before
 * any attempt to execute it); a delayed request sleeps on the device's
 * workqueue, whose concurrency management starts other workers meanwhile,
 * so no hardware queue stalls behind it.
 *
 * Power cuts.  With power_cut set, the drive's volatile write cache is
 * emulated: the file backend keeps the contents each block had before its
 * first write since the last completed flush (file_cut.c), and the drive's
 * removal is a power cut: its final flush is skipped (it fails as an
 * injected flush fault does), and each block written since the last flush
 * goes back to those contents with probability power_cut ppm, decided by a
 * hash of (seed, block number), each block whole (one block is the unit a
 * cut never tears).  1000000 loses every unflushed write.
 *
 * Counted: stats faults_injected (requests and EXEC runs failed; they also
 * count in errors and prog_aborts_fault) and delays_injected.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/delay.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "stats.h"
#include "uringblk.h"
#include "bio.h"

#define URINGBLK_FAULT_PPM	1000000U
#define URINGBLK_FAULT_MAX_DELAY_US 10000000U	/* 10 s, well under the 30 s I/O timeout */

/* Request classes of the ops knob. */
enum {
	URINGBLK_FAULT_READ,
	URINGBLK_FAULT_WRITE,
	URINGBLK_FAULT_FLUSH,
	URINGBLK_FAULT_DISCARD,
	URINGBLK_FAULT_WRITE_ZEROES,
	URINGBLK_FAULT_NR_OPS,
};

static const char *const uringblk_fault_op_names[URINGBLK_FAULT_NR_OPS] = {
	[URINGBLK_FAULT_READ]		= "read",
	[URINGBLK_FAULT_WRITE]		= "write",
	[URINGBLK_FAULT_FLUSH]		= "flush",
	[URINGBLK_FAULT_DISCARD]	= "discard",
	[URINGBLK_FAULT_WRITE_ZEROES]	= "write_zeroes",
};

#define URINGBLK_FAULT_ALL_OPS	(BIT(URINGBLK_FAULT_NR_OPS) - 1)

/* The knobs, as written to sysfs. */
struct uringblk_fault_knobs {
	u32	ops;			/* BIT(URINGBLK_FAULT_*) */
	u64	lba_start;		/* logical blocks */
	u64	lba_count;		/* 0: to the end of the drive */
	u32	probability;		/* ppm */
	u64	seed;
	u32	every_nth;		/* 0: off */
	u32	delay_us;		/* 0: off */
	u32	delay_probability;	/* ppm */
	u32	power_cut;		/* ppm of unflushed blocks lost at removal */
};

static const struct uringblk_fault_knobs uringblk_fault_defaults = {
	.probability		= URINGBLK_FAULT_PPM,
	.delay_probability	= URINGBLK_FAULT_PPM,
};

/**
 * struct uringblk_fault - what is injected now (published at dev->fault)
 * @k:		the knobs; immutable once published
 * @start:	the failing range in 512-byte sectors, [@start, @end)
 * @end:
 * @zone_sects:	sectors per zone (zoned drives), the extent of an append
 * @nth:	requests counted so far for every_nth
 * @seq:	arrival numbers of flushes and of the delay choice
 * @rcu:	freed after a grace period: queue_rq may still be reading it
 */
struct uringblk_fault {
	struct uringblk_fault_knobs k;
	sector_t	start;
	sector_t	end;
	sector_t	zone_sects;
	atomic64_t	nth;
	atomic64_t	seq;
	struct rcu_head	rcu;
};

/* The knobs of one device; allocated at the first write. */
struct uringblk_fault_ctl {
	struct uringblk_fault_knobs k;
};

/*
 * Serialises knob changes of all devices (they are rare) and protects
 * every dev->fault_ctl and the publication of dev->fault.
 */
static DEFINE_MUTEX(uringblk_fault_mutex);

static u64 uringblk_fault_mix(u64 x)
{
	/* splitmix64's finaliser: every input bit affects every output bit */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/*
 * Does the event (@a, @b) happen with probability @ppm under @seed?
 * h = mix(seed ^ mix(a ^ mix(b))); yes if (h >> 32) * 10^6 >> 32 < ppm.
 */
static bool uringblk_fault_chance(u32 ppm, u64 seed, u64 a, u64 b)
{
	u64 h;

	if (ppm >= URINGBLK_FAULT_PPM)
		return true;
	if (!ppm)
		return false;
	h = uringblk_fault_mix(seed ^ uringblk_fault_mix(a ^ uringblk_fault_mix(b)));
	return (((h >> 32) * URINGBLK_FAULT_PPM) >> 32) < ppm;
}

static int uringblk_fault_class(enum req_op op)
{
	switch (op) {
	case REQ_OP_READ:
		return URINGBLK_FAULT_READ;
	case REQ_OP_WRITE:
	case REQ_OP_ZONE_APPEND:
		return URINGBLK_FAULT_WRITE;
	case REQ_OP_FLUSH:
		return URINGBLK_FAULT_FLUSH;
	case REQ_OP_DISCARD:
		return URINGBLK_FAULT_DISCARD;
	case REQ_OP_WRITE_ZEROES:
		return URINGBLK_FAULT_WRITE_ZEROES;
	default:	/* zone management: not a data operation */
		return -1;
	}
}

/*
 * Should a request of type @op over [@sector, @sector + @nr) fail?  Counts
 * it for every_nth if it gets that far.  Does not sleep.
 */
static bool uringblk_fault_fails(struct uringblk_fault *f, enum req_op op,
				 sector_t sector, sector_t nr)
{
	int cls = uringblk_fault_class(op);
	u64 key = sector;

	if (cls < 0 || !(f->k.ops & BIT(cls)))
		return false;
	if (cls == URINGBLK_FAULT_FLUSH) {
		key = atomic64_inc_return(&f->seq);
	} else {
		if (op == REQ_OP_ZONE_APPEND)
			nr = f->zone_sects;	/* sector is the zone's start */
		if (sector >= f->end || nr <= f->start - min(sector, f->start))
			return false;
	}
	if (!uringblk_fault_chance(f->k.probability, f->k.seed, cls, key))
		return false;
	if (f->k.every_nth) {
		u32 rem;

		div_u64_rem(atomic64_inc_return(&f->nth), f->k.every_nth, &rem);
		if (rem)
			return false;
	}
	return true;
}

/* A read of [@sector, @sector + @nr) was chosen: the part of it that fails, in bytes. */
static void uringblk_fault_window(struct uringblk_fault *f, struct uringblk_reader *rd,
				  sector_t sector, sector_t nr)
{
	rd->fault_start = (u64)max(sector, f->start) << SECTOR_SHIFT;
	rd->fault_end = (u64)min(sector + nr, f->end) << SECTOR_SHIFT;
}

/**
 * uringblk_fault_io() - decide whether an I/O fails, waits, or runs
 * @dev: the device; dev->fault was seen set
 * @op: its type (REQ_OP_FLUSH for a bio drive's empty preflush)
 * @sector: its first sector
 * @nr: its length in sectors
 * @rd: its reader: a read chosen to fail gets the failing part here
 * @delay_us: set to the delay chosen, if any
 *
 * Called once per request or bio, before it executes.  A read chosen to
 * fail runs as usual, with the failing part recorded in @rd, where the
 * read policy, uringblk_read_check(), fails it.  Does not sleep.
 * Return: 0 to run it as usual; -EIO to fail it now; 1 to run it from the
 * device's workqueue after *@delay_us.
 */
int uringblk_fault_io(struct uringblk_dev *dev, enum req_op op, sector_t sector,
		      sector_t nr, struct uringblk_reader *rd, u32 *delay_us)
{
	struct uringblk_fault *f;
	int ret = 0;

	rcu_read_lock();
	f = rcu_dereference(dev->fault);
	if (!f)
		goto out_unlock;
	if (uringblk_fault_fails(f, op, sector, nr)) {
		if (op == REQ_OP_READ) {
			/* The read policy fails it, as it fails every reader. */
			uringblk_fault_window(f, rd, sector, nr);
		} else {
			this_cpu_inc(dev->stats->faults_injected);
			ret = -EIO;
		}
	} else if (f->k.delay_us &&
		   uringblk_fault_chance(f->k.delay_probability, f->k.seed,
					 URINGBLK_FAULT_NR_OPS,
					 atomic64_inc_return(&f->seq))) {
		*delay_us = f->k.delay_us;
		this_cpu_inc(dev->stats->delays_injected);
		ret = 1;
	}
out_unlock:
	rcu_read_unlock();
	return ret;
}

/**
 * uringblk_fault_rq() - uringblk_fault_io() for a request
 * @dev: the device; dev->fault was seen set
 * @rq: the request, started, not yet executed
 *
 * From queue_rq; the reader and the delay go to its pdu (see
 * uringblk_fault_delay()).  Does not sleep.
 * Return: as uringblk_fault_io().
 */
int uringblk_fault_rq(struct uringblk_dev *dev, struct request *rq)
{
	struct uringblk_rq *urq = blk_mq_rq_to_pdu(rq);

	return uringblk_fault_io(dev, req_op(rq), blk_rq_pos(rq),
				 blk_rq_sectors(rq), &urq->reader,
				 &urq->fault_delay_us);
}

/**
 * uringblk_fault_sleep() - sleep an injected delay, unless the drive goes
 * @dev: the device
 * @delay_us: the delay uringblk_fault_io() chose
 *
 * A removal wakes it at once (dev->removal_wq, main.c's
 * uringblk_end_waits()): the request it delays must not hold the removal
 * for up to 10 s, nor run on a drive being taken down.  Process context
 * (the device's workqueue); sleeps.
 * Return: 0 after the delay; -ENODEV if the drive is being removed: the
 * caller ends the request so, unexecuted.
 */
int uringblk_fault_sleep(struct uringblk_dev *dev, u32 delay_us)
{
	if (!wait_event_hrtimeout(dev->removal_wq, READ_ONCE(dev->removing),
				  ns_to_ktime((u64)delay_us * NSEC_PER_USEC)))
		return -ENODEV;
	return 0;
}

/**
 * uringblk_fault_delay() - sleep the delay uringblk_fault_rq() chose
 * @rq: the request, on the device's workqueue
 *
 * Process context; sleeps.  Return: as uringblk_fault_sleep().
 */
int uringblk_fault_delay(struct request *rq)
{
	struct uringblk_rq *urq = blk_mq_rq_to_pdu(rq);
	u32 delay_us = urq->fault_delay_us;

	urq->fault_delay_us = 0;
	return uringblk_fault_sleep(rq->q->queuedata, delay_us);
}

/**
 * uringblk_fault_reader() - choose which reads of a new reader fail
 * @dev: the device
 * @rd: the reader, zeroed (uringblk_reader_start())
 * @pos: the start of the reader's range in device bytes, block aligned
 * @len: its length, not 0
 *
 * A reader counts as one read request for the choice (see the top of this
 * file, "Readers"); a block READ gets its choice in uringblk_fault_rq().
 * Does not sleep.
 */
void uringblk_fault_reader(struct uringblk_dev *dev, struct uringblk_reader *rd,
			   u64 pos, u64 len)
{
	struct uringblk_fault *f;

	rcu_read_lock();
	f = rcu_dereference(dev->fault);
	if (f && uringblk_fault_fails(f, REQ_OP_READ, pos >> SECTOR_SHIFT,
				      len >> SECTOR_SHIFT))
		uringblk_fault_window(f, rd, pos >> SECTOR_SHIFT, len >> SECTOR_SHIFT);
	rcu_read_unlock();
}

/**
 * uringblk_fault_final_flush() - does the flush at removal fail?
 * @dev: the device, no longer taking requests (its sysfs knobs are gone,
 *	dev->fault stays as it was last set)
 *
 * With flush in ops, the flush that main.c does itself when the device is
 * removed is one more flush, chosen as a flush request would be (arrival
 * number, probability, every_nth), so that the error path of removal can
 * be exercised too.  Does not sleep.
 * Return: -EIO (counted in faults_injected) if it fails, else 0.
 */
int uringblk_fault_final_flush(struct uringblk_dev *dev)
{
	struct uringblk_fault *f;
	int ret = 0;

	rcu_read_lock();
	f = rcu_dereference(dev->fault);
	if (f && f->k.power_cut) {
		pr_info("%s: power cut (fault power_cut=%u): no final flush\n",
			dev->name, f->k.power_cut);
		this_cpu_inc(dev->stats->faults_injected);
		ret = -EIO;
	} else if (f && uringblk_fault_fails(f, REQ_OP_FLUSH, 0, 0)) {
		this_cpu_inc(dev->stats->faults_injected);
		ret = -EIO;
	}
	rcu_read_unlock();
	return ret;
}

/**
 * uringblk_fault_power_cut() - is a power cut armed (the power_cut knob)?
 * @dev: the device
 * @seed: set to the seed knob when it is
 *
 * Does not sleep.  Return: power_cut (ppm), 0 when off.
 */
u32 uringblk_fault_power_cut(struct uringblk_dev *dev, u64 *seed)
{
	struct uringblk_fault *f;
	u32 ppm = 0;

	rcu_read_lock();
	f = rcu_dereference(dev->fault);
	if (f && f->k.power_cut) {
		ppm = f->k.power_cut;
		*seed = f->k.seed;
	}
	rcu_read_unlock();
	return ppm;
}

/**
 * uringblk_fault_cut_loses() - does a power cut lose block @blk?
 * @ppm: power_cut as it was when the block was written
 * @seed: the seed knob then
 * @blk: the block's number
 *
 * Does not sleep.
 */
bool uringblk_fault_cut_loses(u32 ppm, u64 seed, u64 blk)
{
	return uringblk_fault_chance(ppm, seed, URINGBLK_FAULT_NR_OPS + 1, blk);
}

/* Free the knobs when the device goes; nothing can reach them by then. */
void uringblk_fault_free(struct uringblk_dev *dev)
{
	kfree(rcu_dereference_protected(dev->fault, true));
	RCU_INIT_POINTER(dev->fault, NULL);
	kfree(dev->fault_ctl);
	dev->fault_ctl = NULL;
}

/* ---- sysfs ---- */

static struct uringblk_dev *to_uringblk(struct device *d)
{
	return dev_to_disk(d)->private_data;
}

static u64 uringblk_fault_nr_lbas(const struct uringblk_dev *dev)
{
	return dev->cfg.capacity / dev->cfg.block_size;
}

/* The knobs now, defaults before the first write.  uringblk_fault_mutex. */
static const struct uringblk_fault_knobs *
uringblk_fault_knobs(struct uringblk_dev *dev)
{
	lockdep_assert_held(&uringblk_fault_mutex);
	return dev->fault_ctl ? &dev->fault_ctl->k : &uringblk_fault_defaults;
}

/*
 * Make @k the device's knobs and publish what they inject.  The every_nth
 * count and the arrival numbers start again from zero.
 * Context: uringblk_fault_mutex held.  May sleep.  Return: 0 or -ENOMEM.
 */
static int uringblk_fault_apply(struct uringblk_dev *dev,
				const struct uringblk_fault_knobs *k)
{
	const unsigned int s = ilog2(dev->cfg.block_size) - SECTOR_SHIFT;
	struct uringblk_fault *f = NULL, *old;

	lockdep_assert_held(&uringblk_fault_mutex);
	if (!dev->fault_ctl) {
		dev->fault_ctl = kzalloc(sizeof(*dev->fault_ctl), GFP_KERNEL);
		if (!dev->fault_ctl)
			return -ENOMEM;
	}
	if (k->ops || k->delay_us || k->power_cut) {
		f = kzalloc(sizeof(*f), GFP_KERNEL);
		if (!f)
			return -ENOMEM;
		f->k = *k;
		f->start = k->lba_start << s;
		f->end = (k->lba_count ? k->lba_start + k->lba_count :
			  uringblk_fault_nr_lbas(dev)) << s;
		f->zone_sects = (sector_t)dev->cfg.zone_size_mb << (20 - SECTOR_SHIFT);
		atomic64_set(&f->nth, 0);
		atomic64_set(&f->seq, 0);
	}
	dev->fault_ctl->k = *k;
	old = rcu_replace_pointer(dev->fault, f,
				  lockdep_is_held(&uringblk_fault_mutex));
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

/* ops: "read,write", "all", "none" or "" (the same as "none"). */
static int uringblk_fault_parse_ops(struct uringblk_dev *dev, const char *buf,
				    u32 *ops)
{
	char *s, *tok, *p;
	int ret = 0;

	s = kstrdup(buf, GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	p = strim(s);
	*ops = 0;
	while ((tok = strsep(&p, ",")) != NULL) {
		int i;

		tok = strim(tok);
		if (!*tok || !strcmp(tok, "none"))
			continue;
		if (!strcmp(tok, "all")) {
			*ops |= URINGBLK_FAULT_ALL_OPS;
			continue;
		}
		i = match_string(uringblk_fault_op_names, URINGBLK_FAULT_NR_OPS, tok);
		if (i < 0) {
			pr_err("%s: fault ops: unknown operation \"%s\" (read, write, flush, discard, write_zeroes, all, none)\n",
			       dev->name, tok);
			ret = -EINVAL;
			break;
		}
		*ops |= BIT(i);
	}
	kfree(s);
	return ret;
}

static ssize_t ops_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct uringblk_dev *dev = to_uringblk(d);
	ssize_t len = 0;
	u32 ops;
	int i;

	mutex_lock(&uringblk_fault_mutex);
	ops = uringblk_fault_knobs(dev)->ops;
	mutex_unlock(&uringblk_fault_mutex);
	if (!ops)
		return sysfs_emit(buf, "none\n");
	for (i = 0; i < URINGBLK_FAULT_NR_OPS; i++)
		if (ops & BIT(i))
			len += sysfs_emit_at(buf, len, "%s%s", len ? "," : "",
					     uringblk_fault_op_names[i]);
	return len + sysfs_emit_at(buf, len, "\n");
}

static ssize_t ops_store(struct device *d, struct device_attribute *attr,
			 const char *buf, size_t count)
{
	struct uringblk_dev *dev = to_uringblk(d);
	struct uringblk_fault_knobs k;
	u32 ops;
	int ret;

	ret = uringblk_fault_parse_ops(dev, buf, &ops);
	if (ret)
		return ret;
	mutex_lock(&uringblk_fault_mutex);
	k = *uringblk_fault_knobs(dev);
	k.ops = ops;
	ret = uringblk_fault_apply(dev, &k);
	mutex_unlock(&uringblk_fault_mutex);
	if (ret)
		return ret;
	pr_info("%s: fault ops=%.*s\n", dev->name,
		(int)strcspn(buf, "\n"), buf);
	return count;
}
static DEVICE_ATTR_RW(ops);

/* The numeric knobs: one table entry each, one show and one store. */
enum {
	URINGBLK_KNOB_LBA_START,
	URINGBLK_KNOB_LBA_COUNT,
	URINGBLK_KNOB_PROBABILITY,
	URINGBLK_KNOB_SEED,
	URINGBLK_KNOB_EVERY_NTH,
	URINGBLK_KNOB_DELAY_US,
	URINGBLK_KNOB_DELAY_PROBABILITY,
	URINGBLK_KNOB_POWER_CUT,
};

struct uringblk_fault_attr {
	struct device_attribute	attr;
	int			knob;
};

static u64 uringblk_knob_get(const struct uringblk_fault_knobs *k, int knob)
{
	switch (knob) {
	case URINGBLK_KNOB_LBA_START:		return k->lba_start;
	case URINGBLK_KNOB_LBA_COUNT:		return k->lba_count;
	case URINGBLK_KNOB_PROBABILITY:		return k->probability;
	case URINGBLK_KNOB_SEED:		return k->seed;
	case URINGBLK_KNOB_EVERY_NTH:		return k->every_nth;
	case URINGBLK_KNOB_DELAY_US:		return k->delay_us;
	case URINGBLK_KNOB_POWER_CUT:		return k->power_cut;
	default:				return k->delay_probability;
	}
}

/*
 * Check @v for knob @name and store it in @k.  The range must stay inside
 * the drive with the other end as it is now, so set lba_start before
 * lba_count.  Return: 0, -ERANGE, with the reason in the kernel log.
 */
static int uringblk_knob_set(struct uringblk_dev *dev, struct uringblk_fault_knobs *k,
			     int knob, const char *name, u64 v)
{
	const u64 nr_lbas = uringblk_fault_nr_lbas(dev);
	const char *disk = dev->name;

	switch (knob) {
	case URINGBLK_KNOB_LBA_START:
		if (v >= nr_lbas || k->lba_count > nr_lbas - v) {
			pr_err("%s: fault lba_start=%llu: the range must lie inside the %llu blocks of the drive (lba_count=%llu)\n",
			       disk, v, nr_lbas, k->lba_count);
			return -ERANGE;
		}
		k->lba_start = v;
		break;
	case URINGBLK_KNOB_LBA_COUNT:
		if (v > nr_lbas - k->lba_start) {
			pr_err("%s: fault lba_count=%llu: the range must lie inside the %llu blocks of the drive (lba_start=%llu)\n",
			       disk, v, nr_lbas, k->lba_start);
			return -ERANGE;
		}
		k->lba_count = v;
		break;
	case URINGBLK_KNOB_SEED:
		k->seed = v;
		break;
	case URINGBLK_KNOB_EVERY_NTH:
		if (v > U32_MAX) {
			pr_err("%s: fault every_nth=%llu: at most %u\n", disk, v, U32_MAX);
			return -ERANGE;
		}
		k->every_nth = v;
		break;
	case URINGBLK_KNOB_DELAY_US:
		if (v > URINGBLK_FAULT_MAX_DELAY_US) {
			pr_err("%s: fault delay_us=%llu: at most %u (10 s)\n", disk, v,
			       URINGBLK_FAULT_MAX_DELAY_US);
			return -ERANGE;
		}
		k->delay_us = v;
		break;
	default:	/* the probabilities */
		if (v > URINGBLK_FAULT_PPM) {
			pr_err("%s: fault %s=%llu: parts per million, at most %u\n",
			       disk, name, v, URINGBLK_FAULT_PPM);
			return -ERANGE;
		}
		if (knob == URINGBLK_KNOB_POWER_CUT && v && !dev->ops->persistent) {
			pr_err("%s: fault power_cut: only a file-backed drive keeps data across removal\n",
			       disk);
			return -EOPNOTSUPP;
		}
		if (knob == URINGBLK_KNOB_PROBABILITY)
			k->probability = v;
		else if (knob == URINGBLK_KNOB_POWER_CUT)
			k->power_cut = v;
		else
			k->delay_probability = v;
		break;
	}
	return 0;
}

static ssize_t uringblk_knob_show(struct device *d, struct device_attribute *attr,
				  char *buf)
{
	struct uringblk_fault_attr *fa = container_of(attr, struct uringblk_fault_attr, attr);
	u64 v;

	mutex_lock(&uringblk_fault_mutex);
	v = uringblk_knob_get(uringblk_fault_knobs(to_uringblk(d)), fa->knob);
	mutex_unlock(&uringblk_fault_mutex);
	return sysfs_emit(buf, "%llu\n", v);
}

static ssize_t uringblk_knob_store(struct device *d, struct device_attribute *attr,
				   const char *buf, size_t count)
{
	struct uringblk_fault_attr *fa = container_of(attr, struct uringblk_fault_attr, attr);
	struct uringblk_dev *dev = to_uringblk(d);
	const char *name = attr->attr.name;
	struct uringblk_fault_knobs k;
	u64 v;
	int ret;

	ret = kstrtou64(buf, 0, &v);
	if (ret) {
		pr_err("%s: fault %s=\"%.*s\": not a number (%s)\n",
		       dev->name, name, (int)strcspn(buf, "\n"), buf,
		       ret == -ERANGE ? "too large" : "decimal, 0x hex or 0 octal");
		return ret;
	}
	mutex_lock(&uringblk_fault_mutex);
	k = *uringblk_fault_knobs(dev);
	ret = uringblk_knob_set(dev, &k, fa->knob, name, v);
	if (!ret)
		ret = uringblk_fault_apply(dev, &k);
	mutex_unlock(&uringblk_fault_mutex);
	if (ret)
		return ret;
	pr_info("%s: fault %s=%llu\n", dev->name, name, v);
	return count;
}

#define URINGBLK_KNOB_ATTR(_name, _knob)					\
static struct uringblk_fault_attr dev_attr_##_name = {			\
	.attr = __ATTR(_name, 0644, uringblk_knob_show, uringblk_knob_store), \
	.knob = _knob,							\
}

URINGBLK_KNOB_ATTR(lba_start, URINGBLK_KNOB_LBA_START);
URINGBLK_KNOB_ATTR(lba_count, URINGBLK_KNOB_LBA_COUNT);
URINGBLK_KNOB_ATTR(probability, URINGBLK_KNOB_PROBABILITY);
URINGBLK_KNOB_ATTR(seed, URINGBLK_KNOB_SEED);
URINGBLK_KNOB_ATTR(every_nth, URINGBLK_KNOB_EVERY_NTH);
URINGBLK_KNOB_ATTR(delay_us, URINGBLK_KNOB_DELAY_US);
URINGBLK_KNOB_ATTR(delay_probability, URINGBLK_KNOB_DELAY_PROBABILITY);
URINGBLK_KNOB_ATTR(power_cut, URINGBLK_KNOB_POWER_CUT);

/* Any write: defaults for every knob, bad zones repaired. */
static ssize_t clear_store(struct device *d, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct uringblk_dev *dev = to_uringblk(d);
	int ret;

	mutex_lock(&uringblk_fault_mutex);
	ret = uringblk_fault_apply(dev, &uringblk_fault_defaults);
	if (!ret)
		ret = uringblk_zone_repair_all(dev);
	mutex_unlock(&uringblk_fault_mutex);
	if (ret) {
		pr_err("%s: fault clear: errno %d\n", dev->name, ret);
		return ret;
	}
	pr_info("%s: fault injection cleared\n", dev->name);
	return count;
}
static DEVICE_ATTR_WO(clear);

/* The zones in condition @cond, as a comma list ("none" if there are none). */
static ssize_t uringblk_zones_show(struct uringblk_dev *dev, u8 cond, char *buf)
{
	ssize_t len = 0;

	for (u32 zno = 0; ; zno++) {
		int c = uringblk_zone_cond(dev, zno);

		if (c < 0)
			break;
		if (c != cond)
			continue;
		/* Room for one more number, a comma and the newline? */
		if (len > PAGE_SIZE - 16) {
			len += sysfs_emit_at(buf, len, ",...");
			break;
		}
		len += sysfs_emit_at(buf, len, "%s%u", len ? "," : "", zno);
	}
	if (!len)
		len = sysfs_emit(buf, "none");
	return len + sysfs_emit_at(buf, len, "\n");
}

/* Write zone number @buf into condition @cond (EMPTY: repair it). */
static ssize_t uringblk_zones_store(struct uringblk_dev *dev, const char *what,
				    u8 cond, const char *buf, size_t count)
{
	const char *disk = dev->name;
	u32 zno;
	int ret;

	ret = kstrtou32(buf, 0, &zno);
	if (ret) {
		pr_err("%s: fault %s=\"%.*s\": not a zone number\n", disk, what,
		       (int)strcspn(buf, "\n"), buf);
		return ret;
	}
	mutex_lock(&uringblk_fault_mutex);
	ret = uringblk_zone_set_cond(dev, zno, cond);
	mutex_unlock(&uringblk_fault_mutex);
	switch (ret) {
	case 0:
		pr_info("%s: fault %s=%u: zone %u is now %s\n", disk, what, zno, zno,
			cond == BLK_ZONE_COND_EMPTY ? "empty" :
			cond == BLK_ZONE_COND_READONLY ? "read-only" : "offline");
		return count;
	case -ERANGE:
		pr_err("%s: fault %s=%u: no such zone\n", disk, what, zno);
		break;
	case -EINVAL:
		if (uringblk_zone_cond(dev, zno) == BLK_ZONE_COND_NOT_WP)
			pr_err("%s: fault %s=%u: a conventional zone has no condition to change\n",
			       disk, what, zno);
		else
			pr_err("%s: fault %s=%u: the zone is neither read-only nor offline\n",
			       disk, what, zno);
		break;
	default:
		pr_err("%s: fault %s=%u: errno %d\n", disk, what, zno, ret);
		break;
	}
	return ret;
}

static ssize_t zone_readonly_show(struct device *d, struct device_attribute *attr,
				  char *buf)
{
	return uringblk_zones_show(to_uringblk(d), BLK_ZONE_COND_READONLY, buf);
}

static ssize_t zone_readonly_store(struct device *d, struct device_attribute *attr,
				   const char *buf, size_t count)
{
	return uringblk_zones_store(to_uringblk(d), "zone_readonly",
				    BLK_ZONE_COND_READONLY, buf, count);
}
static DEVICE_ATTR_RW(zone_readonly);

static ssize_t zone_offline_show(struct device *d, struct device_attribute *attr,
				 char *buf)
{
	return uringblk_zones_show(to_uringblk(d), BLK_ZONE_COND_OFFLINE, buf);
}

static ssize_t zone_offline_store(struct device *d, struct device_attribute *attr,
				  const char *buf, size_t count)
{
	return uringblk_zones_store(to_uringblk(d), "zone_offline",
				    BLK_ZONE_COND_OFFLINE, buf, count);
}
static DEVICE_ATTR_RW(zone_offline);

static ssize_t zone_restore_store(struct device *d, struct device_attribute *attr,
				  const char *buf, size_t count)
{
	return uringblk_zones_store(to_uringblk(d), "zone_restore",
				    BLK_ZONE_COND_EMPTY, buf, count);
}
static DEVICE_ATTR_WO(zone_restore);

static struct attribute *uringblk_fault_attrs[] = {
	&dev_attr_ops.attr,
	&dev_attr_lba_start.attr.attr,
	&dev_attr_lba_count.attr.attr,
	&dev_attr_probability.attr.attr,
	&dev_attr_seed.attr.attr,
	&dev_attr_every_nth.attr.attr,
	&dev_attr_delay_us.attr.attr,
	&dev_attr_delay_probability.attr.attr,
	&dev_attr_power_cut.attr.attr,
	&dev_attr_clear.attr,
	&dev_attr_zone_readonly.attr,
	&dev_attr_zone_offline.attr,
	&dev_attr_zone_restore.attr,
	NULL,
};

/* The zone files only exist on a zoned drive. */
static umode_t uringblk_fault_visible(struct kobject *kobj, struct attribute *attr,
				      int n)
{
	if (attr == &dev_attr_zone_readonly.attr ||
	    attr == &dev_attr_zone_offline.attr ||
	    attr == &dev_attr_zone_restore.attr)
		return uringblk_zone_attr_mode(to_uringblk(kobj_to_dev(kobj)),
					       attr->mode);
	return attr->mode;
}

const struct attribute_group uringblk_fault_group = {
	.name		= "fault",
	.attrs		= uringblk_fault_attrs,
	.is_visible	= uringblk_fault_visible,
};
