/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * <liburingblk/device.h> - the device handle: open and close a drive's
 * command device, run a command synchronously, IDENTIFY, the counters, and
 * the errors' meanings.
 *
 * Part of <liburingblk.h>, which includes every header of liburingblk.
 */
#ifndef LIBURINGBLK_DEVICE_H
#define LIBURINGBLK_DEVICE_H

#include <stddef.h>
#include <liburingblk/uapi/uringblk.h>
#include <liburingblk/prep.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library version these headers describe (lib/Makefile sets the same). */
#define URINGBLK_LIB_VERSION_MAJOR	1
#define URINGBLK_LIB_VERSION_MINOR	11

/* Opaque device handle, see uringblk_open(). */
struct uringblk_dev;

/**
 * uringblk_parse_dev() - find the device index in a device name
 * @spec:	"/dev/uringblkN", "/dev/uringblkcN", "uringblkN", "uringblkcN",
 *		a namespace node of the drive's NVMe front end
 *		("/dev/uringblkcNn2", "uringblkcNn3": NSIDs 2 and 3)
 *		or a bare decimal "N"
 * @index:	receives N
 *
 * Pure string parsing: nothing is opened.  N is decimal without sign or
 * leading zeros, as the kernel names the nodes.  A namespace node names
 * its drive: what is opened for it is the drive's command device.
 *
 * Return: 0, or -EINVAL if @spec is not one of the forms above.
 */
int uringblk_parse_dev(const char *spec, int *index);

/**
 * uringblk_open() - open a uringblk device
 * @path:	any form uringblk_parse_dev() accepts, or the path of another
 *		node (e.g. a /dev/disk/by-* link) of a uringblk block or
 *		command device, which is resolved through /sys/dev
 * @out:	receives the new handle, to be released with uringblk_close()
 *
 * Opens the command device /dev/uringblkcN read-write (whichever node
 * @path names) and sets up a small private io_uring with
 * IORING_SETUP_SQE128 | IORING_SETUP_CQE32 for the synchronous commands.
 * The block device is not opened; see uringblk_blk_path().
 *
 * Return: 0; -EINVAL if @path is not a device name; -ENODEV if it is a
 * device node that is not uringblk; -ENOENT if a node does not exist;
 * -EACCES; -ENOMEM; or an io_uring setup error.
 */
int uringblk_open(const char *path, struct uringblk_dev **out);

/**
 * uringblk_open_index() - open uringblk device number @index
 * @index:	N of /dev/uringblkN
 * @out:	receives the new handle
 *
 * Return: as uringblk_open(); -EINVAL for a negative @index.
 */
int uringblk_open_index(int index, struct uringblk_dev **out);

/**
 * uringblk_close() - close the command device and free the handle
 * @dev:	handle from uringblk_open(), or NULL (no-op)
 */
void uringblk_close(struct uringblk_dev *dev);

/**
 * uringblk_index() - N of /dev/uringblkN
 * @dev:	open handle
 *
 * Return: the device index.
 */
int uringblk_index(const struct uringblk_dev *dev);

/**
 * uringblk_blk_path() - path of the block device node
 * @dev:	open handle
 *
 * Return: "/dev/uringblkN", valid until uringblk_close().
 */
const char *uringblk_blk_path(const struct uringblk_dev *dev);

/**
 * uringblk_chr_path() - path of the command (character) device node
 * @dev:	open handle
 *
 * Return: "/dev/uringblkcN", valid until uringblk_close().
 */
const char *uringblk_chr_path(const struct uringblk_dev *dev);

/**
 * uringblk_chr_fd() - file descriptor of the open command device
 * @dev:	open handle
 *
 * Use it with the prep helpers below on the caller's own ring.  It stays
 * owned by @dev: do not close it.
 *
 * Return: the descriptor (O_RDWR | O_CLOEXEC).
 */
int uringblk_chr_fd(const struct uringblk_dev *dev);

/**
 * uringblk_sysfs_dir() - the block device's sysfs directory
 * @dev:	open handle
 *
 * The driver's counters are in its "uringblk" subdirectory.
 *
 * Return: "/sys/block/uringblkN", valid until uringblk_close().
 */
const char *uringblk_sysfs_dir(const struct uringblk_dev *dev);

/**
 * uringblk_prep_identify() - prepare URINGBLK_CMD_IDENTIFY
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128
 * @fd:		the command device
 * @buf:	reply buffer; must stay valid until the CQE arrives
 *
 * cqe->res will be the number of bytes filled, or a negative errno.
 */
static inline void uringblk_prep_identify(struct io_uring_sqe *sqe, int fd,
					  struct uringblk_identify *buf)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, 0, buf, sizeof(*buf));
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_IDENTIFY, &cmd);
}

/**
 * uringblk_prep_get_stats() - prepare URINGBLK_CMD_GET_STATS
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128
 * @fd:		the command device
 * @buf:	reply buffer; must stay valid until the CQE arrives
 * @flags:	0 or URINGBLK_STATS_F_RESET (needs CAP_SYS_ADMIN)
 *
 * cqe->res will be the number of bytes filled, or a negative errno.
 */
static inline void uringblk_prep_get_stats(struct io_uring_sqe *sqe, int fd,
					   struct uringblk_stats *buf,
					   unsigned int flags)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, flags, buf, sizeof(*buf));
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_GET_STATS, &cmd);
}

/**
 * uringblk_submit_cmd() - run one command synchronously on @dev's ring
 * @dev:	open handle
 * @cmd_op:	URINGBLK_CMD_*
 * @cmd:	payload (see uringblk_cmd_init()); any buffer it points to
 *		is only accessed until this call returns
 * @res:	if not NULL, receives cqe->res once the command completed
 *		(left untouched if it never reached the driver)
 * @res2:	if not NULL, receives cqe->big_cqe[0], the command's second
 *		result (0 where the command defines none)
 *
 * Sleeps until the command completes; signals do not abort the wait.
 *
 * Return: cqe->res (>= 0, meaning per command) or a negative errno, from
 * the driver or from io_uring if the command could not be submitted.
 */
int uringblk_submit_cmd(struct uringblk_dev *dev, __u32 cmd_op,
			const struct uringblk_cmd *cmd, __s32 *res,
			__u64 *res2);

/**
 * uringblk_identify() - IDENTIFY the drive
 * @dev:	open handle
 * @out:	filled; fields this driver does not know read as zero
 *
 * Return: 0 or a negative errno.
 */
int uringblk_identify(struct uringblk_dev *dev, struct uringblk_identify *out);

/**
 * uringblk_get_stats() - snapshot the counters with GET_STATS
 * @dev:	open handle
 * @out:	filled with one consistent snapshot
 * @flags:	0 or URINGBLK_STATS_F_RESET to zero the counters atomically
 *		with the snapshot (-EPERM without CAP_SYS_ADMIN)
 *
 * Return: 0 or a negative errno.
 */
int uringblk_get_stats(struct uringblk_dev *dev, struct uringblk_stats *out,
		       unsigned int flags);

/**
 * uringblk_stats_sysfs() - read the counters from sysfs
 * @dev:	open handle
 * @out:	filled from <sysfs_dir>/uringblk/<field>
 *
 * Each file is read separately, so unlike uringblk_get_stats() the result
 * is not one atomic snapshot while I/O is running.  A counter whose file
 * does not exist (a driver older than this library) reads as zero.
 *
 * Return: 0; -ENOENT if the device has no uringblk sysfs directory;
 * -EBADMSG if a file does not hold a decimal number; or another negative
 * errno from reading.
 */
int uringblk_stats_sysfs(struct uringblk_dev *dev, struct uringblk_stats *out);

/**
 * uringblk_reset_stats_sysfs() - zero the counters through sysfs
 * @dev:	open handle
 *
 * Writes "1" to <sysfs_dir>/uringblk/reset_stats (root only).
 *
 * Return: 0 or a negative errno (-EACCES when not permitted).
 */
int uringblk_reset_stats_sysfs(struct uringblk_dev *dev);

/**
 * uringblk_stats_field_name() - name of the @i-th counter
 * @i:		0-based index in the order of struct uringblk_stats
 *
 * The names are the struct's field names and the sysfs file names.
 *
 * Return: the name, or NULL when @i is past the last counter.
 */
const char *uringblk_stats_field_name(unsigned int i);

/**
 * uringblk_stats_field() - value of the @i-th counter
 * @stats:	counters
 * @i:		index as for uringblk_stats_field_name()
 *
 * Return: the value, 0 when @i is past the last counter.
 */
__u64 uringblk_stats_field(const struct uringblk_stats *stats, unsigned int i);

/**
 * uringblk_feature_name() - short name of feature bit @bit
 * @bit:	bit number in identify.features (URINGBLK_F_FLUSH is bit 0)
 *
 * Return: e.g. "flush", or NULL for a bit this library does not know.
 */
const char *uringblk_feature_name(unsigned int bit);

/**
 * uringblk_strerror() - explain an error of this library or the driver
 * @err:	errno, negative (as returned) or positive
 *
 * The errnos the driver defines for this ABI get their ABI meaning (e.g.
 * -EPROTO is an ABI major mismatch, -E2BIG a reply length above
 * URINGBLK_MAX_REPLY_LEN); others fall back to strerror().
 *
 * Return: a static string; never NULL.
 */
const char *uringblk_strerror(int err);

/**
 * uringblk_strerror_cmd() - explain an error of one command (since 1.5)
 * @cmd_op:	the URINGBLK_CMD_* that failed
 * @err:	its errno, negative (as returned) or positive
 *
 * Every cause of @err for that command, the standard's statuses among them
 * (-ERANGE from EXECUTE is "Invalid Program Index (8Fh): no such slot; or
 * data_len beyond the set's length"); other commands and errnos fall back
 * to uringblk_strerror().  An errno alone cannot say which cause it was:
 * uringblk_dev_strerror() can, from the status the drive reported.
 *
 * Return: a static string; never NULL.
 */
const char *uringblk_strerror_cmd(__u32 cmd_op, int err);

/**
 * uringblk_last_status() - the status of the handle's last failed command (since 1.11)
 * @dev:	the handle
 *
 * The driver reports a failed command's status (enum uringblk_status: an
 * NVMe status, SCT in bits 10:8, SC in bits 7:0) next to its errno; this
 * is the one the last synchronous command on @dev got, if that command
 * was sent by the last call that took @dev.  Every call that takes a
 * handle (not const) forgets the status of the calls before it first
 * (since 1.12), so a call the library refuses itself, with nothing sent
 * (a bad argument, a closed ring...), has none, whatever an earlier call
 * got with the same errno.  Calls that take a const handle (this one,
 * uringblk_dev_strerror(), uringblk_index() and the other accessors)
 * leave it as it is.
 *
 * Return: the status; 0 if that command succeeded, if the last call sent
 * no command (or failed before its command reached the drive), if the
 * driver predates statuses (identify.features lacks URINGBLK_F_STATUS), or
 * if @dev is NULL.
 */
__u16 uringblk_last_status(const struct uringblk_dev *dev);

/**
 * uringblk_status_str() - name a status (since 1.11)
 * @status:	an enum uringblk_status value, or any status the NVMe face
 *		sends (SCT << 8 | SC; since 1.12)
 *
 * Return: a static string with the standard's name of @status, its SCT and
 * SC, and what makes this drive answer it (e.g. "Invalid Program Index
 * (1h/8Fh): no such slot"); NULL for a status this library does not know.
 * A KV command's status is uringblk_kv_strerror()'s to name.
 */
const char *uringblk_status_str(__u16 status);

/**
 * uringblk_dev_strerror() - explain the error of the handle's last command (since 1.11)
 * @dev:	the handle the failed call used (may be NULL)
 * @err:	the errno that call returned, negative or positive
 *
 * When @err is the failure of the command the last call on @dev sent
 * and the driver reported its status (uringblk_last_status()): a command
 * specific, media or vendor status by its name (uringblk_status_str()); a
 * generic one (Invalid Field in Command, ...) by the command's own
 * explanation of @err (uringblk_strerror_cmd()) if it has one, else by
 * name.  Otherwise the same as uringblk_strerror(): a call the library
 * refused itself, before anything was sent, is explained by its errno
 * alone, even after an earlier call's drive failure with the same errno
 * (since 1.12; before, that failure's status was given).  So right after
 * a failed call on @dev, before the next call on it, this is the precise
 * message to show.
 *
 * Return: a static string; never NULL.
 */
const char *uringblk_dev_strerror(const struct uringblk_dev *dev, int err);

#ifdef __cplusplus
}
#endif

#endif /* LIBURINGBLK_DEVICE_H */
