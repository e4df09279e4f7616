// SPDX-License-Identifier: GPL-2.0
/*
 * The drives' configuration: the module parameters (the defaults of the
 * drives made at load and in configfs) and their checks at load, the
 * backends by name, and the check of a whole configuration before a drive
 * is made (main.c makes it, configfs.c gathers one).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "uringblk.h"
#include "bio.h"
#include "config.h"
#include "nvme_ctrl.h"
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

static char *g_ssd = "off";
module_param_named(ssd, g_ssd, charp, 0444);
MODULE_PARM_DESC(ssd, "SSD model of each device (NAND dies and channels, FTL, GC; Documentation/admin/timing-model.md): off, or a preset (970pro, pm9a3, zn540 for zoned=1, optane) and key=value pairs, e.g. \"pm9a3,op_bp=2800\". Needs queue_mode=mq or auto. Default: off");

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

/**
 * uringblk_config_validate() - check a configuration as a whole
 * @cfg:	the configuration, its queue mode resolved
 * @msg:	where to say which value is wrong and why (may be NULL)
 *
 * Runs before anything of the drive is allocated (uringblk_add()).
 * Return: 0 or -EINVAL.
 */
int uringblk_config_validate(const struct uringblk_config *cfg,
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
	ret = uringblk_ssd_validate(cfg, msg);
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
static struct ssd_cfg g_ssd_cfg;	/* g_ssd, parsed once at load */

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
		.ssd		= g_ssd_cfg,
	};
	strscpy(cfg->path, g_path, sizeof(cfg->path));
}

/**
 * uringblk_backend() - the backend a configuration names
 * @backing:	URINGBLK_BACKING_*, checked by uringblk_config_validate()
 */
const struct uringblk_backend_ops *uringblk_backend(u32 backing)
{
	return uringblk_backends[backing];
}

/* The block layer's I/O statistics of a new drive (queue/iostats). */
bool uringblk_config_iostats(void)
{
	return g_iostats;
}

/* The number of drives to make at load (nr_devices, checked at load). */
unsigned int uringblk_config_nr_devices(void)
{
	return g_nr_devices;
}

/**
 * uringblk_config_init() - check and parse the module parameters at load
 *
 * What uringblk_config_validate() cannot see in one drive's configuration:
 * the number of drives, the names parsed once, the sizes before they are
 * shifted into bytes.  Says why in the kernel log.
 * Return: 0 or a negative errno, which fails the load.
 */
int __init uringblk_config_init(void)
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
	/* 0 is for a file's size; uringblk_config_validate() checks the rest. */
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
	ret = uringblk_ssd_parse(g_ssd, &g_ssd_cfg, NULL);
	if (ret)
		return ret;
	if (strlen(g_path) >= URINGBLK_PATH_MAX) {
		pr_err("path: longer than %d bytes\n", URINGBLK_PATH_MAX - 1);
		return -ENAMETOOLONG;
	}
	return 0;
}
