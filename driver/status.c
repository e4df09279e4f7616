// SPDX-License-Identifier: GPL-2.0
/*
 * The one table of command statuses: which errno the command device gives
 * each status the drive reports, and which status a bare errno stands for.
 * Documentation/uapi/statuses.md is this table for readers, and
 * tests/docs/check-statuses.sh keeps it, the uAPI's enum uringblk_status
 * and liburingblk's names of the statuses in step with it.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/nvme.h>

#include "status.h"

/*
 * The NVMe face answers some statuses by the kernel's names (NVME_SC_*):
 * each is the value of enum uringblk_status that names it, in the headers
 * the module is built against (tests/docs/check-nvme-statuses.sh finds an
 * NVME_SC_* used under driver/ that the enum lacks).
 */
#define SAME_AS_KERNEL(name) \
	static_assert((int)URINGBLK_SC_##name == (int)NVME_SC_##name)
SAME_AS_KERNEL(INVALID_OPCODE);
SAME_AS_KERNEL(INVALID_FIELD);
SAME_AS_KERNEL(INVALID_NS);
SAME_AS_KERNEL(CMD_SEQ_ERROR);
SAME_AS_KERNEL(SGL_INVALID_DATA);
SAME_AS_KERNEL(INVALID_IO_CMD_SET);
SAME_AS_KERNEL(LBA_RANGE);
SAME_AS_KERNEL(CAP_EXCEEDED);
SAME_AS_KERNEL(NS_NOT_READY);
SAME_AS_KERNEL(ASYNC_LIMIT);
SAME_AS_KERNEL(INVALID_LOG_PAGE);
SAME_AS_KERNEL(FEATURE_NOT_SAVEABLE);
SAME_AS_KERNEL(FEATURE_NOT_CHANGEABLE);
SAME_AS_KERNEL(ZONE_BOUNDARY_ERROR);
SAME_AS_KERNEL(ZONE_FULL);
SAME_AS_KERNEL(ZONE_READ_ONLY);
SAME_AS_KERNEL(ZONE_OFFLINE);
SAME_AS_KERNEL(ZONE_INVALID_WRITE);
SAME_AS_KERNEL(ZONE_TOO_MANY_ACTIVE);
SAME_AS_KERNEL(ZONE_TOO_MANY_OPEN);
SAME_AS_KERNEL(ZONE_INVALID_TRANSITION);
SAME_AS_KERNEL(WRITE_FAULT);
SAME_AS_KERNEL(READ_ERROR);
SAME_AS_KERNEL(COMPARE_FAILED);
SAME_AS_KERNEL(ACCESS_DENIED);

/* A stopped run's status is 0x7c0 | its abort code (exec_run.c). */
static_assert(URINGBLK_SC_PROG_ABORT_BUDGET == (0x7c0 | URINGBLK_PROG_ABORT_BUDGET));
static_assert(URINGBLK_SC_PROG_ABORT_MEM == (0x7c0 | URINGBLK_PROG_ABORT_MEM));
static_assert(URINGBLK_SC_PROG_ABORT_RANGE == (0x7c0 | URINGBLK_PROG_ABORT_RANGE));
static_assert(URINGBLK_SC_PROG_ABORT_ARG == (0x7c0 | URINGBLK_PROG_ABORT_ARG));
static_assert(URINGBLK_SC_PROG_ABORT_DEPTH == (0x7c0 | URINGBLK_PROG_ABORT_DEPTH));

/*
 * A status the model reports, and the errno cqe->res then carries.  The
 * statuses only the NVMe face sends have a row too (the errno a model
 * function returning one would give), so that every value of enum
 * uringblk_status has exactly one errno.
 */
static const struct {
	u16	status;
	u16	err;
} uringblk_status_errnos[] = {
	{ URINGBLK_SC_INVALID_OPCODE,		ENOTTY },
	{ URINGBLK_SC_INVALID_FIELD,		EINVAL },
	{ URINGBLK_SC_DATA_XFER_ERROR,		EFAULT },
	{ URINGBLK_SC_INTERNAL,			ENOMEM },
	{ URINGBLK_SC_ABORT_REQ,		EINTR },
	{ URINGBLK_SC_INVALID_NS,		EINVAL },
	{ URINGBLK_SC_CMD_SEQ_ERROR,		EINVAL },
	{ URINGBLK_SC_SGL_INVALID_DATA,		EINVAL },
	{ URINGBLK_SC_NS_WRITE_PROTECTED,	EBADF },
	{ URINGBLK_SC_INVALID_IO_CMD_SET,	EINVAL },
	{ URINGBLK_SC_LBA_RANGE,		ERANGE },
	{ URINGBLK_SC_CAP_EXCEEDED,		ENOSPC },
	{ URINGBLK_SC_NS_NOT_READY,		ENODEV },
	{ URINGBLK_SC_KV_INVALID_VALUE_SIZE,	EFBIG },
	{ URINGBLK_SC_KV_INVALID_KEY_SIZE,	EINVAL },
	{ URINGBLK_SC_KV_KEY_NOT_EXIST,		ENOENT },
	{ URINGBLK_SC_KV_UNRECOVERED,		EIO },
	{ URINGBLK_SC_KV_KEY_EXISTS,		EEXIST },
	{ URINGBLK_SC_ASYNC_LIMIT,		EBUSY },
	{ URINGBLK_SC_INVALID_LOG_PAGE,		EINVAL },
	{ URINGBLK_SC_FEATURE_NOT_SAVEABLE,	EINVAL },
	{ URINGBLK_SC_FEATURE_NOT_CHANGEABLE,	EINVAL },
	{ URINGBLK_SC_CMD_SIZE_LIMIT,		E2BIG },
	{ URINGBLK_SC_FAST_COPY_NOT_POSSIBLE,	EINVAL },
	{ URINGBLK_SC_INSUFFICIENT_PROG_RES,	ENOSPC },
	{ URINGBLK_SC_INVALID_MEM_NS,		EINVAL },
	{ URINGBLK_SC_INVALID_MEM_RANGE_SET,	ERANGE },
	{ URINGBLK_SC_INVALID_MEM_RANGE_SET_ID,	EBADSLT },
	{ URINGBLK_SC_INVALID_PROG_DATA,	EINVAL },
	{ URINGBLK_SC_INVALID_PROG_INDEX,	ERANGE },
	{ URINGBLK_SC_INVALID_PROG_TYPE,	EINVAL },
	{ URINGBLK_SC_MAX_MEM_RANGES,		E2BIG },
	{ URINGBLK_SC_MAX_MEM_RANGE_SETS,	ENOSPC },
	{ URINGBLK_SC_MAX_PROGS_ACTIVATED,	EDQUOT },
	{ URINGBLK_SC_MEM_RANGE_SET_IN_USE,	EBUSY },
	{ URINGBLK_SC_NO_PROGRAM,		ENOENT },
	{ URINGBLK_SC_OVERLAPPING_MEM_RANGES,	EINVAL },
	{ URINGBLK_SC_PROG_NOT_ACTIVATED,	ENOEXEC },
	{ URINGBLK_SC_PROG_IN_USE,		EBUSY },
	{ URINGBLK_SC_PROG_NOT_DOWNLOADABLE,	EPERM },
	{ URINGBLK_SC_PROG_TOO_BIG,		E2BIG },
	{ URINGBLK_SC_ZONE_BOUNDARY_ERROR,	EINVAL },
	{ URINGBLK_SC_ZONE_FULL,		ENOSPC },
	{ URINGBLK_SC_ZONE_READ_ONLY,		EROFS },
	{ URINGBLK_SC_ZONE_OFFLINE,		EIO },
	{ URINGBLK_SC_ZONE_INVALID_WRITE,	EINVAL },
	{ URINGBLK_SC_ZONE_TOO_MANY_ACTIVE,	EOVERFLOW },
	{ URINGBLK_SC_ZONE_TOO_MANY_OPEN,	ETOOMANYREFS },
	{ URINGBLK_SC_ZONE_INVALID_TRANSITION,	EINVAL },
	{ URINGBLK_SC_WRITE_FAULT,		EIO },
	{ URINGBLK_SC_READ_ERROR,		EIO },
	{ URINGBLK_SC_COMPARE_FAILED,		EILSEQ },
	{ URINGBLK_SC_ACCESS_DENIED,		EPERM },
	{ URINGBLK_SC_PROG_ABORT_BUDGET,	ETIME },
	{ URINGBLK_SC_PROG_ABORT_MEM,		EFAULT },
	{ URINGBLK_SC_PROG_ABORT_RANGE,		ERANGE },
	{ URINGBLK_SC_PROG_ABORT_ARG,		EINVAL },
	{ URINGBLK_SC_PROG_ABORT_DEPTH,		ELOOP },
	{ URINGBLK_SC_RUNS_LIMIT,		EBUSY },
};

/*
 * The status of a failure reported as a bare errno: what that errno means
 * wherever the model returns it bare (a model function returns the status
 * itself where its errno would stand for several).  An errno not listed
 * is an Internal Error.
 */
static const struct {
	u16	err;
	u16	status;
} uringblk_errno_statuses[] = {
	{ ENOTTY,	URINGBLK_SC_INVALID_OPCODE },
	{ EOPNOTSUPP,	URINGBLK_SC_INVALID_OPCODE },
	{ EPROTO,	URINGBLK_SC_INVALID_FIELD },
	{ EINVAL,	URINGBLK_SC_INVALID_FIELD },
	{ E2BIG,	URINGBLK_SC_INVALID_FIELD },
	{ EFAULT,	URINGBLK_SC_DATA_XFER_ERROR },
	{ ENOMEM,	URINGBLK_SC_INTERNAL },
	{ EINTR,	URINGBLK_SC_ABORT_REQ },
	{ EBADF,	URINGBLK_SC_NS_WRITE_PROTECTED },
	{ ERANGE,	URINGBLK_SC_LBA_RANGE },
	{ ENODEV,	URINGBLK_SC_NS_NOT_READY },
	{ EIO,		URINGBLK_SC_READ_ERROR },
	{ EPERM,	URINGBLK_SC_ACCESS_DENIED },
	{ EACCES,	URINGBLK_SC_ACCESS_DENIED },
	{ ENOENT,	URINGBLK_SC_NO_PROGRAM },
	{ ENOEXEC,	URINGBLK_SC_PROG_NOT_ACTIVATED },
	{ EDQUOT,	URINGBLK_SC_MAX_PROGS_ACTIVATED },
	{ EBADSLT,	URINGBLK_SC_INVALID_MEM_RANGE_SET_ID },
	{ ENOSPC,	URINGBLK_SC_ZONE_FULL },
	{ EROFS,	URINGBLK_SC_ZONE_READ_ONLY },
	{ ETOOMANYREFS,	URINGBLK_SC_ZONE_TOO_MANY_OPEN },
	{ EOVERFLOW,	URINGBLK_SC_ZONE_TOO_MANY_ACTIVE },
	{ EMEDIUMTYPE,	URINGBLK_SC_INVALID_FIELD },
	{ ETIME,	URINGBLK_SC_PROG_ABORT_BUDGET },
	{ ELOOP,	URINGBLK_SC_PROG_ABORT_DEPTH },
};

/* uringblk_status_errno() for a status: the table's errno (-EIO if none). */
int __uringblk_status_errno(int ret)
{
	u16 st = -ret & ~URINGBLK_ST_BIAS;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(uringblk_status_errnos); i++)
		if (uringblk_status_errnos[i].status == st)
			return -uringblk_status_errnos[i].err;
	return -EIO;
}

/**
 * uringblk_status() - the status of a model function's return value
 * @ret: >= 0, -errno or uringblk_st(status)
 *
 * Return: 0 for success, the status @ret carries, or that of its errno.
 */
u16 uringblk_status(int ret)
{
	unsigned int i;

	if (ret >= 0)
		return URINGBLK_SC_SUCCESS;
	if (uringblk_is_st(ret))
		return -ret & ~URINGBLK_ST_BIAS;
	for (i = 0; i < ARRAY_SIZE(uringblk_errno_statuses); i++)
		if (uringblk_errno_statuses[i].err == -ret)
			return uringblk_errno_statuses[i].status;
	return URINGBLK_SC_INTERNAL;
}
