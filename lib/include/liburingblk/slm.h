/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * <liburingblk/slm.h> - device memory (SLM) and memory range sets:
 * MEM_READ, MEM_WRITE, MEM_COPY, RANGE_SET_CREATE and RANGE_SET_DELETE.
 *
 * Part of <liburingblk.h>, which includes every header of liburingblk.
 */
#ifndef LIBURINGBLK_SLM_H
#define LIBURINGBLK_SLM_H

#include <liburingblk/uapi/uringblk.h>
#include <liburingblk/device.h>
#include <liburingblk/prep.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Device memory and memory range sets (liburingblk 1.5)
 * ------------------------------------------------------
 * See "The computational storage model" in <liburingblk/uapi/uringblk.h>.  On a
 * drive without URINGBLK_F_SLM every command here fails with -EOPNOTSUPP.
 * MEM_WRITE, MEM_COPY and the range set commands need the command device
 * open for writing (the handle's is).  cqe->res is the value the
 * synchronous calls return.
 */

/**
 * uringblk_prep_mem_read() - prepare URINGBLK_CMD_MEM_READ (SLM -> host)
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128
 * @fd:		the command device
 * @slm_off:	byte offset in the drive's SLM
 * @buf:	receives @len bytes; valid until the CQE arrives
 * @len:	1..identify.max_mem_xfer bytes, inside SLM from @slm_off
 *
 * cqe->res will be @len or a negative errno.
 */
static inline void uringblk_prep_mem_read(struct io_uring_sqe *sqe, int fd,
					  __u64 slm_off, void *buf, __u32 len)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, 0, buf, len);
	cmd.mem_rw.slm_off = slm_off;
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_MEM_READ, &cmd);
}

/**
 * uringblk_prep_mem_write() - prepare URINGBLK_CMD_MEM_WRITE (host -> SLM)
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128
 * @fd:		the command device, opened for writing
 * @slm_off:	byte offset in the drive's SLM
 * @buf:	@len bytes to write; valid until the CQE arrives
 * @len:	1..identify.max_mem_xfer bytes, inside SLM from @slm_off
 *
 * cqe->res will be @len or a negative errno.
 */
static inline void uringblk_prep_mem_write(struct io_uring_sqe *sqe, int fd,
					   __u64 slm_off, const void *buf,
					   __u32 len)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, 0, (void *)buf, len);
	cmd.mem_rw.slm_off = slm_off;
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_MEM_WRITE, &cmd);
}

/**
 * uringblk_prep_mem_copy() - prepare URINGBLK_CMD_MEM_COPY (media -> SLM)
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128
 * @fd:		the command device, opened for writing
 * @slm_off:	where the first range lands in SLM; the others follow it
 * @r:		@nr LBA ranges; valid until the CQE arrives.  A range with
 *		flags URINGBLK_COPY_F_ZERO (since 1.6, drive ABI 1.4) and slba
 *		0 puts nlb blocks of zeroes instead (a file's hole)
 * @nr:		1..identify.max_set_ranges
 *
 * cqe->res will be the bytes copied (zero ranges included) or a negative
 * errno.
 */
static inline void uringblk_prep_mem_copy(struct io_uring_sqe *sqe, int fd,
					  __u64 slm_off,
					  const struct uringblk_copy_range *r,
					  unsigned int nr)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, 0, (void *)r, nr * sizeof(*r));
	cmd.mem_copy.slm_off = slm_off;
	cmd.mem_copy.nr_ranges = nr;
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_MEM_COPY, &cmd);
}

/**
 * uringblk_prep_range_set_create() - prepare URINGBLK_CMD_RANGE_SET_CREATE
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128
 * @fd:		the command device, opened for writing
 * @r:		@nr SLM ranges, each a multiple of identify.slm_granularity;
 *		valid until the CQE arrives
 * @nr:		1..identify.max_set_ranges
 *
 * cqe->res will be the new set's id (> 0) or a negative errno.
 */
static inline void uringblk_prep_range_set_create(struct io_uring_sqe *sqe,
						  int fd,
						  const struct uringblk_mem_range *r,
						  unsigned int nr)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, 0, (void *)r, nr * sizeof(*r));
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_RANGE_SET_CREATE, &cmd);
}

/**
 * uringblk_prep_range_set_delete() - prepare URINGBLK_CMD_RANGE_SET_DELETE
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128
 * @fd:		the command device, opened for writing
 * @rsid:	the set's id
 *
 * cqe->res will be 0 or a negative errno.
 */
static inline void uringblk_prep_range_set_delete(struct io_uring_sqe *sqe,
						  int fd, __u32 rsid)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, 0, NULL, 0);
	cmd.range_set.rsid = rsid;
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_RANGE_SET_DELETE, &cmd);
}

/**
 * uringblk_mem_read() - read device memory, synchronously
 * @dev:	open handle
 * @slm_off:	byte offset in SLM
 * @buf:	receives @len bytes
 * @len:	1..identify.max_mem_xfer
 *
 * Return: @len, or a negative errno: -EINVAL (@len 0), -E2BIG (above
 * max_mem_xfer), -ERANGE (outside SLM), -EFAULT, -EOPNOTSUPP (no SLM).
 */
int uringblk_mem_read(struct uringblk_dev *dev, __u64 slm_off, void *buf,
		      __u32 len);

/**
 * uringblk_mem_write() - write device memory, synchronously
 * @dev:	open handle
 * @slm_off:	byte offset in SLM
 * @buf:	@len bytes
 * @len:	1..identify.max_mem_xfer
 *
 * Return: @len, or a negative errno as uringblk_mem_read()'s, and
 * -ENOMEM when the drive cannot allocate the memory.
 */
int uringblk_mem_write(struct uringblk_dev *dev, __u64 slm_off,
		       const void *buf, __u32 len);

/**
 * uringblk_mem_copy() - copy LBA ranges of the drive into SLM, synchronously
 * @dev:	open handle
 * @slm_off:	where the first range lands; the others follow it end to end
 * @r:		the ranges (nlb > 0; flags 0, or URINGBLK_COPY_F_ZERO with
 *		slba 0 for nlb blocks of zeroes: since 1.6, drive ABI 1.4)
 * @nr:		1..identify.max_set_ranges
 *
 * The data never leave the drive.  Reads follow the block device's read
 * policy: unwritten blocks and blocks past a zone's write pointer give
 * zeroes; an OFFLINE zone or an injected read fault fails with -EIO (SLM
 * then holds the ranges before the failing one).  Zero ranges read
 * nothing and are not counted in slm_bytes_from_media.
 *
 * Return: bytes copied (zero ranges included), or a negative errno:
 * -EINVAL (an empty range, an unknown flag, a zero range with an LBA),
 * -ERANGE (an LBA range outside the drive, or the bytes do not fit in
 * SLM), -E2BIG (more than max_set_ranges ranges or max_mem_xfer bytes),
 * -EIO.
 */
int uringblk_mem_copy(struct uringblk_dev *dev, __u64 slm_off,
		      const struct uringblk_copy_range *r, unsigned int nr);

/**
 * uringblk_range_set_create() - create a memory range set, synchronously
 * @dev:	open handle
 * @r:		the ranges: each at and of a multiple of
 *		identify.slm_granularity, inside SLM, none overlapping another
 * @nr:		1..identify.max_set_ranges
 *
 * Return: the set's id (> 0, never reused while the drive exists), or a
 * negative errno: -EINVAL (alignment, empty range, overlapping ranges),
 * -ERANGE (outside SLM), -E2BIG (too many ranges), -ENOSPC
 * (identify.max_range_sets exist), -ENOMEM.
 */
int uringblk_range_set_create(struct uringblk_dev *dev,
			      const struct uringblk_mem_range *r,
			      unsigned int nr);

/**
 * uringblk_range_set_delete() - delete a memory range set, synchronously
 * @dev:	open handle
 * @rsid:	the set
 *
 * The memory keeps its contents; only the set goes.
 *
 * Return: 0, or -EBADSLT (no such set), -EBUSY (an EXECUTE uses it).
 */
int uringblk_range_set_delete(struct uringblk_dev *dev, __u32 rsid);

#ifdef __cplusplus
}
#endif

#endif /* LIBURINGBLK_SLM_H */
