/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The zoned layer's hooks: what the rest of the driver calls to reach
 * zones, and their stubs without CONFIG_BLK_DEV_ZONED.  Only uringblk.h
 * includes this file (the types it needs are there); zoned.h is the
 * layer's own state.
 */
#ifndef URINGBLK_ZONED_HOOKS_H
#define URINGBLK_ZONED_HOOKS_H

/*
 * The zoned layer: zoned.c, zoned_bad.c, zoned_state.c, zoned_meta.c,
 * zoned_sysfs.c, cmd_zone.c; without CONFIG_BLK_DEV_ZONED no device is
 * zoned.  Files outside it never ask whether a drive is zoned: each hook
 * they call does nothing, or answers as a drive without zones would, for
 * a conventional drive (rq.c's one test, which sends a zoned drive's
 * requests in, is the exception; tests/docs/check-layering.sh keeps
 * it so).
 */
#ifdef CONFIG_BLK_DEV_ZONED
int uringblk_zone_validate(const struct uringblk_config *cfg, struct uringblk_msg *msg);
bool uringblk_zone_needs_mq(const struct uringblk_config *cfg);
int uringblk_zone_init(struct uringblk_dev *dev);
int uringblk_zone_register(struct uringblk_dev *dev);
void uringblk_zone_exit(struct uringblk_dev *dev);
int uringblk_report_zones(struct gendisk *disk, sector_t sector,
			  unsigned int nr_zones, report_zones_cb cb, void *data);
int uringblk_zone_rq(struct uringblk_dev *dev, struct request *rq, gfp_t gfp);
void uringblk_zone_set_status_note(void (*note)(struct bio *bio, int status));
s64 uringblk_zone_readable(struct uringblk_dev *dev, u64 pos, u64 len);
void uringblk_zone_snapshot(struct uringblk_dev *dev, struct uringblk_zone_rec *recs);
int uringblk_zone_restore(struct uringblk_dev *dev, const struct uringblk_zone_rec *recs,
			  struct uringblk_msg *msg);
void uringblk_zone_clean_all(struct uringblk_dev *dev);
/* zoned_meta.c */
u64 uringblk_zmeta_bytes(const struct uringblk_config *cfg);
int uringblk_zmeta_load(struct uringblk_dev *dev, struct uringblk_msg *msg);
int uringblk_zmeta_sync(struct uringblk_dev *dev);
void uringblk_zmeta_close(struct uringblk_dev *dev, bool save);
const char *uringblk_zmeta_unsaved(const struct uringblk_dev *dev);
/*
 * Flags of uringblk_zone_mgmt() and uringblk_zone_mgmt_op().
 * URINGBLK_ZMGMT_ALL: every zone (NVMe's Select All); only a reset takes it.
 * URINGBLK_ZMGMT_ZNS: ZNS's zone state machine where it differs from the
 * block device's (ZBC's, null_blk's): a Close of an open zone whose write
 * pointer is still at its start leaves it CLOSED (ZSIO/ZSEO -> ZSC), not
 * EMPTY.  The NVMe front end's, Documentation/admin/zoned.md.
 */
#define URINGBLK_ZMGMT_ALL	(1U << 0)
#define URINGBLK_ZMGMT_ZNS	(1U << 1)

/*
 * zoned_lba.c: the zone model's calls, in logical blocks, for every front
 * end (the command device's handlers and the ZNS namespace decode their
 * words and call these).  They return statuses
 * (status.h) where ZNS names one.
 */
int uringblk_zone_exec_range(struct uringblk_dev *dev, u64 lba, u64 *count);
int uringblk_zone_get(struct uringblk_dev *dev, u32 zno, struct uringblk_zone *out);
u32 uringblk_zone_count(struct uringblk_dev *dev);
u32 uringblk_zone_of(struct uringblk_dev *dev, u64 lba);
int uringblk_zone_mgmt(struct uringblk_dev *dev, u64 zone_lba, u32 action, u32 flags);
int uringblk_zone_append_check(struct uringblk_dev *dev, u64 zone_lba, u32 len);
int uringblk_zone_append(struct uringblk_dev *dev, u64 zone_lba, const void *buf,
			 u32 len, u64 *lba, gfp_t gfp);
/* zoned_bad.c: bad zones, for fault injection (fault.c) */
int uringblk_zone_set_cond(struct uringblk_dev *dev, u32 zno, u8 cond);
int uringblk_zone_cond(struct uringblk_dev *dev, u32 zno);
int uringblk_zone_repair_all(struct uringblk_dev *dev);
/* zoned_nvme.c: the ZNS namespace of the NVMe front end (nvme.c) */
const struct uringblk_nvme_cset *uringblk_zone_nvme_cset(struct uringblk_dev *dev);
int uringblk_nvme_zns_identify(struct uringblk_dev *dev, u8 cns, u32 nsid, void *buf);
int uringblk_nvme_zns_report(struct uringblk_dev *dev, u64 slba, u8 zra, u8 zrasf,
			     bool partial, void *buf, u32 size);
int uringblk_nvme_zns_mgmt(struct uringblk_dev *dev, u64 slba, u8 zsa, bool all, u32 *nops);
int uringblk_zone_write_refused(struct uringblk_dev *dev, struct bio *bio, int zst);
/* zoned_sysfs.c */
ssize_t uringblk_zone_table_read(struct uringblk_dev *dev, char *buf,
				 loff_t off, size_t count);
umode_t uringblk_zone_attr_mode(const struct uringblk_dev *dev, umode_t mode);
#else
static inline int uringblk_zone_validate(const struct uringblk_config *cfg,
					 struct uringblk_msg *msg)
{
	if (!cfg->zoned)
		return 0;
	uringblk_msg(msg, "zoned=1: this kernel has no CONFIG_BLK_DEV_ZONED");
	return -EOPNOTSUPP;
}

static inline bool uringblk_zone_needs_mq(const struct uringblk_config *cfg) { return false; }
static inline u64 uringblk_zmeta_bytes(const struct uringblk_config *cfg) { return 0; }
static inline int uringblk_zmeta_load(struct uringblk_dev *dev, struct uringblk_msg *msg)
{
	return 0;
}

static inline int uringblk_zmeta_sync(struct uringblk_dev *dev)
{
	return dev->ops->flush(dev);
}

static inline void uringblk_zmeta_close(struct uringblk_dev *dev, bool save) {}
static inline const char *uringblk_zmeta_unsaved(const struct uringblk_dev *dev)
{
	return "";
}

static inline int uringblk_zone_init(struct uringblk_dev *dev) { return 0; }
static inline int uringblk_zone_register(struct uringblk_dev *dev) { return 0; }
static inline void uringblk_zone_exit(struct uringblk_dev *dev) {}
static inline void uringblk_zone_set_status_note(void (*note)(struct bio *bio, int status)) {}
static inline int uringblk_zone_write_refused(struct uringblk_dev *dev, struct bio *bio,
					      int zst)
{
	return zst;
}

#define uringblk_report_zones	NULL
static inline int uringblk_zone_rq(struct uringblk_dev *dev, struct request *rq,
				   gfp_t gfp)
{
	return -EOPNOTSUPP;
}

static inline s64 uringblk_zone_readable(struct uringblk_dev *dev, u64 pos, u64 len)
{
	return len;
}

static inline u32 uringblk_zone_of(struct uringblk_dev *dev, u64 lba) { return 0; }
static inline int uringblk_zone_mgmt(struct uringblk_dev *dev, u64 zone_lba,
				     u32 action, u32 flags)
{
	return -EOPNOTSUPP;
}

static inline int uringblk_zone_append_check(struct uringblk_dev *dev, u64 zone_lba,
					     u32 len)
{
	return -EOPNOTSUPP;
}

static inline int uringblk_zone_append(struct uringblk_dev *dev, u64 zone_lba,
				       const void *buf, u32 len, u64 *lba, gfp_t gfp)
{
	return -EOPNOTSUPP;
}

static inline int uringblk_zone_exec_range(struct uringblk_dev *dev, u64 lba,
					   u64 *count)
{
	return -EOPNOTSUPP;
}

static inline int uringblk_zone_get(struct uringblk_dev *dev, u32 zno,
				    struct uringblk_zone *out)
{
	return -EOPNOTSUPP;
}

static inline u32 uringblk_zone_count(struct uringblk_dev *dev) { return 0; }
static inline int uringblk_zone_set_cond(struct uringblk_dev *dev, u32 zno, u8 cond)
{
	return -EOPNOTSUPP;
}

static inline int uringblk_zone_cond(struct uringblk_dev *dev, u32 zno)
{
	return -EOPNOTSUPP;
}

static inline int uringblk_zone_repair_all(struct uringblk_dev *dev) { return 0; }
static inline const struct uringblk_nvme_cset *
uringblk_zone_nvme_cset(struct uringblk_dev *dev) { return NULL; }
static inline int uringblk_nvme_zns_identify(struct uringblk_dev *dev, u8 cns, u32 nsid,
					     void *buf) { return -EOPNOTSUPP; }
static inline int uringblk_nvme_zns_report(struct uringblk_dev *dev, u64 slba, u8 zra,
					   u8 zrasf, bool partial, void *buf, u32 size)
{
	return -EOPNOTSUPP;
}

static inline int uringblk_nvme_zns_mgmt(struct uringblk_dev *dev, u64 slba, u8 zsa,
					 bool all, u32 *nops) { return -EOPNOTSUPP; }
static inline ssize_t uringblk_zone_table_read(struct uringblk_dev *dev, char *buf,
					       loff_t off, size_t count)
{
	return 0;
}

static inline umode_t uringblk_zone_attr_mode(const struct uringblk_dev *dev,
					      umode_t mode)
{
	return 0;
}
#endif

#endif /* URINGBLK_ZONED_HOOKS_H */
