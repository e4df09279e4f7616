/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * <liburingblk/zone.h> - zones: report, manage and append to the zones of a
 * zoned drive.
 *
 * Part of <liburingblk.h>, which includes every header of liburingblk.
 */
#ifndef LIBURINGBLK_ZONE_H
#define LIBURINGBLK_ZONE_H

#include <liburingblk/uapi/uringblk.h>
#include <liburingblk/device.h>
#include <liburingblk/prep.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Zones (liburingblk 1.2)
 * -----------------------
 * See "Zones" in <liburingblk/uapi/uringblk.h>.  Every position is a
 * logical block (LBA), not a 512-byte sector.  On a drive without
 * URINGBLK_F_ZONED the zone commands fail with -EOPNOTSUPP.
 */

/**
 * uringblk_prep_report_zones() - prepare URINGBLK_CMD_REPORT_ZONES
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128
 * @fd:		the command device
 * @lba:	report from the zone holding this LBA
 * @zones:	receives the zones; valid until the CQE arrives
 * @nr:		capacity of @zones (> 0)
 *
 * cqe->res will be the number of zones filled (0: @lba is past the end),
 * or a negative errno.
 */
static inline void uringblk_prep_report_zones(struct io_uring_sqe *sqe, int fd,
					      __u64 lba,
					      struct uringblk_zone *zones,
					      unsigned int nr)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, 0, zones, nr * sizeof(*zones));
	cmd.report_zones.lba = lba;
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_REPORT_ZONES, &cmd);
}

/**
 * uringblk_prep_zone_mgmt() - prepare URINGBLK_CMD_ZONE_MGMT
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128
 * @fd:		the command device, opened for writing
 * @zone_lba:	first LBA of the zone (0 for URINGBLK_ZONE_ACTION_RESET_ALL)
 * @action:	URINGBLK_ZONE_ACTION_*
 *
 * cqe->res will be 0 or a negative errno.
 */
static inline void uringblk_prep_zone_mgmt(struct io_uring_sqe *sqe, int fd,
					   __u64 zone_lba, unsigned int action)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, 0, NULL, 0);
	cmd.zone_mgmt.zone_lba = zone_lba;
	cmd.zone_mgmt.action = action;
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_ZONE_MGMT, &cmd);
}

/**
 * uringblk_prep_zone_append() - prepare URINGBLK_CMD_ZONE_APPEND
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128 (add
 *		IORING_SETUP_CQE32 to get the LBA in cqe->big_cqe[0])
 * @fd:		the command device, opened for writing
 * @zone_lba:	first LBA of the zone
 * @buf:	the data; valid until the CQE arrives
 * @len:	bytes, a non-zero multiple of the block size, at most
 *		identify.max_zone_append
 * @lba_out:	receives the LBA the data landed at, or NULL (then only
 *		big_cqe[0] has it); valid until the CQE arrives
 *
 * cqe->res will be 0 or a negative errno.
 */
static inline void uringblk_prep_zone_append(struct io_uring_sqe *sqe, int fd,
					     __u64 zone_lba, const void *buf,
					     __u32 len, __u64 *lba_out)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, 0, (void *)buf, len);
	cmd.zone_append.zone_lba = zone_lba;
	cmd.zone_append.lba_out_addr = (__u64)(unsigned long)lba_out;
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_ZONE_APPEND, &cmd);
}

/**
 * uringblk_report_zones() - describe zones, synchronously
 * @dev:	open handle
 * @lba:	start with the zone holding this LBA
 * @zones:	receives up to @nr zones
 * @nr:		capacity of @zones
 *
 * Issues as many REPORT_ZONES as it takes (each for at most
 * URINGBLK_MAX_REPORT_ZONES zones) until @nr zones are filled or the
 * drive ends.
 *
 * Return: number of zones filled (0 if @lba is past the end), or a
 * negative errno (-EOPNOTSUPP: not a zoned drive).
 */
int uringblk_report_zones(struct uringblk_dev *dev, __u64 lba,
			  struct uringblk_zone *zones, unsigned int nr);

/**
 * uringblk_zone_mgmt() - reset, open, close or finish a zone, or reset all
 * @dev:	open handle
 * @zone_lba:	first LBA of the zone (0 for RESET_ALL)
 * @action:	URINGBLK_ZONE_ACTION_*
 *
 * Return: 0 or a negative errno: -EINVAL (not a zone start, unknown
 * action, CLOSE of a zone that is not open), -ERANGE, -EMEDIUMTYPE
 * (conventional zone), -ENOSPC (OPEN of a full zone), -ETOOMANYREFS /
 * -EOVERFLOW (open / active zone limit), -EROFS, -EIO, -EBADF.
 */
int uringblk_zone_mgmt(struct uringblk_dev *dev, __u64 zone_lba,
		       unsigned int action);

/**
 * uringblk_zone_append() - write at a zone's write pointer, synchronously
 * @dev:	open handle
 * @zone_lba:	first LBA of the zone
 * @buf:	the data
 * @len:	bytes, a non-zero multiple of the block size, at most
 *		identify.max_zone_append
 * @lba:	if not NULL, receives the LBA the data landed at
 *
 * Return: 0 or a negative errno: -ENOSPC (zone full, or not enough room
 * left in it), -E2BIG (above the append limit), -EINVAL, -ERANGE,
 * -EMEDIUMTYPE, -ETOOMANYREFS, -EOVERFLOW, -EROFS, -EIO, -EBADF.
 */
int uringblk_zone_append(struct uringblk_dev *dev, __u64 zone_lba,
			 const void *buf, __u32 len, __u64 *lba);

/**
 * uringblk_zone_cond_name() - short name of a zone condition
 * @cond:	URINGBLK_ZONE_COND_*
 *
 * Return: "not_wp", "empty", "imp_open", "exp_open", "closed",
 * "readonly", "full" or "offline" (the names of the sysfs zone table), or
 * NULL for a value this library does not know.
 */
const char *uringblk_zone_cond_name(__u8 cond);

/**
 * uringblk_zone_action_parse() - URINGBLK_ZONE_ACTION_* from its name
 * @name:	"reset", "open", "close", "finish" or "reset_all"
 *
 * Return: the action, or -EINVAL.
 */
int uringblk_zone_action_parse(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* LIBURINGBLK_ZONE_H */
