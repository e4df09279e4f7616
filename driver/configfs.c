// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime device creation and removal through configfs, as null_blk does:
 *
 *   mkdir /sys/kernel/config/uringblk/foo       # a config, defaults from modparams
 *   echo 4096 > /sys/kernel/config/uringblk/foo/block_size
 *   echo 1 > /sys/kernel/config/uringblk/foo/power   # create /dev/uringblkN
 *   cat /sys/kernel/config/uringblk/foo/index        # N
 *   echo 0 > /sys/kernel/config/uringblk/foo/power   # remove it
 *   rmdir /sys/kernel/config/uringblk/foo
 *
 * A file-backed drive: echo file > backing; echo /var/tmp/disk.img > path.
 * A drive is bio-based (bio.c) unless it needs blk-mq (queue_mode "auto",
 * the default: bio.c, uringblk_queue_mode_auto()); echo mq > queue_mode
 * or echo bio > queue_mode chooses.  Once powered, queue_mode shows what
 * the drive is, mq or bio, and the queue attributes what it has.
 * A modelled drive: echo csd-gen3 > timing (timing_cfg.c), or one
 * parameter at a time (echo 200 > link_mbps).
 *
 * Each value is checked as it is written and the configuration as a whole
 * when power goes to 1; whatever is refused, "error" (and the kernel log)
 * says which value is wrong and why, and a write that is accepted clears
 * it.  A powered device refuses changes with -EBUSY.  Every item pins the
 * module (ct_owner), so the module cannot be unloaded while a configfs
 * directory exists.
 */
#include <linux/configfs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "nvme_ctrl.h"
#include "uringblk.h"
#include "bio.h"
#include "config.h"

/*
 * Serialises all stores to all items, so a power transition never races a
 * configuration change.  Lock order: uringblk_cfs_mutex -> uringblk_devs_mutex.
 */
static DEFINE_MUTEX(uringblk_cfs_mutex);

struct uringblk_cfs_item {
	struct config_item	item;
	struct uringblk_config	cfg;	/* applied at the next power-on */
	struct uringblk_dev	*dev;	/* non-NULL while powered */
	/* why the last write or power-on was refused, or ""; uringblk_cfs_mutex */
	struct uringblk_msg	error;
};

static struct uringblk_cfs_item *to_cfs(struct config_item *item)
{
	return container_of(item, struct uringblk_cfs_item, item);
}

/*
 * Every write says how it went in "error": a refused one why (the
 * attribute, the value and what is wrong with it; also in the kernel
 * log), an accepted one clears it.  So "error" always explains the last
 * write to the item, or its last power-on, never an older refusal.
 */

/*
 * Start a write to @item: takes uringblk_cfs_mutex, which the whole write
 * holds (it protects the configuration and "error").  Return: the item.
 */
static struct uringblk_cfs_item *uringblk_cfs_lock(struct config_item *item)
	__acquires(&uringblk_cfs_mutex)
{
	mutex_lock(&uringblk_cfs_mutex);
	/* for sparse: mutex_lock() is not annotated, the helper's callers are */
	__acquire(&uringblk_cfs_mutex);
	return to_cfs(item);
}

/*
 * Finish a write: @ret < 0 refused it (the refusal has said why in
 * "error"), else clear "error".  Drops uringblk_cfs_mutex.  Return: what
 * the store returns.
 */
static ssize_t uringblk_cfs_unlock(struct uringblk_cfs_item *c, int ret,
				   size_t count)
	__releases(&uringblk_cfs_mutex)
{
	lockdep_assert_held(&uringblk_cfs_mutex);
	if (!ret)
		c->error.text[0] = '\0';
	__release(&uringblk_cfs_mutex);
	mutex_unlock(&uringblk_cfs_mutex);
	return ret ?: count;
}

/* How much of the value written messages show: its first line, at most 32 bytes. */
static int uringblk_cfs_val_len(const char *page)
{
	return min_t(size_t, strcspn(page, "\n"), 32);
}

/*
 * May @attr change?  A powered device refuses with -EBUSY, saying so.
 * Context: uringblk_cfs_mutex held.
 */
static int uringblk_cfs_may_change(struct uringblk_cfs_item *c, const char *attr)
{
	lockdep_assert_held(&uringblk_cfs_mutex);
	if (!c->dev)
		return 0;
	uringblk_msg(&c->error, "%s: %s is powered on: write 0 to power before changing its configuration",
		     attr, config_item_name(&c->item));
	return -EBUSY;
}

/*
 * Parse @page, written to @attr, as a number of at most @max (ranges are
 * checked at power-on); a refusal says why in "error".
 * Context: uringblk_cfs_mutex held.  Return: 0, -EINVAL (not a number),
 * -ERANGE (above @max).
 */
static int uringblk_cfs_parse(struct uringblk_cfs_item *c, const char *attr,
			      const char *page, u64 max, u64 *val)
{
	int ret = kstrtou64(page, 0, val);

	lockdep_assert_held(&uringblk_cfs_mutex);
	if (ret == -ERANGE || (!ret && *val > max)) {
		uringblk_msg(&c->error, "%s: '%.*s' is out of range: at most %llu",
			     attr, uringblk_cfs_val_len(page), page, max);
		return -ERANGE;
	}
	if (ret) {
		uringblk_msg(&c->error, "%s: '%.*s' is not a number%s", attr,
			     uringblk_cfs_val_len(page), page, page[0] == '-' ? " >= 0" : "");
		return -EINVAL;
	}
	return 0;
}

/* A boolean written to @attr (1/0, y/n, on/off); as uringblk_cfs_parse(). */
static int uringblk_cfs_parse_bool(struct uringblk_cfs_item *c, const char *attr,
				   const char *page, bool *val)
{
	lockdep_assert_held(&uringblk_cfs_mutex);
	if (!kstrtobool(page, val))
		return 0;
	uringblk_msg(&c->error, "%s: '%.*s' is not a boolean (1/0, y/n, on/off)",
		     attr, uringblk_cfs_val_len(page), page);
	return -EINVAL;
}

/*
 * A u32 attribute; @gbit: its URINGBLK_GIVEN_* bit (bio.h), or 0.  Shown:
 * what the powered drive has (its configuration after queue_mode=auto is
 * resolved: a bio drive's poll queues are 0), else what is configured.
 */
#define URINGBLK_CFS_U32(name, field, gbit)				\
static ssize_t uringblk_cfs_##name##_show(struct config_item *item, char *page) \
{									\
	struct uringblk_cfs_item *c = to_cfs(item);			\
	u32 v;								\
									\
	mutex_lock(&uringblk_cfs_mutex);				\
	v = c->dev ? c->dev->cfg.field : c->cfg.field;			\
	mutex_unlock(&uringblk_cfs_mutex);				\
	return sprintf(page, "%u\n", v);				\
}									\
static ssize_t uringblk_cfs_##name##_store(struct config_item *item,	\
					   const char *page, size_t count) \
{									\
	struct uringblk_cfs_item *c = uringblk_cfs_lock(item);		\
	u64 v;								\
	int ret = uringblk_cfs_parse(c, #name, page, U32_MAX, &v);	\
									\
	if (!ret)							\
		ret = uringblk_cfs_may_change(c, #name);		\
	if (!ret) {							\
		c->cfg.field = v;					\
		c->cfg.given |= (gbit);					\
	}								\
	return uringblk_cfs_unlock(c, ret, count);			\
}									\
CONFIGFS_ATTR(uringblk_cfs_, name)

URINGBLK_CFS_U32(block_size, block_size, 0);
URINGBLK_CFS_U32(nr_hw_queues, nr_hw_queues, URINGBLK_GIVEN_NR_HW_QUEUES);
URINGBLK_CFS_U32(poll_queues, nr_poll_queues, URINGBLK_GIVEN_POLL_QUEUES);
URINGBLK_CFS_U32(queue_depth, queue_depth, URINGBLK_GIVEN_QUEUE_DEPTH);
URINGBLK_CFS_U32(zone_size_mb, zone_size_mb, 0);
URINGBLK_CFS_U32(zone_capacity_mb, zone_capacity_mb, 0);
URINGBLK_CFS_U32(zone_nr_conv, zone_nr_conv, 0);
URINGBLK_CFS_U32(zone_max_open, zone_max_open, 0);
URINGBLK_CFS_U32(zone_max_active, zone_max_active, 0);
URINGBLK_CFS_U32(max_execs, max_execs, 0);
URINGBLK_CFS_U32(max_execs_per_file, max_execs_per_file, 0);
URINGBLK_CFS_U32(max_cmd_kb, max_cmd_kb, 0);
URINGBLK_CFS_U32(kv_nvm_mb, kv_nvm_mb, 0);
URINGBLK_CFS_U32(nvme_ctrl, nvme_ctrl, 0);

#define URINGBLK_CFS_BOOL(name)						\
static ssize_t uringblk_cfs_##name##_show(struct config_item *item, char *page) \
{									\
	return sprintf(page, "%d\n", to_cfs(item)->cfg.name);		\
}									\
static ssize_t uringblk_cfs_##name##_store(struct config_item *item,	\
					   const char *page, size_t count) \
{									\
	struct uringblk_cfs_item *c = uringblk_cfs_lock(item);		\
	bool v;								\
	int ret = uringblk_cfs_parse_bool(c, #name, page, &v);		\
									\
	if (!ret)							\
		ret = uringblk_cfs_may_change(c, #name);		\
	if (!ret)							\
		c->cfg.name = v;					\
	return uringblk_cfs_unlock(c, ret, count);			\
}									\
CONFIGFS_ATTR(uringblk_cfs_, name)

URINGBLK_CFS_BOOL(zoned);
URINGBLK_CFS_BOOL(direct_io);
URINGBLK_CFS_BOOL(kv);

static ssize_t uringblk_cfs_capacity_mb_show(struct config_item *item, char *page)
{
	return sprintf(page, "%llu\n", to_cfs(item)->cfg.capacity >> 20);
}

static ssize_t uringblk_cfs_capacity_mb_store(struct config_item *item,
					      const char *page, size_t count)
{
	struct uringblk_cfs_item *c = uringblk_cfs_lock(item);
	u64 mb;
	int ret = uringblk_cfs_parse(c, "capacity_mb", page, U64_MAX >> 20, &mb);

	if (!ret)
		ret = uringblk_cfs_may_change(c, "capacity_mb");
	if (!ret)
		c->cfg.capacity = mb << 20;
	return uringblk_cfs_unlock(c, ret, count);
}
CONFIGFS_ATTR(uringblk_cfs_, capacity_mb);

/* Device memory, bytes (a multiple of the page size, checked at power-on). */
static ssize_t uringblk_cfs_slm_size_show(struct config_item *item, char *page)
{
	return sprintf(page, "%llu\n", to_cfs(item)->cfg.slm_size);
}

static ssize_t uringblk_cfs_slm_size_store(struct config_item *item,
					   const char *page, size_t count)
{
	struct uringblk_cfs_item *c = uringblk_cfs_lock(item);
	u64 v;
	int ret = uringblk_cfs_parse(c, "slm_size", page, U64_MAX, &v);

	if (!ret)
		ret = uringblk_cfs_may_change(c, "slm_size");
	if (!ret)
		c->cfg.slm_size = v;
	return uringblk_cfs_unlock(c, ret, count);
}
CONFIGFS_ATTR(uringblk_cfs_, slm_size);

/*
 * The timing model (timing_cfg.c): "timing" takes and shows the whole
 * model in its text form (presets, key=value pairs); one attribute per
 * parameter besides.  Every refused value (not a number, out of range,
 * an unknown preset or key) fails the write with -EINVAL, saying why in
 * the kernel log and in "error".
 */
static ssize_t uringblk_cfs_timing_show(struct config_item *item, char *page)
{
	ssize_t n;

	mutex_lock(&uringblk_cfs_mutex);
	n = uringblk_timing_show(&to_cfs(item)->cfg.timing, page, PAGE_SIZE);
	mutex_unlock(&uringblk_cfs_mutex);
	return n;
}

static ssize_t uringblk_cfs_timing_store(struct config_item *item,
					 const char *page, size_t count)
{
	struct uringblk_cfs_item *c = uringblk_cfs_lock(item);
	struct uringblk_timing_cfg t;
	int ret = uringblk_timing_parse(page, &t, &c->error);

	if (!ret)
		ret = uringblk_cfs_may_change(c, "timing");
	if (!ret)
		c->cfg.timing = t;
	return uringblk_cfs_unlock(c, ret, count);
}
CONFIGFS_ATTR(uringblk_cfs_, timing);

/*
 * Its SSD model (timing_ssd.c): "ssd" takes a preset and key=value pairs
 * (driver/ssd/ssd_text.c) and shows every key; "off" removes it.  The
 * values are checked against the capacity at power-on.
 */
static ssize_t uringblk_cfs_ssd_show(struct config_item *item, char *page)
{
	ssize_t n;

	mutex_lock(&uringblk_cfs_mutex);
	n = ssd_cfg_show(&to_cfs(item)->cfg.ssd, page, PAGE_SIZE);
	mutex_unlock(&uringblk_cfs_mutex);
	return n;
}

static ssize_t uringblk_cfs_ssd_store(struct config_item *item,
				      const char *page, size_t count)
{
	struct uringblk_cfs_item *c = uringblk_cfs_lock(item);
	struct ssd_cfg s;
	int ret = uringblk_ssd_parse(page, &s, &c->error);

	if (!ret)
		ret = uringblk_cfs_may_change(c, "ssd");
	if (!ret)
		c->cfg.ssd = s;
	return uringblk_cfs_unlock(c, ret, count);
}
CONFIGFS_ATTR(uringblk_cfs_, ssd);

static ssize_t uringblk_cfs_timing_param_store(struct config_item *item,
					       const char *key,
					       const char *page, size_t count)
{
	struct uringblk_cfs_item *c = uringblk_cfs_lock(item);
	struct uringblk_timing_cfg t = c->cfg.timing;
	u64 v;
	/* every refusal of a model parameter is -EINVAL (uAPI), even overflow */
	int ret = uringblk_cfs_parse(c, key, page, U64_MAX, &v) ? -EINVAL : 0;

	if (!ret)
		ret = uringblk_timing_set(&t, key, v, &c->error);
	if (!ret)
		ret = uringblk_cfs_may_change(c, key);
	if (!ret)
		c->cfg.timing = t;
	return uringblk_cfs_unlock(c, ret, count);
}

#define URINGBLK_CFS_TIMING(name)					\
static ssize_t uringblk_cfs_##name##_show(struct config_item *item, char *page) \
{									\
	return sprintf(page, "%u\n",					\
		       uringblk_timing_get(&to_cfs(item)->cfg.timing, #name)); \
}									\
static ssize_t uringblk_cfs_##name##_store(struct config_item *item,	\
					   const char *page, size_t count) \
{									\
	return uringblk_cfs_timing_param_store(item, #name, page, count); \
}									\
CONFIGFS_ATTR(uringblk_cfs_, name)

URINGBLK_CFS_TIMING(link_mbps);
URINGBLK_CFS_TIMING(link_lat_ns);
URINGBLK_CFS_TIMING(media_read_mbps);
URINGBLK_CFS_TIMING(media_write_mbps);
URINGBLK_CFS_TIMING(media_read_lat_ns);
URINGBLK_CFS_TIMING(media_write_lat_ns);
URINGBLK_CFS_TIMING(fw_overhead_ns);
URINGBLK_CFS_TIMING(compute_units);
URINGBLK_CFS_TIMING(compute_factor_pct);
URINGBLK_CFS_TIMING(timer_advance_ns);

static ssize_t uringblk_cfs_backing_show(struct config_item *item, char *page)
{
	return sprintf(page, "%s\n", uringblk_backing_name(to_cfs(item)->cfg.backing));
}

static ssize_t uringblk_cfs_backing_store(struct config_item *item,
					  const char *page, size_t count)
{
	struct uringblk_cfs_item *c = uringblk_cfs_lock(item);
	int backing = uringblk_backing_parse(page, &c->error);
	int ret = backing < 0 ? backing : uringblk_cfs_may_change(c, "backing");

	if (!ret)
		c->cfg.backing = backing;
	return uringblk_cfs_unlock(c, ret, count);
}
CONFIGFS_ATTR(uringblk_cfs_, backing);

/*
 * "auto", "mq" or "bio" (bio.h); bio refuses zones, timing and poll queues
 * at power-on.  A powered drive shows what it is: mq or bio, never auto.
 */
static ssize_t uringblk_cfs_queue_mode_show(struct config_item *item, char *page)
{
	struct uringblk_cfs_item *c = to_cfs(item);
	u32 mode;

	mutex_lock(&uringblk_cfs_mutex);
	mode = c->dev ? c->dev->cfg.queue_mode : c->cfg.queue_mode;
	mutex_unlock(&uringblk_cfs_mutex);
	return sprintf(page, "%s\n", uringblk_queue_mode_name(mode));
}

static ssize_t uringblk_cfs_queue_mode_store(struct config_item *item,
					     const char *page, size_t count)
{
	struct uringblk_cfs_item *c = uringblk_cfs_lock(item);
	int mode = uringblk_queue_mode_parse(page, &c->error);
	int ret = mode < 0 ? mode : uringblk_cfs_may_change(c, "queue_mode");

	if (!ret)
		c->cfg.queue_mode = mode;
	return uringblk_cfs_unlock(c, ret, count);
}
CONFIGFS_ATTR(uringblk_cfs_, queue_mode);

static ssize_t uringblk_cfs_path_show(struct config_item *item, char *page)
{
	struct uringblk_cfs_item *c = to_cfs(item);
	ssize_t n;

	mutex_lock(&uringblk_cfs_mutex);
	n = sprintf(page, "%s\n", c->cfg.path);
	mutex_unlock(&uringblk_cfs_mutex);
	return n;
}

/* The backing file; one trailing newline (from echo) is dropped. */
static ssize_t uringblk_cfs_path_store(struct config_item *item,
				       const char *page, size_t count)
{
	struct uringblk_cfs_item *c = uringblk_cfs_lock(item);
	size_t len = count && page[count - 1] == '\n' ? count - 1 : count;
	int ret = 0;

	if (len >= URINGBLK_PATH_MAX) {
		uringblk_msg(&c->error, "path: longer than %d bytes", URINGBLK_PATH_MAX - 1);
		ret = -ENAMETOOLONG;
	}
	if (!ret)
		ret = uringblk_cfs_may_change(c, "path");
	if (!ret) {
		memcpy(c->cfg.path, page, len);
		c->cfg.path[len] = '\0';
	}
	return uringblk_cfs_unlock(c, ret, count);
}
CONFIGFS_ATTR(uringblk_cfs_, path);

static ssize_t uringblk_cfs_error_show(struct config_item *item, char *page)
{
	struct uringblk_cfs_item *c = to_cfs(item);
	ssize_t n;

	mutex_lock(&uringblk_cfs_mutex);
	n = c->error.text[0] ? sprintf(page, "%s\n", c->error.text) : 0;
	mutex_unlock(&uringblk_cfs_mutex);
	return n;
}
CONFIGFS_ATTR_RO(uringblk_cfs_, error);

static ssize_t uringblk_cfs_index_show(struct config_item *item, char *page)
{
	struct uringblk_cfs_item *c = to_cfs(item);
	int index;

	mutex_lock(&uringblk_cfs_mutex);
	index = c->dev ? c->dev->index : -1;
	mutex_unlock(&uringblk_cfs_mutex);
	return sprintf(page, "%d\n", index);
}
CONFIGFS_ATTR_RO(uringblk_cfs_, index);

static ssize_t uringblk_cfs_power_show(struct config_item *item, char *page)
{
	return sprintf(page, "%d\n", !!READ_ONCE(to_cfs(item)->dev));
}

static ssize_t uringblk_cfs_power_store(struct config_item *item,
					const char *page, size_t count)
{
	struct uringblk_cfs_item *c = uringblk_cfs_lock(item);
	struct uringblk_dev *dev;
	bool on;
	int ret = uringblk_cfs_parse_bool(c, "power", page, &on);

	if (ret)
		return uringblk_cfs_unlock(c, ret, count);
	if (on && !c->dev) {
		/* uringblk_add() says why in "error" if it refuses */
		dev = uringblk_add(&c->cfg, &c->error);
		if (IS_ERR(dev))
			ret = PTR_ERR(dev);
		else
			WRITE_ONCE(c->dev, dev);
	} else if (!on && c->dev) {
		/* Linux's NVMe driver must not free a node under its open file */
		ret = uringblk_nvme_ctrl_busy(c->dev, &c->error);
		if (!ret) {
			uringblk_remove(c->dev);
			WRITE_ONCE(c->dev, NULL);
		}
	}
	return uringblk_cfs_unlock(c, ret, count);
}
CONFIGFS_ATTR(uringblk_cfs_, power);

static struct configfs_attribute *uringblk_cfs_attrs[] = {
	&uringblk_cfs_attr_capacity_mb,
	&uringblk_cfs_attr_block_size,
	&uringblk_cfs_attr_nr_hw_queues,
	&uringblk_cfs_attr_poll_queues,
	&uringblk_cfs_attr_queue_depth,
	&uringblk_cfs_attr_backing,
	&uringblk_cfs_attr_queue_mode,
	&uringblk_cfs_attr_path,
	&uringblk_cfs_attr_direct_io,
	&uringblk_cfs_attr_zoned,
	&uringblk_cfs_attr_kv,
	&uringblk_cfs_attr_kv_nvm_mb,
	&uringblk_cfs_attr_nvme_ctrl,
	&uringblk_cfs_attr_zone_size_mb,
	&uringblk_cfs_attr_zone_capacity_mb,
	&uringblk_cfs_attr_zone_nr_conv,
	&uringblk_cfs_attr_zone_max_open,
	&uringblk_cfs_attr_zone_max_active,
	&uringblk_cfs_attr_slm_size,
	&uringblk_cfs_attr_max_execs,
	&uringblk_cfs_attr_max_execs_per_file,
	&uringblk_cfs_attr_max_cmd_kb,
	&uringblk_cfs_attr_timing,
	&uringblk_cfs_attr_ssd,
	&uringblk_cfs_attr_link_mbps,
	&uringblk_cfs_attr_link_lat_ns,
	&uringblk_cfs_attr_media_read_mbps,
	&uringblk_cfs_attr_media_write_mbps,
	&uringblk_cfs_attr_media_read_lat_ns,
	&uringblk_cfs_attr_media_write_lat_ns,
	&uringblk_cfs_attr_fw_overhead_ns,
	&uringblk_cfs_attr_compute_units,
	&uringblk_cfs_attr_compute_factor_pct,
	&uringblk_cfs_attr_timer_advance_ns,
	&uringblk_cfs_attr_index,
	&uringblk_cfs_attr_power,
	&uringblk_cfs_attr_error,
	NULL,
};

static void uringblk_cfs_release(struct config_item *item)
{
	kfree(to_cfs(item));
}

static struct configfs_item_operations uringblk_cfs_item_ops = {
	.release	= uringblk_cfs_release,
};

static const struct config_item_type uringblk_cfs_item_type = {
	.ct_item_ops	= &uringblk_cfs_item_ops,
	.ct_attrs	= uringblk_cfs_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct config_item *uringblk_cfs_make_item(struct config_group *group,
						  const char *name)
{
	struct uringblk_cfs_item *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return ERR_PTR(-ENOMEM);
	uringblk_default_config(&c->cfg);
	config_item_init_type_name(&c->item, name, &uringblk_cfs_item_type);
	return &c->item;
}

/* rmdir: a powered device is removed first. */
static void uringblk_cfs_drop_item(struct config_group *group,
				   struct config_item *item)
{
	struct uringblk_cfs_item *c = to_cfs(item);

	mutex_lock(&uringblk_cfs_mutex);
	if (c->dev) {
		uringblk_remove(c->dev);
		WRITE_ONCE(c->dev, NULL);
	}
	mutex_unlock(&uringblk_cfs_mutex);
	config_item_put(item);
}

static ssize_t uringblk_cfs_features_show(struct config_item *item, char *page)
{
	/* one line, the names comma-separated, in this order */
	static const char * const names[] = {
		"backing", "block_size", "capacity_mb", "compute_factor_pct",
		"compute_units", "direct_io", "error", "fw_overhead_ns",
		"index", "kv", "kv_nvm_mb", "link_lat_ns", "link_mbps",
		"max_cmd_kb", "max_execs", "max_execs_per_file",
		"media_read_lat_ns", "media_read_mbps", "media_write_lat_ns",
		"media_write_mbps", "nr_hw_queues", "nvme_ctrl", "path",
		"poll_queues", "power", "queue_depth", "queue_mode", "slm_size",
		"ssd", "timer_advance_ns", "timing", "zone_capacity_mb",
		"zone_max_active", "zone_max_open", "zone_nr_conv",
		"zone_size_mb", "zoned",
	};
	int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		n += scnprintf(page + n, PAGE_SIZE - n, "%s%c", names[i],
			       i + 1 < ARRAY_SIZE(names) ? ',' : '\n');
	return n;
}
CONFIGFS_ATTR_RO(uringblk_cfs_, features);

static struct configfs_attribute *uringblk_cfs_group_attrs[] = {
	&uringblk_cfs_attr_features,
	NULL,
};

static struct configfs_group_operations uringblk_cfs_group_ops = {
	.make_item	= uringblk_cfs_make_item,
	.drop_item	= uringblk_cfs_drop_item,
};

static const struct config_item_type uringblk_cfs_group_type = {
	.ct_group_ops	= &uringblk_cfs_group_ops,
	.ct_attrs	= uringblk_cfs_group_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct configfs_subsystem uringblk_cfs_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf	= URINGBLK_BLKDEV_NAME,
			.ci_type	= &uringblk_cfs_group_type,
		},
	},
};

int uringblk_configfs_init(void)
{
	config_group_init(&uringblk_cfs_subsys.su_group);
	mutex_init(&uringblk_cfs_subsys.su_mutex);
	return configfs_register_subsystem(&uringblk_cfs_subsys);
}

void uringblk_configfs_exit(void)
{
	configfs_unregister_subsystem(&uringblk_cfs_subsys);
}
