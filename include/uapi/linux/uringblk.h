/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * uringblk - an emulated computational storage drive.
 *
 * This header is the one contract between the driver, liburingblk, the
 * CLI and the tests.  Everything that crosses the user/kernel boundary is
 * defined here and nowhere else.
 *
 * Device nodes (N = device index):
 *   /dev/uringblkN    the block device (read/write/flush/discard/...)
 *   /dev/uringblkcN   the command device: takes io_uring IORING_OP_URING_CMD
 *
 * Command transport
 * -----------------
 * Every command is an IORING_OP_URING_CMD SQE on /dev/uringblkcN with
 *   sqe->cmd_op = one of the URINGBLK_CMD_* values below, and
 *   sqe->cmd    = a struct uringblk_cmd (80 bytes).
 * 80 payload bytes only exist in 128-byte SQEs, so the ring MUST be set up
 * with IORING_SETUP_SQE128; without it every command fails with
 * -EOPNOTSUPP before any payload byte is read.  IORING_SETUP_CQE32 is
 * optional: when present, cqe->big_cqe[0] carries a second 64-bit result
 * (documented per command; 0 where none is defined).
 * IORING_SETUP_IOPOLL rings are refused by io_uring itself (-EOPNOTSUPP):
 * the command device has no uring_cmd_iopoll.
 *
 * cqe->res is >= 0 on success (meaning per command) or a negative errno.
 *
 * Compatibility rules
 * -------------------
 * - abi_major must equal URINGBLK_ABI_MAJOR, else -EPROTO.  A major bump
 *   means an incompatible change.  abi_minor is the client's minor; the
 *   driver accepts any value and reports its own in IDENTIFY.
 * - Reserved fields and unknown flag bits must be zero, else -EINVAL, so
 *   that they can be given a meaning later without breaking old clients.
 * - Replies are extensible structs (like statx/clone3): the client passes
 *   a buffer of len bytes; len below the reply's version-0 size is -EINVAL,
 *   len above URINGBLK_MAX_REPLY_LEN is -E2BIG.  The driver writes
 *   min(len, its struct size) bytes, zero-fills the rest of the buffer and
 *   returns the number of bytes it filled in cqe->res.  Fields a newer
 *   client knows but this driver does not therefore read as zero.
 * - Features a client may rely on are announced in identify.features.
 */
#ifndef _UAPI_LINUX_URINGBLK_H
#define _UAPI_LINUX_URINGBLK_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define URINGBLK_ABI_MAJOR	1
#define URINGBLK_ABI_MINOR	0

#define URINGBLK_BLKDEV_NAME	"uringblk"	/* /dev/uringblkN */
#define URINGBLK_CHRDEV_NAME	"uringblkc"	/* /dev/uringblkcN */

/* Largest reply buffer any command accepts. */
#define URINGBLK_MAX_REPLY_LEN	4096

/**
 * struct uringblk_cmd - the payload of every uringblk URING_CMD (sqe->cmd)
 * @abi_major:	must be URINGBLK_ABI_MAJOR
 * @abi_minor:	client's minor version (informational)
 * @flags:	per-command flags (URINGBLK_*_F_*); unknown bits -> -EINVAL
 * @addr:	user address of the command's data buffer
 * @len:	length of that buffer in bytes
 * @rsvd0:	must be zero
 * @cdw:	command-specific words; every word a command does not define
 *		must be zero
 *
 * The driver reads the SQE payload exactly once, so a client rewriting
 * the SQE while the command is in flight cannot change what is validated.
 */
struct uringblk_cmd {
	__u16	abi_major;
	__u16	abi_minor;
	__u32	flags;
	__u64	addr;
	__u32	len;
	__u32	rsvd0;
	__u64	cdw[7];
};

#define URINGBLK_IOC_MAGIC	'U'

/*
 * IDENTIFY: fill a struct uringblk_identify at addr/len.
 *   flags, cdw[]: must be zero.
 *   res: bytes filled.
 */
#define URINGBLK_CMD_IDENTIFY	_IOWR(URINGBLK_IOC_MAGIC, 0x01, struct uringblk_cmd)

/*
 * GET_STATS: fill a struct uringblk_stats at addr/len.
 *   flags: URINGBLK_STATS_F_RESET also zeroes the counters after the
 *          snapshot (needs CAP_SYS_ADMIN, else -EPERM).
 *   cdw[]: must be zero.
 *   res: bytes filled.
 */
#define URINGBLK_CMD_GET_STATS	_IOWR(URINGBLK_IOC_MAGIC, 0x02, struct uringblk_cmd)
#define URINGBLK_STATS_F_RESET	(1U << 0)

/* Numbers 0x10-0x1f are reserved for program commands, 0x20-0x2f for zones. */

/* identify.features */
#define URINGBLK_F_FLUSH	(1ULL << 0)	/* volatile cache: REQ_OP_FLUSH honoured */
#define URINGBLK_F_FUA		(1ULL << 1)	/* REQ_FUA honoured */
#define URINGBLK_F_DISCARD	(1ULL << 2)	/* discarded blocks read back as zeroes */
#define URINGBLK_F_WRITE_ZEROES	(1ULL << 3)
#define URINGBLK_F_POLL		(1ULL << 4)	/* has poll queues (IOPOLL on the block device) */
#define URINGBLK_F_STATS_RESET	(1ULL << 5)	/* GET_STATS honours URINGBLK_STATS_F_RESET */
#define URINGBLK_F_ZONED	(1ULL << 6)	/* reserved: zoned model */
#define URINGBLK_F_COMPUTE	(1ULL << 7)	/* reserved: program load/exec */

/* identify.backing */
#define URINGBLK_BACKING_MEM	0	/* sparse in-memory page store */
#define URINGBLK_BACKING_FILE	1	/* reserved: a regular file */

/**
 * struct uringblk_identify - who the drive is and what it can do
 *
 * All sizes are in bytes unless the name says otherwise; sector = 512 B.
 */
struct uringblk_identify {
	__u16	abi_major;		/* driver's URINGBLK_ABI_MAJOR */
	__u16	abi_minor;		/* driver's URINGBLK_ABI_MINOR */
	__u32	dev_index;		/* N in /dev/uringblkN */
	__u64	features;		/* URINGBLK_F_* */
	__u64	capacity;		/* bytes */
	__u32	logical_block_size;
	__u32	physical_block_size;
	__u32	nr_hw_queues;		/* all hardware queues, poll ones included */
	__u32	nr_poll_queues;		/* of which polled (HCTX_TYPE_POLL) */
	__u32	queue_depth;		/* tags per hardware queue */
	__u32	backing;		/* URINGBLK_BACKING_* */
	__u32	max_hw_sectors;		/* largest read/write, 512 B sectors */
	__u32	max_discard_sectors;
	__u32	max_write_zeroes_sectors;
	__u32	max_reply_len;		/* URINGBLK_MAX_REPLY_LEN */
	char	model[32];		/* NUL-padded ASCII */
	char	firmware_rev[16];	/* driver version, NUL-padded */
	__u64	rsvd[18];		/* zero; future limits (programs, zones) */
};

/**
 * struct uringblk_stats - the drive's counters (also in sysfs)
 *
 * Counters are exact: each completed request is counted once, at
 * completion, by its type.  bytes_to_host counts data the drive moved into
 * host memory on the data path (READ payloads; later, program results); the
 * control-plane replies of IDENTIFY/GET_STATS are not counted, so reading
 * the counters does not change them.  in_flight and backing_bytes are
 * gauges, not counters: a reset leaves them alone.
 */
struct uringblk_stats {
	__u64	read_ops;
	__u64	read_bytes;
	__u64	write_ops;
	__u64	write_bytes;
	__u64	flush_ops;
	__u64	discard_ops;
	__u64	discard_bytes;
	__u64	write_zeroes_ops;
	__u64	write_zeroes_bytes;
	__u64	fua_ops;		/* writes carrying REQ_FUA (also in write_ops) */
	__u64	errors;			/* requests completed with an error */
	__u64	in_flight;		/* requests started, not yet completed */
	__u64	bytes_to_host;
	__u64	backing_bytes;		/* memory/file space holding data now (a gauge) */
	__u64	rsvd[18];		/* zero; future counters */
};

#endif /* _UAPI_LINUX_URINGBLK_H */
