// SPDX-License-Identifier: GPL-2.0
/*
 * The SSD model in a drive (Documentation/admin/timing-model.md, "The SSD
 * model"; the model itself is driver/ssd/, pure C).  With ssd= set, the
 * timing model asks it for the deadline of every block request and of
 * every media read a program or a copy into SLM makes: the NAND array's
 * dies and channels, the FTL's write buffer and garbage collection decide
 * when an operation ends, instead of one bandwidth for the whole drive.
 *
 * One model per drive, its calls serialised by tm->ssd_lock (irq-safe:
 * deadlines are computed in queue_rq, which a poll or a requeue may run
 * with interrupts off).  The model never sleeps, allocates or reads a
 * clock under it; its cost per call is its work per page (measured in
 * tools/bench/results, "ssd").
 *
 * The model is fitted to the drive's capacity (ssd_cfg_fit()): a preset
 * keeps its channels, dies, pages, timings and over-provisioning, with as
 * many blocks as the capacity needs.  Its state, about 2 MiB per GiB, is
 * allocated when the drive is made and counted in sysfs ssd_stats.
 */
#include <linux/blkdev.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>

#include "timing_int.h"
#include "uringblk.h"
#include "zoned_hooks.h"

/* The most model state a drive may take: a 128 GiB drive at 7% OP. */
#define URINGBLK_SSD_MAX_STATE	(512ULL << 20)

/**
 * uringblk_ssd_parse() - the module parameter's or configfs's text
 * @text:	ssd_cfg_parse()'s form: presets, "off", key=value pairs
 * @cfg:	set if it parses
 * @msg:	where a refusal is explained (and logged); may be NULL
 *
 * Return: 0 or -EINVAL.
 */
int uringblk_ssd_parse(const char *text, struct ssd_cfg *cfg,
		       struct uringblk_msg *msg)
{
	char why[sizeof(msg->text)];
	int ret = ssd_cfg_parse(text, cfg, why, sizeof(why));

	if (ret)
		uringblk_msg(msg, "%s", why);
	return ret;
}

/* @cfg's SSD model fitted to its capacity, in @fit; 0 or -EINVAL. */
static int uringblk_ssd_fit(const struct uringblk_config *cfg,
			    struct ssd_cfg *fit, struct uringblk_msg *msg)
{
	char why[sizeof(msg->text)];
	u64 lpages = DIV_ROUND_UP(max(cfg->capacity, 1ULL), SSD_LPAGE_SIZE);
	size_t bytes;

	*fit = cfg->ssd;
	if (uringblk_zone_needs_mq(cfg))	/* zoned */
		fit->zone_lpages = cfg->zone_size_mb << (20 - SSD_LPAGE_SHIFT);
	if (ssd_cfg_fit(fit, lpages, why, sizeof(why))) {
		uringblk_msg(msg, "ssd: %s", why);
		return -EINVAL;
	}
	bytes = ssd_state_bytes(fit);
	if (bytes > URINGBLK_SSD_MAX_STATE) {
		uringblk_msg(msg, "ssd: the model of a %llu MiB drive needs %zu MiB of state, more than the %llu MiB allowed",
			     cfg->capacity >> 20, bytes >> 20,
			     URINGBLK_SSD_MAX_STATE >> 20);
		return -EINVAL;
	}
	return 0;
}

/**
 * uringblk_timing_cfg_timed() - does @cfg give its drive a timing model?
 * @cfg:	the configuration
 *
 * The timing parameters, or an SSD model (which needs the timing model's
 * deadlines): either makes the drive a blk-mq one (bio.c).
 */
bool uringblk_timing_cfg_timed(const struct uringblk_config *cfg)
{
	return uringblk_timing_cfg_on(&cfg->timing) || ssd_cfg_on(&cfg->ssd);
}

/*
 * A zoned drive's model is SSD_MODE_ZNS, a zone on each line (ssd_zns.c):
 * the zone capacity must be a line, there is no FTL for conventional
 * zones, and the write buffer must hold a partial unit of every active
 * zone.  0 or -EINVAL.
 */
static int uringblk_ssd_validate_zoned(const struct uringblk_config *cfg,
				       struct uringblk_msg *msg)
{
	const struct ssd_cfg *m = &cfg->ssd;
	u64 unit = (u64)m->planes_per_die * m->page_size;
	u64 line = unit * m->channels * m->dies_per_channel * m->pages_per_block;
	u64 cap = (u64)(cfg->zone_capacity_mb ?: cfg->zone_size_mb) << 20;

	if (!uringblk_zone_needs_mq(cfg)) {	/* not zoned */
		if (m->mode != SSD_MODE_ZNS)
			return 0;
		uringblk_msg(msg, "ssd mode=%u (zoned) needs zoned=1", m->mode);
		return -EINVAL;
	}
	if (m->mode != SSD_MODE_ZNS) {
		uringblk_msg(msg, "ssd mode=%u with zoned=1: a zoned drive needs the zoned model (mode=2, as the zn540 preset)",
			     m->mode);
		return -EINVAL;
	}
	if (cap != line) {
		uringblk_msg(msg, "ssd with zoned=1: a zone's capacity (%llu KiB) must be the model's line, %llu KiB (dies x planes_per_die x pages_per_block x page_size): set zone_capacity_mb or pages_per_block",
			     cap >> 10, line >> 10);
		return -EINVAL;
	}
	if (cfg->zone_nr_conv) {
		uringblk_msg(msg, "ssd with zone_nr_conv=%u: the zoned model has no FTL for conventional zones",
			     cfg->zone_nr_conv);
		return -EINVAL;
	}
	if (!cfg->zone_max_active || (u64)cfg->zone_max_active * unit > m->wb_bytes) {
		uringblk_msg(msg, "ssd with zoned=1 and zone_max_active=%u: the write buffer (wb_bytes=%u) holds a partial %llu KiB unit of every active zone: set zone_max_active to 1..%llu",
			     cfg->zone_max_active, m->wb_bytes, unit >> 10,
			     div64_u64(m->wb_bytes, unit));
		return -EINVAL;
	}
	return 0;
}

/**
 * uringblk_ssd_validate() - check the SSD model against the rest of a configuration
 * @cfg:	the configuration (queue mode resolved)
 * @msg:	where a refusal is explained
 *
 * The model needs blk-mq (bio.c says so); a zoned drive needs the zoned
 * model and the zoned model a zoned drive (uringblk_ssd_validate_zoned());
 * it is the drive's link and media, so the timing model's own link and
 * media parameters may not be set beside it.  A file-backed drive whose
 * capacity comes from its file is fitted again when it is made.
 *
 * Return: 0 or -EINVAL.
 */
int uringblk_ssd_validate(const struct uringblk_config *cfg,
			  struct uringblk_msg *msg)
{
	const struct uringblk_timing_cfg *t = &cfg->timing;
	struct ssd_cfg fit;
	int ret;

	if (!ssd_cfg_on(&cfg->ssd))
		return 0;
	ret = uringblk_ssd_validate_zoned(cfg, msg);
	if (ret)
		return ret;
	if (t->link_mbps || t->media_read_mbps || t->media_write_mbps ||
	    t->media_read_lat_ns || t->media_write_lat_ns) {
		uringblk_msg(msg, "ssd with timing link_mbps or media_*: the SSD model is the drive's link and media; set link_mbps in ssd= (compute_units, fw_overhead_ns and link_lat_ns combine with it)");
		return -EINVAL;
	}
	return uringblk_ssd_fit(cfg, &fit, msg);
}

/**
 * uringblk_ssd_dev_init() - the SSD model of a drive being made
 * @dev:	the drive, its capacity known (after the backend's init), its
 *		timing model made (uringblk_timing_dev_init())
 * @msg:	where a refusal is explained
 *
 * Before its queues start.  May sleep.  Return: 0, -EINVAL or -ENOMEM.
 */
int uringblk_ssd_dev_init(struct uringblk_dev *dev, struct uringblk_msg *msg)
{
	struct uringblk_timing *tm = dev->timing;
	char why[sizeof(msg->text)];
	struct ssd_cfg fit;
	int ret;

	if (!ssd_cfg_on(&dev->cfg.ssd))
		return 0;
	ret = uringblk_ssd_fit(&dev->cfg, &fit, msg);
	if (ret)
		return ret;
	tm->ssd = kzalloc(sizeof(*tm->ssd), GFP_KERNEL);
	if (!tm->ssd)
		return -ENOMEM;
	ret = ssd_init(tm->ssd, &fit, why, sizeof(why));
	if (ret) {
		uringblk_msg(msg, "ssd: %s", why);
		kfree(tm->ssd);
		tm->ssd = NULL;
	}
	return ret;
}

/* At the last reference (uringblk_timing_free()). */
void uringblk_ssd_free(struct uringblk_timing *tm)
{
	if (!tm->ssd)
		return;
	ssd_destroy(tm->ssd);
	kfree(tm->ssd);
	tm->ssd = NULL;
}

/*
 * One command in model time: @op over the drive's bytes [@pos, + @bytes)
 * arriving at @t.  Returns its end.  Does not sleep; any context.
 */
static u64 tm_ssd_submit(struct uringblk_timing *tm, enum ssd_op op, u32 flags,
			 u64 pos, u64 bytes, u64 t)
{
	unsigned long irqflags;
	u64 done = t;

	spin_lock_irqsave(&tm->ssd_lock, irqflags);
	/* beyond the exported pages (a KV drive's hidden region): no time */
	if (ssd_submit_bytes(tm->ssd, op, pos, bytes, flags, t, &done))
		done = t;
	spin_unlock_irqrestore(&tm->ssd_lock, irqflags);
	return done;
}

/**
 * uringblk_ssd_late() - is a request's deadline asked for once it has run?
 * @tm:		the timing model, with an SSD model
 * @opf:	the request's operation
 *
 * A zoned model's writes and zone operations move its write pointers:
 * it sees only those the drive carried out (timing.c asks it when the
 * request has been executed), so that a write the drive refuses (an open
 * zone limit, an injected fault) does not move them.  Does not sleep.
 */
bool uringblk_ssd_late(struct uringblk_timing *tm, blk_opf_t opf)
{
	if (tm->ssd->cfg.mode != SSD_MODE_ZNS)
		return false;
	switch (opf & REQ_OP_MASK) {
	case REQ_OP_WRITE:
	case REQ_OP_WRITE_ZEROES:
	case REQ_OP_ZONE_APPEND:
	case REQ_OP_ZONE_RESET:
	case REQ_OP_ZONE_RESET_ALL:
	case REQ_OP_ZONE_FINISH:
		return true;
	default:
		return false;
	}
}

/**
 * uringblk_ssd_io() - the end of a block request's work in the SSD model
 * @tm:		the timing model, with an SSD model
 * @opf:	the request's operation and flags (REQ_FUA)
 * @pos:	its first byte (a zone operation's or append's: its zone's)
 * @bytes:	its length
 * @t:		its arrival
 *
 * READ and WRITE (REQ_FUA: on NAND before it ends) through the FTL, FLUSH
 * waits for the write buffer, DISCARD and WRITE_ZEROES deallocate (a
 * WRITE_ZEROES with REQ_NOUNMAP, or on a zoned drive, writes).  A zoned
 * model's ZONE_APPEND writes at its zone's write pointer, ZONE_RESET(_ALL)
 * erases, ZONE_FINISH programs the partial unit (ssd_zns.c).  Anything
 * else costs nothing.  Does not sleep.  Return: the modelled end.
 */
u64 uringblk_ssd_io(struct uringblk_timing *tm, blk_opf_t opf, u64 pos,
		    u64 bytes, u64 t)
{
	bool zoned = tm->ssd->cfg.mode == SSD_MODE_ZNS;

	switch (opf & REQ_OP_MASK) {
	case REQ_OP_READ:
		return tm_ssd_submit(tm, SSD_READ, 0, pos, bytes, t);
	case REQ_OP_WRITE:
		return tm_ssd_submit(tm, SSD_WRITE, opf & REQ_FUA ? SSD_REQ_FUA : 0,
				     pos, bytes, t);
	case REQ_OP_ZONE_APPEND:
		return tm_ssd_submit(tm, SSD_APPEND, opf & REQ_FUA ? SSD_REQ_FUA : 0,
				     pos, bytes, t);
	case REQ_OP_FLUSH:
		return tm_ssd_submit(tm, SSD_FLUSH, 0, 0, 0, t);
	case REQ_OP_WRITE_ZEROES:
		if ((opf & REQ_NOUNMAP) || zoned)
			return tm_ssd_submit(tm, SSD_WRITE, 0, pos, bytes, t);
		fallthrough;
	case REQ_OP_DISCARD:
	case REQ_OP_SECURE_ERASE:
		return tm_ssd_submit(tm, SSD_TRIM, 0, pos, bytes, t);
	case REQ_OP_ZONE_RESET:
		return tm_ssd_submit(tm, SSD_ZONE_RESET, 0, pos, 0, t);
	case REQ_OP_ZONE_RESET_ALL:
		return tm_ssd_submit(tm, SSD_ZONE_RESET, 0, 0,
				     tm->ssd->lpages << SSD_LPAGE_SHIFT, t);
	case REQ_OP_ZONE_FINISH:	/* @bytes: Select All's range (nvme_zns.c) */
		return tm_ssd_submit(tm, SSD_ZONE_FINISH, 0, pos, bytes, t);
	default:
		return t;
	}
}

/**
 * uringblk_ssd_run() - a program's run on the SSD model's controller
 * @tm:		the timing model, with an SSD model
 * @t:		when the run may start
 * @dur:	its modelled compute time
 *
 * With the model's ctrl_cores, the run takes a controller core as the
 * FTL's firmware does, so runs and I/O wait for each other
 * (ssd_ctrl_run()); without, it is a delay.  Does not sleep.
 * Return: its end.
 */
u64 uringblk_ssd_run(struct uringblk_timing *tm, u64 t, u64 dur)
{
	unsigned long irqflags;
	u64 end;

	if (!tm->ssd->cfg.ctrl_cores)	/* set at power-on: no lock needed */
		return t + dur;
	spin_lock_irqsave(&tm->ssd_lock, irqflags);
	end = ssd_ctrl_run(tm->ssd, t, dur);
	spin_unlock_irqrestore(&tm->ssd_lock, irqflags);
	return end;
}

/**
 * uringblk_timing_ssd_read() - a read inside the drive, in its SSD model
 * @dev:	the drive
 * @pos:	the first byte
 * @bytes:	the length
 * @t:		when it starts
 *
 * The NAND array's reads at its internal bandwidth, no host link: what a
 * program scans (exec_grant.c walks its extents), what a copy into SLM
 * reads.  Does not sleep.  Return: when the data is in the controller; @t
 * without an SSD model.
 */
u64 uringblk_timing_ssd_read(struct uringblk_dev *dev, u64 pos, u64 bytes, u64 t)
{
	if (!dev->timing || !dev->timing->ssd)
		return t;
	return tm_ssd_submit(dev->timing, SSD_READ, SSD_REQ_INTERNAL, pos, bytes, t);
}

/**
 * uringblk_ssd_wear() - what the NVMe logs report of a drive's SSD model
 * @dev:	the drive
 * @w:		filled when it has a model
 *
 * A snapshot under the model's lock, as sysfs ssd_stats reads it: the
 * bytes programmed to NAND with data (host pages and GC moves, not the pad
 * a FLUSH programs: the same pages as waf_x1000), Percentage Used from
 * the erases (ssd_percent_used()) and the Endurance Estimate from the
 * geometry (ssd_endurance_gb()).  Does not sleep; any context.
 *
 * Return: true with @w filled, false without an SSD model.
 */
bool uringblk_ssd_wear(struct uringblk_dev *dev, struct uringblk_ssd_wear *w)
{
	struct uringblk_timing *tm = dev->timing;
	unsigned long irqflags;

	if (!tm || !tm->ssd)
		return false;
	spin_lock_irqsave(&tm->ssd_lock, irqflags);
	w->nand_bytes_written = tm->ssd->cnt.nand_pages_written << SSD_LPAGE_SHIFT;
	w->percent_used = ssd_percent_used(tm->ssd->cnt.erases, ssd_blocks(tm->ssd),
					   tm->ssd->cfg.pe_cycles);
	w->endurance_gb = ssd_endurance_gb(ssd_blocks(tm->ssd) * tm->ssd->cfg.pages_per_block *
					   tm->ssd->cfg.page_size, tm->ssd->cfg.pe_cycles);
	spin_unlock_irqrestore(&tm->ssd_lock, irqflags);
	return true;
}

/* sysfs uringblk/ssd: the drive's SSD model, as configfs "ssd" shows it. */
static ssize_t ssd_show(struct device *d, struct device_attribute *attr,
			char *buf)
{
	struct uringblk_dev *dev = dev_to_disk(d)->private_data;

	return ssd_cfg_show(&dev->cfg.ssd, buf, PAGE_SIZE);
}

/*
 * The model's counters and its dies' busy times, summed and the largest,
 * under its lock (any context); false without a model.
 */
static bool ssd_snapshot(struct uringblk_dev *dev, struct ssd_counters *c,
			 u64 *busy_sum, u64 *busy_max)
{
	struct uringblk_timing *tm = dev->timing;
	unsigned long irqflags;
	u32 i;

	if (!tm || !tm->ssd)
		return false;
	*busy_sum = 0;
	*busy_max = 0;
	spin_lock_irqsave(&tm->ssd_lock, irqflags);
	*c = tm->ssd->cnt;
	for (i = 0; i < tm->ssd->ndies; i++) {
		*busy_sum += tm->ssd->die_busy_ns[i];
		*busy_max = max(*busy_max, tm->ssd->die_busy_ns[i]);
	}
	spin_unlock_irqrestore(&tm->ssd_lock, irqflags);
	return true;
}

/**
 * uringblk_ssd_stats() - the SSD model's counters, for GET_STATS and sysfs
 * @dev:	the drive
 * @out:	its ssd_* fields set; left alone without a model
 *
 * Any context (the model's spinlock).
 */
void uringblk_ssd_stats(struct uringblk_dev *dev, struct uringblk_stats *out)
{
	struct ssd_counters c;
	u64 die_busy_ns_sum, die_busy_ns_max;

	if (!ssd_snapshot(dev, &c, &die_busy_ns_sum, &die_busy_ns_max))
		return;
#define X(f) out->ssd_##f = c.f;
	URINGBLK_SSD_COUNTERS(X)
#undef X
	out->ssd_die_busy_ns_sum = die_busy_ns_sum;
	out->ssd_die_busy_ns_max = die_busy_ns_max;
}

/*
 * sysfs uringblk/ssd_stats: what the model has done, one "name value"
 * line each, then its WAF and shape; empty while the drive has no SSD
 * model.  The counters are also one file each (ssd_<name>, stats.c).
 */
static ssize_t ssd_stats_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	struct uringblk_dev *dev = dev_to_disk(d)->private_data;
	u64 busy_max, busy_sum;
	struct ssd_counters c;
	const struct ssd *ssd;
	int n = 0;

	if (!ssd_snapshot(dev, &c, &busy_sum, &busy_max))
		return 0;
	ssd = dev->timing->ssd;		/* its shape is fixed: no lock */
#define X(f) n += sysfs_emit_at(buf, n, #f " %llu\n", c.f);
	URINGBLK_SSD_COUNTERS(X)
#undef X
	n += sysfs_emit_at(buf, n, "waf_x1000 %llu\ndies %u\ndie_busy_ns_sum %llu\n"
			   "die_busy_ns_max %llu\nlines %u\nblocks_per_plane %u\n"
			   "exported_pages %llu\nstate_bytes %zu\n",
			   ssd_waf_x1000(&c), ssd->ndies, busy_sum, busy_max, ssd->nlines,
			   ssd->cfg.blocks_per_plane, ssd->lpages, ssd_state_bytes(&ssd->cfg));
	return n;
}

struct device_attribute uringblk_ssd_attr = __ATTR_RO(ssd);
struct device_attribute uringblk_ssd_stats_attr = __ATTR_RO(ssd_stats);
