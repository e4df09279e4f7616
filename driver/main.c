// SPDX-License-Identifier: GPL-2.0
/*
 * uringblk: an emulated computational storage drive.
 *
 * This file owns the module parameters and each device's lifetime (its
 * configuration checked; backend, block device, queues and command device
 * made and removed).  The request path is rq.c's, the commands cmd.c's
 * (and the command sets it names), the counters stats.c's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "uringblk.h"
#include "bio.h"
#include "nvme.h"
#include "nvme_ctrl.h"
#include "kv_ns.h"
#include "slm.h"

#define URINGBLK_MAX_HW_SECTORS	1024	/* 512 KiB per request */
#define URINGBLK_MAX_QUEUES	256
#define URINGBLK_MAX_DEPTH	4096
#define URINGBLK_MAX_CAPACITY_MB (64ULL << 20)	/* 64 TiB */

/* Module parameters: defaults for the devices created at load time. */
static unsigned int g_nr_devices = 1;
module_param_named(nr_devices, g_nr_devices, uint, 0444);
MODULE_PARM_DESC(nr_devices, "Number of devices created at load (0-64); more can be made in configfs. Default: 1");

static unsigned long long g_capacity_mb = 16384;
module_param_named(capacity_mb, g_capacity_mb, ullong, 0444);
MODULE_PARM_DESC(capacity_mb, "Capacity of each device in MiB; memory is only used for data written. Default: 16384 (16 GiB)");

static unsigned int g_block_size = 512;
module_param_named(block_size, g_block_size, uint, 0444);
MODULE_PARM_DESC(block_size, "Logical (and physical) block size in bytes: 512 or 4096. Default: 512");

/*
 * blk-mq's queue parameters: which of them insmod gave (URINGBLK_GIVEN_*,
 * bio.h) decides what queue_mode=auto makes, so their setter records it.
 */
static unsigned int g_nr_hw_queues;
static unsigned int g_queue_depth = 128;
static unsigned int g_poll_queues = 1;
static u32 g_given;

static int uringblk_queue_param_set(const char *val, const struct kernel_param *kp)
{
	int ret = param_set_uint(val, kp);

	if (ret)
		return ret;
	if (kp->arg == &g_nr_hw_queues)
		g_given |= URINGBLK_GIVEN_NR_HW_QUEUES;
	else if (kp->arg == &g_queue_depth)
		g_given |= URINGBLK_GIVEN_QUEUE_DEPTH;
	else
		g_given |= URINGBLK_GIVEN_POLL_QUEUES;
	return 0;
}

static const struct kernel_param_ops uringblk_queue_param_ops = {
	.set	= uringblk_queue_param_set,
	.get	= param_get_uint,
};
module_param_cb(nr_hw_queues, &uringblk_queue_param_ops, &g_nr_hw_queues, 0444);
MODULE_PARM_DESC(nr_hw_queues, "Submission hardware queues per device (1-256); 0 = one per online CPU; makes a queue_mode=auto drive blk-mq. Default: 0");
module_param_cb(queue_depth, &uringblk_queue_param_ops, &g_queue_depth, 0444);
MODULE_PARM_DESC(queue_depth, "Tags per hardware queue (1-4096); makes a queue_mode=auto drive blk-mq. Default: 128");
module_param_cb(poll_queues, &uringblk_queue_param_ops, &g_poll_queues, 0444);
MODULE_PARM_DESC(poll_queues, "Extra polled hardware queues for io_uring IOPOLL / fio --hipri (0-256); blk-mq only: above 0 makes a queue_mode=auto drive blk-mq. Default: 1 on a blk-mq drive, 0 on a bio drive");

static char *g_queue_mode = "auto";
module_param_named(queue_mode, g_queue_mode, charp, 0444);
MODULE_PARM_DESC(queue_mode, "\"auto\" (bio-based unless the drive needs blk-mq: zones, a timing model, file backing, poll queues or a queue geometry given), \"mq\" (blk-mq) or \"bio\" (bio-based, as brd: no zones, timing model or poll queues). Default: auto");

static bool g_iostats;
module_param_named(iostats, g_iostats, bool, 0444);
MODULE_PARM_DESC(iostats, "The block layer's I/O statistics (/sys/block/uringblkN/stat) on at creation; queue/iostats switches them per drive. Default: false, as brd");

static char *g_backing = "mem";
module_param_named(backing, g_backing, charp, 0444);
MODULE_PARM_DESC(backing, "Backing store: \"mem\" (sparse memory) or \"file\" (the file named by path). Default: mem");

static char *g_path = "";
module_param_named(path, g_path, charp, 0444);
MODULE_PARM_DESC(path, "Backing file (absolute path) for backing=file; with nr_devices=1 only: each device needs its own file");

static bool g_direct_io = true;
module_param_named(direct_io, g_direct_io, bool, 0444);
MODULE_PARM_DESC(direct_io, "backing=file: bypass the page cache when the file's filesystem allows it. Default: true");

static bool g_zoned;
module_param_named(zoned, g_zoned, bool, 0444);
MODULE_PARM_DESC(zoned, "Host-managed zoned drive (zone_* parameters). Default: false");

static unsigned int g_zone_size_mb = 256;
module_param_named(zone_size_mb, g_zone_size_mb, uint, 0444);
MODULE_PARM_DESC(zone_size_mb, "Zone size in MiB, a power of two. Default: 256");

static unsigned int g_zone_capacity_mb;
module_param_named(zone_capacity_mb, g_zone_capacity_mb, uint, 0444);
MODULE_PARM_DESC(zone_capacity_mb, "Writable MiB of a sequential zone (<= zone_size_mb); 0 = zone_size_mb. Default: 0");

static unsigned int g_zone_nr_conv;
module_param_named(zone_nr_conv, g_zone_nr_conv, uint, 0444);
MODULE_PARM_DESC(zone_nr_conv, "Conventional zones at the start of a zoned drive. Default: 0");

static unsigned int g_zone_max_open;
module_param_named(zone_max_open, g_zone_max_open, uint, 0444);
MODULE_PARM_DESC(zone_max_open, "Open zones allowed at once; 0 = no limit. Default: 0");

static unsigned int g_zone_max_active;
module_param_named(zone_max_active, g_zone_max_active, uint, 0444);
MODULE_PARM_DESC(zone_max_active, "Active (open or closed) zones allowed at once; 0 = no limit. Default: 0");

static bool g_kv;
module_param_named(kv, g_kv, bool, 0444);
MODULE_PARM_DESC(kv, "KV drives: the media holds a KV image, NSID 1 is an NVMe Key Value namespace, the block device is read-only (Documentation/dev/nvme-kv.md). Default: false");

static unsigned int g_nvme_ctrl;
module_param_named(nvme_ctrl, g_nvme_ctrl, uint, 0444);
MODULE_PARM_DESC(nvme_ctrl, "Controllers of Linux's NVMe driver per drive: 1 gives /dev/nvmeX, /dev/nvmeXnY, /dev/ngXnY; 2-" __stringify(URINGBLK_NVME_MAX_CTRLS) " make one multipath subsystem of that many (Documentation/dev/nvme-controller.md); needs a module built with nvme-core's header (tools/nvme-src). Default: 0");

static unsigned int g_kv_nvm_mb;
module_param_named(kv_nvm_mb, g_kv_nvm_mb, uint, 0444);
MODULE_PARM_DESC(kv_nvm_mb, "MiB after the capacity, hidden from the host, holding a KV image that the seed dialect (opcodes 81h-84h) reaches on the NVM namespace, NSID 1 (Documentation/dev/nvme-kv.md); not with kv or zoned. Default: 0 (none)");

static unsigned long long g_slm_size_mb = 256;
module_param_named(slm_size_mb, g_slm_size_mb, ullong, 0444);
MODULE_PARM_DESC(slm_size_mb, "Device memory (SLM) per drive in MiB, sparse (0 = no SLM). Default: 256");

static unsigned int g_max_execs = URINGBLK_DEFAULT_MAX_EXECS;
module_param_named(max_execs, g_max_execs, uint, 0444);
MODULE_PARM_DESC(max_execs, "EXECs and EXECUTEs in flight per drive, more are -EBUSY (1-4096). Default: 256");

static unsigned int g_max_execs_per_file = URINGBLK_DEFAULT_MAX_EXECS_PER_FILE;
module_param_named(max_execs_per_file, g_max_execs_per_file, uint, 0444);
MODULE_PARM_DESC(max_execs_per_file, "EXECs and EXECUTEs in flight per open command-device file, more are -EBUSY (1-4096). Default: 128");

static unsigned int g_max_cmd_kb = URINGBLK_DEFAULT_MAX_CMD_KB;
module_param_named(max_cmd_kb, g_max_cmd_kb, uint, 0444);
MODULE_PARM_DESC(max_cmd_kb, "Kernel memory per drive, KiB, that commands in flight hold for their data (bounce buffers, Compare, Copy, zone, KV and SLM buffers); one more is -EBUSY (1-4194304). Default: 65536");

static char *g_timing = "off";
module_param_named(timing, g_timing, charp, 0444);
MODULE_PARM_DESC(timing, "Timing model of each device: off, or presets and key=value pairs (Documentation/admin/timing-model.md), e.g. \"csd-gen3\" or \"pcie3x4,compute_units=2\". Default: off");

static int uringblk_major;
static DEFINE_IDA(uringblk_ida);
/* Protects uringblk_devs and serialises device creation and removal. */
static DEFINE_MUTEX(uringblk_devs_mutex);
static struct uringblk_dev *uringblk_devs[URINGBLK_MAX_DEVS];

static const struct uringblk_backend_ops *const uringblk_backends[] = {
	[URINGBLK_BACKING_MEM]	= &uringblk_mem_ops,
	[URINGBLK_BACKING_FILE]	= &uringblk_file_ops,
};

const char *uringblk_backing_name(u32 backing)
{
	if (backing < ARRAY_SIZE(uringblk_backends))
		return uringblk_backends[backing]->name;
	return "?";
}

/*
 * "mem" or "file" (a trailing newline is fine) -> URINGBLK_BACKING_*, or
 * -EINVAL, saying why in the kernel log and @msg (may be NULL).
 */
int uringblk_backing_parse(const char *name, struct uringblk_msg *msg)
{
	for (int i = 0; i < ARRAY_SIZE(uringblk_backends); i++)
		if (sysfs_streq(name, uringblk_backends[i]->name))
			return i;
	uringblk_msg(msg, "backing=\"%.*s\": unknown backing (available: mem, file)",
		     (int)min_t(size_t, strcspn(name, "\n"), 32), name);
	return -EINVAL;
}

/**
 * uringblk_msg() - explain why a configuration or device was refused
 * @msg: also keep the text here (configfs shows it as "error"); may be NULL
 * @fmt: the message, naming the value that is wrong and why
 *
 * The message always goes to the kernel log as well.
 */
void uringblk_msg(struct uringblk_msg *msg, const char *fmt, ...)
{
	char text[sizeof(msg->text)];
	va_list args;

	va_start(args, fmt);
	vsnprintf(text, sizeof(text), fmt, args);
	va_end(args);
	pr_err("%s\n", text);
	if (msg)
		strscpy(msg->text, text, sizeof(msg->text));
}

/*
 * Check a configuration as a whole before anything is allocated, and say
 * which value is wrong and why.
 */
static int uringblk_validate_config(const struct uringblk_config *cfg,
				    struct uringblk_msg *msg)
{
	const bool file = cfg->backing == URINGBLK_BACKING_FILE;
	int ret;

	if (cfg->block_size != 512 && cfg->block_size != 4096) {
		uringblk_msg(msg, "block_size=%u: must be 512 or 4096", cfg->block_size);
		return -EINVAL;
	}
	/*
	 * A file-backed device may take its size from the file, unless it has
	 * zones (uringblk_zone_validate() refuses that).
	 */
	if ((!cfg->capacity && !file) || cfg->capacity % cfg->block_size) {
		uringblk_msg(msg, "capacity=%llu bytes: must be a non-zero multiple of block_size=%u%s",
			     cfg->capacity, cfg->block_size,
			     file ? " (0, the file's size, only without zones)" : "");
		return -EINVAL;
	}
	if (cfg->capacity > (URINGBLK_MAX_CAPACITY_MB << 20)) {
		uringblk_msg(msg, "capacity=%llu bytes: larger than the %llu MiB limit",
			     cfg->capacity, URINGBLK_MAX_CAPACITY_MB);
		return -EINVAL;
	}
	if (!cfg->nr_hw_queues || cfg->nr_hw_queues > URINGBLK_MAX_QUEUES) {
		uringblk_msg(msg, "nr_hw_queues=%u: must be 1-%u", cfg->nr_hw_queues,
			     URINGBLK_MAX_QUEUES);
		return -EINVAL;
	}
	if (cfg->nr_poll_queues > URINGBLK_MAX_QUEUES) {
		uringblk_msg(msg, "poll_queues=%u: must be 0-%u", cfg->nr_poll_queues,
			     URINGBLK_MAX_QUEUES);
		return -EINVAL;
	}
	if (!cfg->queue_depth || cfg->queue_depth > URINGBLK_MAX_DEPTH) {
		uringblk_msg(msg, "queue_depth=%u: must be 1-%u", cfg->queue_depth,
			     URINGBLK_MAX_DEPTH);
		return -EINVAL;
	}
	if (cfg->backing >= ARRAY_SIZE(uringblk_backends)) {
		uringblk_msg(msg, "backing=%u: unknown backing", cfg->backing);
		return -EINVAL;
	}
	if (file && cfg->path[0] != '/') {
		uringblk_msg(msg, "path=\"%s\": backing=file needs the absolute path of the backing file",
			     cfg->path);
		return -EINVAL;
	}
	if (!file && cfg->path[0]) {
		uringblk_msg(msg, "path=%s: only backing=file uses a path (backing=%s)",
			     cfg->path, uringblk_backing_name(cfg->backing));
		return -EINVAL;
	}
	if (!IS_ALIGNED(cfg->slm_size, PAGE_SIZE) ||
	    cfg->slm_size > (URINGBLK_MAX_SLM_MB << 20)) {
		uringblk_msg(msg, "slm_size=%llu bytes: must be a multiple of %lu (the range set granularity) up to %llu MiB",
			     cfg->slm_size, PAGE_SIZE, URINGBLK_MAX_SLM_MB);
		return -EINVAL;
	}
	if (!cfg->max_execs || cfg->max_execs > URINGBLK_MAX_EXECS) {
		uringblk_msg(msg, "max_execs=%u: must be 1-%u", cfg->max_execs,
			     URINGBLK_MAX_EXECS);
		return -EINVAL;
	}
	if (!cfg->max_execs_per_file || cfg->max_execs_per_file > URINGBLK_MAX_EXECS) {
		uringblk_msg(msg, "max_execs_per_file=%u: must be 1-%u",
			     cfg->max_execs_per_file, URINGBLK_MAX_EXECS);
		return -EINVAL;
	}
	if (!cfg->max_cmd_kb || cfg->max_cmd_kb > URINGBLK_MAX_CMD_KB) {
		uringblk_msg(msg, "max_cmd_kb=%u: must be 1-%u", cfg->max_cmd_kb,
			     URINGBLK_MAX_CMD_KB);
		return -EINVAL;
	}
	/* the region follows the data, in the same backend (kv_ns.c) */
	if (cfg->kv_nvm_mb && cfg->kv) {
		uringblk_msg(msg, "kv_nvm_mb=%u with kv=1: a KV drive's whole media is its KV image already; kv_nvm_mb adds one to an NVM namespace",
			     cfg->kv_nvm_mb);
		return -EINVAL;
	}
	/* as with zones: the file's size cannot say where the data end */
	if (cfg->kv_nvm_mb && !cfg->capacity) {
		uringblk_msg(msg, "kv_nvm_mb=%u with capacity_mb=0: give the capacity the host sees; the file's size cannot say where the data end and the KV region begins",
			     cfg->kv_nvm_mb);
		return -EINVAL;
	}
	if (cfg->kv_nvm_mb > URINGBLK_MAX_CAPACITY_MB - (cfg->capacity >> 20)) {
		uringblk_msg(msg, "kv_nvm_mb=%u: the capacity (%llu MiB) and the KV region together exceed the %llu MiB limit",
			     cfg->kv_nvm_mb, cfg->capacity >> 20, URINGBLK_MAX_CAPACITY_MB);
		return -EINVAL;
	}
	ret = uringblk_nvme_ctrl_validate(cfg, msg);
	if (ret)
		return ret;
	ret = uringblk_timing_validate(&cfg->timing, msg);
	if (ret)
		return ret;
	ret = uringblk_queue_mode_validate(cfg, msg);
	if (ret)
		return ret;
	return uringblk_zone_validate(cfg, msg);
}

static u32 g_backing_id;	/* g_backing, parsed once at load */
static u32 g_queue_mode_id;	/* g_queue_mode, parsed once at load */
static struct uringblk_timing_cfg g_timing_cfg;	/* g_timing, parsed once at load */

/**
 * uringblk_param_set_uint_max() - set a uint module parameter, at most @max
 * @val:	the text written (insmod or sysfs)
 * @kp:		the parameter; kp->arg points to its unsigned int
 * @max:	the largest value taken
 * @why:	why there is a limit, for the kernel log
 *
 * For parameters writable at run time that trade latency for throughput:
 * a larger value is -ERANGE (insmod fails, a sysfs write fails) and the
 * value stays as it was.  Does not sleep.
 */
int uringblk_param_set_uint_max(const char *val, const struct kernel_param *kp,
				unsigned int max, const char *why)
{
	unsigned int v;
	int ret = kstrtouint(val, 0, &v);

	if (ret)
		return ret;
	if (v > max) {
		pr_warn("%s=%u: at most %u (%s)\n", kp->name, v, max, why);
		return -ERANGE;
	}
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	return 0;
}

/**
 * uringblk_default_config() - the configuration the module parameters describe
 * @cfg: filled in; validated later, by uringblk_add()
 */
void uringblk_default_config(struct uringblk_config *cfg)
{
	*cfg = (struct uringblk_config) {
		.capacity	= g_capacity_mb << 20,	/* range-checked at load */
		.block_size	= g_block_size,
		.nr_hw_queues	= g_nr_hw_queues ?: num_online_cpus(),
		/* 0 on a bio drive unless given: uringblk_queue_mode_resolve() */
		.nr_poll_queues	= g_poll_queues,
		.queue_depth	= g_queue_depth,
		.queue_mode	= g_queue_mode_id,
		.given		= g_given,
		.backing	= g_backing_id,
		.max_hw_sectors	= URINGBLK_MAX_HW_SECTORS,
		.zoned		= g_zoned,
		.zone_size_mb	= g_zone_size_mb,
		.zone_capacity_mb = g_zone_capacity_mb,
		.zone_nr_conv	= g_zone_nr_conv,
		.zone_max_open	= g_zone_max_open,
		.zone_max_active = g_zone_max_active,
		.direct_io	= g_direct_io,
		.kv		= g_kv,
		.nvme_ctrl	= g_nvme_ctrl,
		.kv_nvm_mb	= g_kv_nvm_mb,
		.slm_size	= g_slm_size_mb << 20,	/* range-checked at load */
		.max_execs	= g_max_execs,
		.max_execs_per_file = g_max_execs_per_file,
		.max_cmd_kb	= g_max_cmd_kb,
		.timing		= g_timing_cfg,
	};
	strscpy(cfg->path, g_path, sizeof(cfg->path));
}

static void uringblk_dev_release(struct kref *ref)
{
	struct uringblk_dev *dev = container_of(ref, struct uringblk_dev, ref);

	uringblk_fault_free(dev);
	uringblk_timing_free(dev);
	uringblk_stats_free(dev);
	kfree(dev->kv);		/* closed at removal (kv_ns.c) */
	kfree(dev);
}

void uringblk_dev_put(struct uringblk_dev *dev)
{
	kref_put(&dev->ref, uringblk_dev_release);
}

/*
 * A KV drive's media is its KV image, written only by the engine (kv_ns.c):
 * the block device opens read-only, so the image can be read (copied out
 * for kv fsck) but not damaged under the engine.
 */
static int uringblk_disk_open(struct gendisk *disk, bool write)
{
	struct uringblk_dev *dev = disk->private_data;

	return dev->cfg.kv && write ? -EROFS : 0;
}
URINGBLK_BDEV_OPEN(uringblk_bdev_open, uringblk_disk_open)	/* compat.h */

static const struct block_device_operations uringblk_bdev_ops = {
	.owner		= THIS_MODULE,
	.open		= uringblk_bdev_open,
	.report_zones	= uringblk_report_zones,
};

/* queue_mode=bio (bio.c): no zones, so no report_zones. */
static const struct block_device_operations uringblk_bio_bdev_ops = {
	.owner		= THIS_MODULE,
	.open		= uringblk_bdev_open,	/* a KV drive's media is read-only */
	.submit_bio	= uringblk_submit_bio,
};

static bool uringblk_is_bio(const struct uringblk_dev *dev)
{
	return dev->cfg.queue_mode == URINGBLK_QUEUE_BIO;
}

/*
 * The queue's limits and features (compat_blk.c applies them on each
 * kernel): a volatile write cache with FUA, so flush and FUA reach the
 * driver; not rotational, no entropy.  May sleep.  Return: 0 or -errno.
 */
static int uringblk_set_limits(struct uringblk_dev *dev)
{
	u32 bs = dev->cfg.block_size;
	const struct uringblk_limits l = {
		.block_size		= bs,
		.max_hw_sectors		= dev->cfg.max_hw_sectors,
		/*
		 * Whole blocks only: blk-lib splits discards and write-zeroes
		 * at these limits, and a split inside a block would hand us a
		 * partial block.
		 */
		.max_discard_sectors	= round_down(UINT_MAX >> SECTOR_SHIFT,
						     bs >> SECTOR_SHIFT),
		.max_write_zeroes_sectors = round_down(UINT_MAX >> SECTOR_SHIFT,
						       bs >> SECTOR_SHIFT),
		/*
		 * The block layer's I/O statistics cost a timestamp and
		 * shared per-partition counters per request; brd, bio-based,
		 * has none by default.  The driver's own counters (stats.c)
		 * stay on.  A bio drive accounts only when they are on
		 * (bio.c); REQ_NOWAIT bios are welcome on it, as on every
		 * blk-mq queue (bio.c never sleeps for them).
		 */
		.iostats		= g_iostats,
		.bio_based		= uringblk_is_bio(dev),
	};

	return uringblk_set_queue_limits(dev->disk, &l);
}

/*
 * The last flush of a device that no longer takes I/O: for a persistent
 * backend the data, then, for a file-backed zoned device, the zones, saved
 * marked clean, but only if the data made it: a saved write pointer must
 * never cover data that are not durable.  A failure is reported, naming
 * the device; the next load then finds the zones of the last good save.
 * Fault injection can fail it as it fails flush requests (fault.c).
 * Touches neither the gendisk nor the queue (both may be gone).  May sleep.
 */
static void uringblk_final_flush(struct uringblk_dev *dev)
{
	int ret;

	if (!dev->ops->persistent)
		return;
	ret = uringblk_fault_final_flush(dev) ?: dev->ops->flush(dev);
	if (ret)
		pr_err("%s: final flush of the backing file failed: %d; writes since the last successful flush may be lost%s\n",
		       dev->name, ret, uringblk_zmeta_unsaved(dev));
	uringblk_zmeta_close(dev, !ret);
}

/**
 * uringblk_add() - validate a configuration and create a device from it
 * @cfg: the configuration; copied, its queue_mode resolved in the copy
 * @msg: why it was refused, if it was (also in the kernel log); may be NULL
 *
 * Context: process context, takes uringblk_devs_mutex.  May sleep.
 * Return: the device, or an ERR_PTR; nothing is left behind on failure.
 */
struct uringblk_dev *uringblk_add(const struct uringblk_config *cfg,
				  struct uringblk_msg *msg)
{
	struct uringblk_dev *dev;
	struct gendisk *disk;
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	/* queue_mode=auto becomes mq or bio before the checks (bio.c) */
	dev->cfg = *cfg;
	uringblk_queue_mode_resolve(&dev->cfg);
	ret = uringblk_validate_config(&dev->cfg, msg);
	if (ret) {
		kfree(dev);
		return ERR_PTR(ret);
	}
	cfg = &dev->cfg;	/* the resolved one, from here on */
	kref_init(&dev->ref);
	init_rwsem(&dev->lock);
	init_waitqueue_head(&dev->removal_wq);
	ret = uringblk_prog_dev_init(dev);
	if (ret) {
		kfree(dev);
		return ERR_PTR(ret);
	}
	dev->ops = uringblk_backends[cfg->backing];

	ret = uringblk_stats_alloc(dev);
	if (ret)
		goto out_free_dev;
	ret = uringblk_slm_dev_init(dev);
	if (ret)
		goto out_free_stats;
	ret = uringblk_timing_dev_init(dev);
	if (ret)
		goto out_exit_slm;

	ret = ida_alloc_max(&uringblk_ida, URINGBLK_MAX_DEVS - 1, GFP_KERNEL);
	if (ret < 0) {
		pr_err("no free device index (at most %d devices)\n", URINGBLK_MAX_DEVS);
		goto out_exit_timing;
	}
	dev->index = ret;
	snprintf(dev->name, sizeof(dev->name), URINGBLK_BLKDEV_NAME "%d", dev->index);

	ret = dev->ops->init(dev, msg);
	if (ret)
		goto out_free_index;

	dev->inline_ops = dev->ops->inline_ops;	/* the zones add theirs */
	dev->mem_bio = uringblk_is_bio(dev) && dev->ops == &uringblk_mem_ops;
	ret = uringblk_zone_init(dev);
	if (ret)
		goto out_exit_backend;
	ret = uringblk_zmeta_load(dev, msg);
	if (ret)
		goto out_exit_zones;

	/*
	 * MEM_RECLAIM: writeback may depend on it to make progress.  UNBOUND:
	 * a request runs on whichever CPU is free, not queued behind its
	 * submitter on the same CPU (2.5x the IOPS of a bound queue for the
	 * file backend on 2 vCPUs, tools/bench/file); loop's queue is unbound too.
	 */
	dev->wq = alloc_workqueue(URINGBLK_BLKDEV_NAME "%d",
				  WQ_MEM_RECLAIM | WQ_HIGHPRI | WQ_UNBOUND,
				  0, dev->index);
	if (!dev->wq) {
		ret = -ENOMEM;
		goto out_exit_zones;
	}

	if (uringblk_is_bio(dev)) {
		disk = uringblk_alloc_disk(NULL, NULL);	/* no tag set */
		if (IS_ERR(disk)) {
			ret = PTR_ERR(disk);
			goto out_destroy_wq;
		}
	} else {
		ret = uringblk_init_tag_set(dev);
		if (ret)
			goto out_destroy_wq;
		disk = uringblk_alloc_disk(&dev->tag_set, dev);
	}
	if (IS_ERR(disk)) {
		ret = PTR_ERR(disk);
		goto out_free_tag_set;
	}
	dev->disk = disk;	/* set only once it exists: never an ERR_PTR */
	dev->disk->major = uringblk_major;
	dev->disk->first_minor = dev->index;
	dev->disk->minors = 1;
	dev->disk->fops = uringblk_is_bio(dev) ? &uringblk_bio_bdev_ops
					       : &uringblk_bdev_ops;
	dev->disk->private_data = dev;
	strscpy(dev->disk->disk_name, dev->name, DISK_NAME_LEN);
	set_capacity(dev->disk, dev->cfg.capacity >> SECTOR_SHIFT);
	ret = uringblk_set_limits(dev);
	if (ret)
		goto out_put_disk;
	ret = uringblk_zone_register(dev);
	if (ret)
		goto out_put_disk;

	ret = device_add_disk(NULL, dev->disk, uringblk_disk_groups);
	if (ret)
		goto out_put_disk;
	/* Its media I/O goes through the disk: once it is up */
	ret = uringblk_kv_dev_init(dev, msg);
	if (ret)
		goto out_del_disk;

	ret = uringblk_cmd_add(dev);
	if (ret)
		goto out_exit_kv;

	mutex_lock(&uringblk_devs_mutex);
	uringblk_devs[dev->index] = dev;
	mutex_unlock(&uringblk_devs_mutex);

	if (uringblk_is_bio(dev))
		pr_info("%s: %llu bytes, %u B blocks, bio-based, %s backing%s%s\n",
			dev->name, dev->cfg.capacity, dev->cfg.block_size,
			dev->ops->name, dev->cfg.path[0] ? " " : "", dev->cfg.path);
	else
		pr_info("%s: %llu bytes, %u B blocks, %u+%u queues x %u, %s backing%s%s\n",
			dev->name, dev->cfg.capacity, dev->cfg.block_size,
			dev->cfg.nr_hw_queues, dev->cfg.nr_poll_queues,
			dev->cfg.queue_depth, dev->ops->name,
			dev->cfg.path[0] ? " " : "", dev->cfg.path);
	/* The controller last: nvme-core scans it through the working drive. */
	if (cfg->nvme_ctrl) {
		ret = uringblk_nvme_ctrl_add(dev, msg);
		if (ret) {
			uringblk_remove(dev);	/* refused: no drive, as any config */
			return ERR_PTR(ret);
		}
	}
	return dev;

out_exit_kv:
	uringblk_kv_dev_exit(dev);
out_del_disk:
	del_gendisk(dev->disk);
out_put_disk:
	put_disk(dev->disk);
	dev->disk = NULL;
out_free_tag_set:
	if (!uringblk_is_bio(dev))
		blk_mq_free_tag_set(&dev->tag_set);
	kfree(dev->queues);
out_destroy_wq:
	destroy_workqueue(dev->wq);
out_exit_zones:
	uringblk_final_flush(dev);
	uringblk_zone_exit(dev);
out_exit_backend:
	dev->ops->exit(dev);
out_free_index:
	ida_free(&uringblk_ida, dev->index);
out_exit_timing:
	uringblk_timing_dev_exit(dev);
	uringblk_timing_free(dev);
out_exit_slm:
	uringblk_slm_dev_exit(dev);
out_free_stats:
	uringblk_stats_free(dev);
out_free_dev:
	uringblk_fault_free(dev);	/* knobs written while the disk was up */
	uringblk_prog_dev_exit(dev);
	kfree(dev->kv);
	kfree(dev);
	return ERR_PTR(ret);
}

/*
 * A removal ends every wait at once, whatever made it wait: the timing
 * model's deadlines and compute units (timing.c drains them: held
 * requests end with -ENODEV, deferred commands complete, queued runs
 * start and find the drive removing) and fault.c's injected delays
 * (they sleep on @dev->removal_wq and end their request with -ENODEV
 * unexecuted).  Anything that starts to wait afterwards sees @removing
 * (or the model draining) and does not.  Before del_gendisk(), which
 * would otherwise wait for them.  Context: @dev->removing set.  May sleep.
 */
static void uringblk_end_waits(struct uringblk_dev *dev)
{
	wake_up_all(&dev->removal_wq);
	uringblk_timing_drain(dev);
}

/*
 * Tear a device down.  The command device goes first, so no new command
 * can start; del_gendisk() then drains the queue.  Files still open on the
 * command device keep the struct alive and get -ENODEV; running EXECs hold
 * their own reference and stop at their next reschedule point (prog.c).
 * Nothing after put_disk() reaches the gendisk: messages use dev->name.
 * Context: process context, uringblk_devs_mutex held.  May sleep.
 */
static void uringblk_del(struct uringblk_dev *dev)
{
	lockdep_assert_held(&uringblk_devs_mutex);

	/* First: the controller's namespaces drain through a working drive. */
	uringblk_nvme_ctrl_del(dev);
	WRITE_ONCE(dev->removing, true);
	/* Wait for commands that started before they could see removing. */
	down_write(&dev->lock);
	up_write(&dev->lock);
	uringblk_devs[dev->index] = NULL;
	uringblk_end_waits(dev);
	uringblk_prog_dev_exit(dev);
	uringblk_nvme_cp_dev_exit(dev);	/* programs loaded in pieces */
	uringblk_cmd_del(dev);
	uringblk_kv_dev_exit(dev);	/* no KV call runs: dev->lock above */
	del_gendisk(dev->disk);		/* drains requests, workqueue ones too */
	uringblk_timing_dev_exit(dev);
	put_disk(dev->disk);
	dev->disk = NULL;
	if (!uringblk_is_bio(dev))
		blk_mq_free_tag_set(&dev->tag_set);
	kfree(dev->queues);
	destroy_workqueue(dev->wq);
	/* Nothing written is lost on a clean removal. */
	uringblk_final_flush(dev);
	uringblk_zone_exit(dev);
	dev->ops->exit(dev);
	/* After del_gendisk(): the sysfs stats files read slm_bytes. */
	uringblk_slm_dev_exit(dev);
	ida_free(&uringblk_ida, dev->index);
	uringblk_dev_put(dev);
}

/**
 * uringblk_remove() - remove a device made by uringblk_add()
 * @dev: the device; its list reference is dropped
 *
 * Context: process context, takes uringblk_devs_mutex.  May sleep.
 */
void uringblk_remove(struct uringblk_dev *dev)
{
	mutex_lock(&uringblk_devs_mutex);
	uringblk_del(dev);
	mutex_unlock(&uringblk_devs_mutex);
}

/**
 * uringblk_walk_devs() - call @fn for every drive, in index order
 * @fn:		stops the walk by returning non-zero
 * @arg:	passed to @fn
 *
 * Context: takes uringblk_devs_mutex, so @fn may sleep and no drive comes
 * or goes meanwhile.  Return: what @fn returned last.
 */
int uringblk_walk_devs(int (*fn)(struct uringblk_dev *dev, void *arg),
		       void *arg)
{
	int ret = 0;

	mutex_lock(&uringblk_devs_mutex);
	for (int i = 0; i < URINGBLK_MAX_DEVS && !ret; i++)
		if (uringblk_devs[i])
			ret = fn(uringblk_devs[i], arg);
	mutex_unlock(&uringblk_devs_mutex);
	return ret;
}

static void uringblk_del_all(void)
{
	mutex_lock(&uringblk_devs_mutex);
	for (int i = 0; i < URINGBLK_MAX_DEVS; i++)
		if (uringblk_devs[i])
			uringblk_del(uringblk_devs[i]);
	mutex_unlock(&uringblk_devs_mutex);
}

/* The nr_devices devices the module parameters describe. */
static int __init uringblk_add_param_devices(void)
{
	struct uringblk_config *cfg;
	int ret = 0;

	cfg = kmalloc(sizeof(*cfg), GFP_KERNEL);	/* too big for the stack */
	if (!cfg)
		return -ENOMEM;
	uringblk_default_config(cfg);
	for (unsigned int i = 0; i < g_nr_devices && !ret; i++)
		ret = PTR_ERR_OR_ZERO(uringblk_add(cfg, NULL));
	kfree(cfg);
	return ret;
}

static int __init uringblk_init(void)
{
	int ret;

	if (g_nr_devices > URINGBLK_MAX_DEVS) {
		pr_err("nr_devices=%u: must be 0-%d\n", g_nr_devices, URINGBLK_MAX_DEVS);
		return -EINVAL;
	}
	ret = uringblk_backing_parse(g_backing, NULL);
	if (ret < 0)
		return ret;
	g_backing_id = ret;
	ret = uringblk_queue_mode_parse(g_queue_mode, NULL);
	if (ret < 0)
		return ret;
	g_queue_mode_id = ret;
	/* 0 is for a file's size; validate_config() checks the rest. */
	if ((!g_capacity_mb && g_backing_id != URINGBLK_BACKING_FILE) ||
	    g_capacity_mb > URINGBLK_MAX_CAPACITY_MB) {
		pr_err("capacity_mb=%llu: must be 1-%llu (0 = the file's size, with backing=file)\n",
		       g_capacity_mb, URINGBLK_MAX_CAPACITY_MB);
		return -EINVAL;
	}
	if (g_backing_id == URINGBLK_BACKING_FILE && g_nr_devices > 1) {
		pr_err("backing=file with nr_devices=%u: each device needs its own file; make the others in configfs\n",
		       g_nr_devices);
		return -EINVAL;
	}
	if (g_slm_size_mb > URINGBLK_MAX_SLM_MB) {
		pr_err("slm_size_mb=%llu: must be 0-%llu\n", g_slm_size_mb,
		       URINGBLK_MAX_SLM_MB);
		return -EINVAL;
	}
	ret = uringblk_timing_parse(g_timing, &g_timing_cfg, NULL);
	if (ret)
		return ret;	/* the parser said why */
	if (strlen(g_path) >= URINGBLK_PATH_MAX) {
		pr_err("path: longer than %d bytes\n", URINGBLK_PATH_MAX - 1);
		return -ENAMETOOLONG;
	}

	/* Never fails: without it programs run in the interpreter only. */
	uringblk_kbpf_init();

	ret = register_blkdev(0, URINGBLK_BLKDEV_NAME);
	if (ret < 0)
		return ret;
	uringblk_major = ret;

	ret = uringblk_exec_init();
	if (ret)
		goto out_unregister_blkdev;

	ret = uringblk_slm_init();
	if (ret)
		goto out_exec_exit;

	ret = uringblk_cmd_init();
	if (ret)
		goto out_slm_exit;
	/* An NVMe Write answers a failed zone write's own status (nvme_map.c). */
	uringblk_zone_set_status_note(uringblk_nvme_bio_note);

	ret = uringblk_add_param_devices();
	if (ret)
		goto out_del_all;

	ret = uringblk_configfs_init();
	if (ret)
		goto out_del_all;
	uringblk_debugfs_init();

	pr_info("loaded, ABI %d.%d, version " URINGBLK_DRV_VERSION ", NVMe controller "
		URINGBLK_NVME_CTRL_BUILD "\n", URINGBLK_ABI_MAJOR, URINGBLK_ABI_MINOR);
	return 0;

out_del_all:
	uringblk_del_all();
	uringblk_cmd_exit();
out_slm_exit:
	uringblk_slm_exit();
out_exec_exit:
	uringblk_exec_exit();
out_unregister_blkdev:
	unregister_blkdev(uringblk_major, URINGBLK_BLKDEV_NAME);
	rcu_barrier();	/* mem.c frees pages with call_rcu() */
	return ret;
}

/* Runs only when no file of ours is open: every fops has .owner set. */
static void __exit uringblk_exit(void)
{
	uringblk_debugfs_exit();
	/* configfs items pin the module, so none is left by now. */
	uringblk_configfs_exit();
	uringblk_del_all();
	uringblk_nvme_ctrl_exit();
	uringblk_cmd_exit();
	uringblk_slm_exit();
	uringblk_exec_exit();
	unregister_blkdev(uringblk_major, URINGBLK_BLKDEV_NAME);
	/* Wait for mem.c's call_rcu() page frees: their code is in this module. */
	rcu_barrier();
	ida_destroy(&uringblk_ida);
	pr_info("unloaded\n");
}

module_init(uringblk_init);
module_exit(uringblk_exit);
MODULE_AUTHOR("uringblk developers");
MODULE_DESCRIPTION("uringblk: emulated computational storage drive (blk-mq + io_uring commands)");
MODULE_LICENSE("GPL");
MODULE_VERSION(URINGBLK_DRV_VERSION);
