// SPDX-License-Identifier: GPL-2.0
/*
 * uringblk: an emulated computational storage drive.
 *
 * This file owns the module's load and unload and each device's lifetime
 * (its configuration checked; backend, block device, queues and command
 * device made and removed).  The module parameters and the configuration's
 * checks are config.c's, the request path rq.c's, the commands cmd.c's
 * (and the command sets it names), the counters stats.c's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "stats.h"
#include "uringblk.h"
#include "bio.h"
#include "config.h"
#include "nvme.h"
#include "nvme_ctrl.h"
#include "kv_ns.h"
#include "slm.h"

static int uringblk_major;
static DEFINE_IDA(uringblk_ida);
/* Protects uringblk_devs and serialises device creation and removal. */
static DEFINE_MUTEX(uringblk_devs_mutex);
static struct uringblk_dev *uringblk_devs[URINGBLK_MAX_DEVS];

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
		.iostats		= uringblk_config_iostats(),
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
	ret = uringblk_config_validate(&dev->cfg, msg);
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
	dev->ops = uringblk_backend(cfg->backing);

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
	/* fitted to the capacity, which a file's size may have set */
	ret = uringblk_ssd_dev_init(dev, msg);
	if (ret)
		goto out_exit_backend;

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
	u64 seed;

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
	/*
	 * A power cut is a surprise removal: del_gendisk() would first sync a
	 * file system mounted on the drive, writing and flushing through it
	 * what the cut is to lose.  A dead disk fails that I/O instead.
	 */
	if (uringblk_fault_power_cut(dev, &seed))
		blk_mark_disk_dead(dev->disk);
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
	for (unsigned int i = 0; i < uringblk_config_nr_devices() && !ret; i++)
		ret = PTR_ERR_OR_ZERO(uringblk_add(cfg, NULL));
	kfree(cfg);
	return ret;
}

static int __init uringblk_init(void)
{
	int ret;

	ret = uringblk_config_init();
	if (ret)
		return ret;

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
