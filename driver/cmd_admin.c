// SPDX-License-Identifier: GPL-2.0
/*
 * The admin command set: IDENTIFY (the drive's own fields; each command
 * set adds its share, cmd.h) and GET_STATS (counters and latency
 * histograms, stats.c).  The gate (cmd.c) has checked the payload.
 */
#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cmd.h"
#include "stats.h"
#include "uringblk.h"
#include "bio.h"

/*
 * IDENTIFY: the drive's own fields (geometry, queues, the timing model),
 * then every command set's (uringblk_cmd_identify_sets()).
 * dev->disk is there: the gate saw !dev->removing under dev->lock, and
 * removal puts the disk only after taking that lock for write.
 */
static int uringblk_cmd_identify(struct uringblk_dev *dev,
				 const struct uringblk_cmd *c,
				 struct io_uring_cmd *ioucmd)
{
	const struct uringblk_config *cfg = &dev->cfg;
	struct uringblk_identify id = {
		.abi_major		= URINGBLK_ABI_MAJOR,
		.abi_minor		= URINGBLK_ABI_MINOR,
		.dev_index		= dev->index,
		.features		= URINGBLK_F_FLUSH | URINGBLK_F_FUA |
					  URINGBLK_F_DISCARD |
					  URINGBLK_F_WRITE_ZEROES |
					  URINGBLK_F_STATS_RESET |
					  URINGBLK_F_LATENCY |
					  URINGBLK_F_STATUS,
		.capacity		= cfg->capacity,
		.logical_block_size	= cfg->block_size,
		.physical_block_size	= cfg->block_size,
		.nr_hw_queues		= cfg->nr_hw_queues + cfg->nr_poll_queues,
		.nr_poll_queues		= cfg->nr_poll_queues,
		.queue_depth		= cfg->queue_depth,
		.backing		= cfg->backing,
		.max_hw_sectors		= cfg->max_hw_sectors,
		.max_discard_sectors	= dev->disk->queue->limits.max_discard_sectors,
		.max_write_zeroes_sectors = dev->disk->queue->limits.max_write_zeroes_sectors,
		.max_reply_len		= URINGBLK_MAX_REPLY_LEN,
	};

	if (cfg->nr_poll_queues)
		id.features |= URINGBLK_F_POLL;
	if (cfg->queue_mode == URINGBLK_QUEUE_BIO) {
		/* No blk-mq queues, no tags (bio.c) */
		id.features |= URINGBLK_F_BIO;
		id.nr_hw_queues = 0;
		id.queue_depth = 0;
	}
	uringblk_timing_identify(dev, &id);
	/* programs, runs, zones, SLM: each set's own fields (cmd.h) */
	uringblk_cmd_identify_sets(dev, &id);
	strscpy_pad(id.model, "uringblk emulated CSD", sizeof(id.model));
	strscpy_pad(id.firmware_rev, URINGBLK_DRV_VERSION, sizeof(id.firmware_rev));
	BUILD_BUG_ON(sizeof(id) < URINGBLK_IDENTIFY_SIZE_VER0);
	return uringblk_put_reply(c, &id, sizeof(id), URINGBLK_IDENTIFY_SIZE_VER0);
}

static int uringblk_cmd_get_stats(struct uringblk_dev *dev,
				  const struct uringblk_cmd *c,
				  struct io_uring_cmd *ioucmd)
{
	struct uringblk_stats st;
	int ret;

	if ((c->flags & URINGBLK_STATS_F_RESET) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (c->flags & URINGBLK_STATS_F_LATENCY) {
		/* 3.8 KB: too big for the stack. */
		struct uringblk_latency_stats *lat = kmalloc(sizeof(*lat), GFP_KERNEL_ACCOUNT);

		BUILD_BUG_ON(sizeof(*lat) != 3808);
		BUILD_BUG_ON(sizeof(*lat) > URINGBLK_MAX_REPLY_LEN);
		BUILD_BUG_ON(sizeof(*lat) < URINGBLK_LATENCY_STATS_SIZE_VER0);
		if (!lat)
			return -ENOMEM;
		uringblk_lat_snapshot(dev, lat);
		ret = uringblk_put_reply(c, lat, sizeof(*lat),
					 URINGBLK_LATENCY_STATS_SIZE_VER0);
		kfree(lat);
	} else {
		BUILD_BUG_ON(sizeof(st) < URINGBLK_STATS_SIZE_VER0);
		uringblk_stats_snapshot(dev, &st);
		ret = uringblk_put_reply(c, &st, sizeof(st), URINGBLK_STATS_SIZE_VER0);
	}
	/* Reset only once the client has the numbers it is resetting. */
	if (ret >= 0 && (c->flags & URINGBLK_STATS_F_RESET))
		uringblk_stats_reset(dev);
	return ret;
}

static const struct uringblk_cmd_desc uringblk_admin_cmds[] = {
	{ URINGBLK_CMD_IDENTIFY,    0, 0,    false, false, uringblk_cmd_identify },
	{ URINGBLK_CMD_GET_STATS,   URINGBLK_STATS_F_RESET | URINGBLK_STATS_F_LATENCY, 0,
	  false, false, uringblk_cmd_get_stats },
};

const struct uringblk_cmd_set uringblk_cmd_set_admin = {
	.name		= "admin",
	.cmds		= uringblk_admin_cmds,
	.nr_cmds	= ARRAY_SIZE(uringblk_admin_cmds),
};
