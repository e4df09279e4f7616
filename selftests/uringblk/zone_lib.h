/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the zone kselftests (zone_model, zone_report,
 * zone_append, zone_exec); prefix ubz_ ("uringblk zone test").  They sit on
 * top of uringblk_test.h and, like those, return a value or a negative
 * errno and never abort: the tests decide what a failure is.
 *
 * Two ways into the same zones: the command device speaks logical blocks
 * (REPORT_ZONES, ZONE_MGMT, ZONE_APPEND), the block device 512-byte sectors
 * (BLKREPORTZONE, BLK{RESET,OPEN,CLOSE,FINISH}ZONE) and bytes (pread/pwrite).
 * Every helper here takes a zone number or an LBA and converts, so a test
 * says "zone 3" and never mixes units by accident.
 */
#ifndef URINGBLK_ZONE_LIB_H
#define URINGBLK_ZONE_LIB_H

#include <stdbool.h>
#include <stdint.h>
#include <liburing.h>
#include <linux/blkzoned.h>

#include "uringblk_test.h"

/**
 * struct ubz_dev - an open zoned uringblk device
 * @cfd:	command device, O_RDWR
 * @bfd:	block device, O_RDWR | O_DIRECT
 * @ring:	SQE128 | CQE32 ring for @cfd
 * @id:		IDENTIFY reply
 * @bs:		logical block size
 * @spb:	512-byte sectors per logical block
 * @zone_lbas:	LBAs per zone
 * @zcap_lbas:	writable LBAs of a sequential zone
 * @nr_lbas:	LBAs of the device
 * @nr_zones:	all zones
 * @nr_conv:	conventional zones (the first ones)
 */
struct ubz_dev {
	int cfd;
	int bfd;
	struct io_uring ring;
	struct uringblk_identify id;
	uint32_t bs;
	uint32_t spb;
	uint64_t zone_lbas;
	uint64_t zcap_lbas;
	uint64_t nr_lbas;
	uint32_t nr_zones;
	uint32_t nr_conv;
};

/* Open /dev/uringblk{,c}<idx>, IDENTIFY it; -ENOTTY if it is not zoned. */
int ubz_open(struct ubz_dev *d, int idx);
void ubz_close(struct ubz_dev *d);

static inline uint64_t ubz_lba(const struct ubz_dev *d, uint32_t zno)
{
	return (uint64_t)zno * d->zone_lbas;
}

/* First sequential zone (the one after the conventional ones). */
static inline uint32_t ubz_seq(const struct ubz_dev *d, uint32_t i)
{
	return d->nr_conv + i;
}

/* --- command device ---------------------------------------------------- */

/* REPORT_ZONES from @lba into zones[nr] (one command); cqe->res. */
int ubz_report(struct ubz_dev *d, uint64_t lba, struct uringblk_zone *zones,
	       uint32_t nr);
/* One zone by number; 0 or -errno (-ENODATA if the report was empty). */
int ubz_zone(struct ubz_dev *d, uint32_t zno, struct uringblk_zone *z);
/* Condition of zone @zno, or a negative errno. */
int ubz_cond(struct ubz_dev *d, uint32_t zno);
/* ZONE_MGMT of the zone starting at @lba; cqe->res. */
int ubz_mgmt_lba(struct ubz_dev *d, uint64_t lba, uint64_t action);
int ubz_mgmt(struct ubz_dev *d, uint32_t zno, uint32_t action);
/*
 * ZONE_APPEND to the zone starting at @zone_lba: cqe->res; the LBA written
 * at goes to *lba (through zone_append.lba_out_addr) and *res2 (big_cqe[0]), either may be
 * NULL.
 */
int ubz_append(struct ubz_dev *d, uint64_t zone_lba, const void *buf,
	       uint32_t len, uint64_t *lba, uint64_t *res2);

/* --- block device ------------------------------------------------------ */

/* O_DIRECT pwrite/pread of @nr blocks at @lba: 0 or -errno (short: -EIO). */
int ubz_write(struct ubz_dev *d, uint64_t lba, const void *buf, uint64_t nr);
int ubz_read(struct ubz_dev *d, uint64_t lba, void *buf, uint64_t nr);
/*
 * Write @nr blocks of the ubt_fill() pattern (seed @seed) at @lba through
 * the block device; 0 or -errno.
 */
int ubz_write_pattern(struct ubz_dev *d, uint64_t lba, uint64_t nr,
		      uint32_t seed);
/* Read @nr blocks at @lba and check the pattern: 0, -EBADMSG or -errno. */
int ubz_check_pattern(struct ubz_dev *d, uint64_t lba, uint64_t nr,
		      uint32_t seed);
/* Read @nr blocks at @lba and check they are zeroes: 0, -EBADMSG, -errno. */
int ubz_check_zero(struct ubz_dev *d, uint64_t lba, uint64_t nr);
/* BLK{RESET,OPEN,CLOSE,FINISH}ZONE over @nr zones from @zno: 0 or -errno. */
int ubz_blk_mgmt(struct ubz_dev *d, unsigned long req, uint32_t zno,
		 uint32_t nr);
/* The same over a raw sector range (for misaligned ranges). */
int ubz_blk_mgmt_sectors(struct ubz_dev *d, unsigned long req,
			 uint64_t sector, uint64_t nr_sectors);
/* BLKREPORTZONE from @sector into zones[nr]: zones reported or -errno. */
int ubz_blk_report(struct ubz_dev *d, uint64_t sector, struct blk_zone *zones,
		   uint32_t nr);

/* The uringblk zone action of a BLK*ZONE ioctl (for tests of both paths). */
uint32_t ubz_action_of(unsigned long req);

/*
 * Zones of the device in @cond; a negative errno on failure (-EPROTO if
 * the reports do not move on).
 */
int ubz_count_cond(struct ubz_dev *d, uint8_t cond);

/* Short name of a condition, for messages. */
const char *ubz_cond_name(uint8_t cond);

#endif /* URINGBLK_ZONE_LIB_H */
