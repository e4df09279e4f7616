/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * <liburingblk/prep.h> - the generic SQE helpers every prep helper stacks
 * on: a command payload and an IORING_OP_URING_CMD SQE of the caller's own
 * ring.
 *
 * Part of <liburingblk.h>, which includes every header of liburingblk.
 */
#ifndef LIBURINGBLK_PREP_H
#define LIBURINGBLK_PREP_H

#include <stddef.h>
#include <string.h>
#include <liburing.h>
#include <liburingblk/uapi/uringblk.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * uringblk_cmd_init() - fill a command payload
 * @cmd:	payload to fill; every field not set here is zeroed, as the
 *		driver requires of reserved fields and unused command words
 * @flags:	per-command URINGBLK_*_F_* flags
 * @addr:	the command's data buffer, or NULL
 * @len:	its length in bytes
 *
 * Sets abi_major/abi_minor to the version this program was compiled
 * against.  Commands that define command words set them afterwards, by
 * name (cmd->exec.lba_start...: the views in <liburingblk/uapi/uringblk.h>).
 */
static inline void uringblk_cmd_init(struct uringblk_cmd *cmd, __u32 flags,
				     void *addr, __u32 len)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->abi_major = URINGBLK_ABI_MAJOR;
	cmd->abi_minor = URINGBLK_ABI_MINOR;
	cmd->flags = flags;
	cmd->addr = (__u64)(unsigned long)addr;
	cmd->len = len;
}

/**
 * uringblk_prep_cmd() - prepare an IORING_OP_URING_CMD SQE for uringblk
 * @sqe:	SQE from io_uring_get_sqe() on a ring set up with
 *		IORING_SETUP_SQE128
 * @fd:		the command device (uringblk_chr_fd()), or a registered
 *		file index if the caller then sets IOSQE_FIXED_FILE
 * @cmd_op:	URINGBLK_CMD_*
 * @cmd:	payload, copied into the SQE (80 bytes at sqe->cmd)
 *
 * The 48-byte SQE header is zeroed apart from opcode, fd and cmd_op, so
 * user_data and sqe->flags must be set after this call.  The payload only
 * fits in a 128-byte SQE: on a ring without IORING_SETUP_SQE128 this
 * overwrites the next SQE slot (and the driver would refuse the command
 * with -EOPNOTSUPP anyway).  liburing 2.3 has no io_uring_prep_uring_cmd(),
 * hence this helper.
 */
static inline void uringblk_prep_cmd(struct io_uring_sqe *sqe, int fd,
				     __u32 cmd_op,
				     const struct uringblk_cmd *cmd)
{
	/* Clears __pad1 and uring_cmd_flags, which io_uring checks too. */
	memset(sqe, 0, offsetof(struct io_uring_sqe, cmd));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = cmd_op;
	memcpy((char *)sqe + offsetof(struct io_uring_sqe, cmd), cmd,
	       sizeof(*cmd));
}

#ifdef __cplusplus
}
#endif

#endif /* LIBURINGBLK_PREP_H */
