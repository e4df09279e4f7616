// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The drive's answers as the SNIA API's CS_STATUS.  The status the drive
 * reported, when there is one, decides (a row for every value of enum
 * uringblk_status: tests/lib/statuses.c walks the enum); a status that
 * says less than its errno (Invalid Field in Command stands for -EINVAL,
 * -EPROTO, -E2BIG, ...), and a failure with no status (the library's own,
 * a driver before ABI 1.9), go by the errno: one table for what an errno
 * means whatever the command, then the errnos whose meaning depends on the
 * command (Documentation/uapi/statuses.md).  lib/README-cs.md shows the
 * same tables; tests/lib/cs_status.c checks them.
 */
#include <errno.h>

#include "cs_private.h"

struct cs_errmap {
	int		err;
	CS_STATUS	status;
};

/* the same for every command */
static const struct cs_errmap common[] = {
	{ EINVAL,	CS_INVALID_ARG },	/* a field the drive refused */
	{ EFAULT,	CS_INVALID_ARG },	/* a host buffer it cannot reach */
	{ E2BIG,	CS_INVALID_LENGTH },	/* above a limit (83h, 91h, 9Bh) */
	{ ENAMETOOLONG,	CS_INVALID_LENGTH },
	{ ENOMEM,	CS_OUT_OF_RESOURCES },	/* host or driver memory */
	{ ENOSPC,	CS_OUT_OF_RESOURCES },	/* no free slot (8Ah), no set (92h) */
	{ EDQUOT,	CS_OUT_OF_RESOURCES },	/* Maximum Programs Activated (93h) */
	{ EMFILE,	CS_OUT_OF_RESOURCES },
	{ ENFILE,	CS_OUT_OF_RESOURCES },
	{ EAGAIN,	CS_DEVICE_NOT_READY },
	{ EPERM,	CS_NO_PERMISSIONS },	/* needs CAP_SYS_ADMIN */
	{ EACCES,	CS_NO_PERMISSIONS },
	{ EBADF,	CS_NO_PERMISSIONS },	/* command device not writable */
	{ ENODEV,	CS_DEVICE_NOT_PRESENT },	/* the drive was removed */
	{ ENXIO,	CS_ENXIO },
	{ ENOENT,	CS_ENOENT },
	{ EIO,		CS_DEVICE_ERROR },	/* Unrecovered Read Error */
	{ ETIMEDOUT,	CS_IO_TIMEOUT },
	{ EOPNOTSUPP,	CS_UNSUPPORTED },	/* no SLM, not this kind of drive */
	{ ENOTTY,	CS_UNSUPPORTED },	/* a driver without the command */
	{ EPROTO,	CS_UNSUPPORTED },	/* ABI major mismatch */
	{ EBUSY,	CS_HANDLE_IN_USE },
	{ ECANCELED,	CS_NOT_DONE },		/* an earlier linked step failed */
	{ EINTR,	CS_NOT_DONE },
	{ EBADSLT,	CS_UNKNOWN_MEMORY },	/* Invalid Memory Range Set Identifier (8Dh) */
	{ ERANGE,	CS_INVALID_ARG },
	{ ENOEXEC,	CS_INVALID_FUNCTION },	/* Program Not Activated (98h) */
};

/* where the command changes the meaning */
static const struct {
	enum cs_op	op;
	int		err;
	CS_STATUS	status;
} special[] = {
	{ CS_OP_OPEN,	  ENODEV,  CS_ENODEV },	/* not a uringblk node */
	{ CS_OP_OPEN,	  EINVAL,  CS_ENODEV },	/* not a device name */
	{ CS_OP_MEM,	  ERANGE,  CS_UNKNOWN_MEMORY },	/* outside SLM (8Ch) */
	{ CS_OP_MEM,	  EBUSY,   CS_MEMORY_IN_USE },	/* set in use (95h) */
	{ CS_OP_STORAGE,  ERANGE,  CS_INVALID_ARG },	/* LBA Out of Range */
	{ CS_OP_COMPUTE,  ERANGE,  CS_INVALID_ID },	/* Invalid Program Index (8Fh) */
	{ CS_OP_COMPUTE,  ENOENT,  CS_UNKNOWN_COMPUTE_FUNCTION }, /* No Program (96h) */
	{ CS_OP_COMPUTE,  EBUSY,   CS_HANDLE_IN_USE },	/* Program In Use (99h) */
	{ CS_OP_DOWNLOAD, ERANGE,  CS_INVALID_ID },	/* Invalid Program Index (8Fh) */
	{ CS_OP_DOWNLOAD, ENOENT,  CS_INVALID_ID },	/* No Program (96h) to unload */
	{ CS_OP_DOWNLOAD, EPERM,   CS_INVALID_ID },	/* Not Downloadable (9Ah)... */
	{ CS_OP_DOWNLOAD, EINVAL,  CS_LOAD_ERROR },	/* the validator refused it */
	{ CS_OP_DOWNLOAD, EOPNOTSUPP, CS_LOAD_ERROR },	/* maps, kfuncs */
	{ CS_OP_DOWNLOAD, E2BIG,   CS_LOAD_ERROR },	/* Program Too Big (9Bh) */
};

CS_STATUS cs_status_from_errno(enum cs_op op, int err)
{
	unsigned int i;

	if (err < 0)
		err = -err;
	if (!err)
		return CS_SUCCESS;
	for (i = 0; i < ARRAY_SIZE(special); i++)
		if (special[i].op == op && special[i].err == err)
			return special[i].status;
	for (i = 0; i < ARRAY_SIZE(common); i++)
		if (common[i].err == err)
			return common[i].status;
	return CS_DEVICE_ERROR;
}

/* the errno says more than the status: read the errno tables above */
#define BY_ERRNO	((CS_STATUS)-1)

/* what a status means whatever the command */
static const struct {
	__u16		sc;
	CS_STATUS	status;
} by_status[] = {
	{ URINGBLK_SC_INVALID_OPCODE,		BY_ERRNO },
	{ URINGBLK_SC_INVALID_FIELD,		BY_ERRNO },
	{ URINGBLK_SC_DATA_XFER_ERROR,		CS_INVALID_ARG },
	{ URINGBLK_SC_INTERNAL,			BY_ERRNO },	/* any errno without a status */
	{ URINGBLK_SC_ABORT_REQ,		CS_NOT_DONE },
	{ URINGBLK_SC_INVALID_NS,		CS_INVALID_ARG },
	{ URINGBLK_SC_CMD_SEQ_ERROR,		CS_INVALID_ARG },
	{ URINGBLK_SC_SGL_INVALID_DATA,		CS_INVALID_LENGTH },
	{ URINGBLK_SC_NS_WRITE_PROTECTED,	CS_NO_PERMISSIONS },
	{ URINGBLK_SC_INVALID_IO_CMD_SET,	CS_UNSUPPORTED },
	{ URINGBLK_SC_LBA_RANGE,		CS_INVALID_ARG },
	{ URINGBLK_SC_CAP_EXCEEDED,		CS_OUT_OF_RESOURCES },
	{ URINGBLK_SC_NS_NOT_READY,		CS_DEVICE_NOT_PRESENT },
	{ URINGBLK_SC_KV_INVALID_VALUE_SIZE,	CS_INVALID_LENGTH },
	{ URINGBLK_SC_KV_INVALID_KEY_SIZE,	CS_INVALID_LENGTH },
	{ URINGBLK_SC_KV_KEY_NOT_EXIST,		CS_NO_SUCH_ENTITY_EXISTS },
	{ URINGBLK_SC_KV_UNRECOVERED,		CS_DEVICE_ERROR },
	{ URINGBLK_SC_KV_KEY_EXISTS,		CS_INVALID_ARG },
	{ URINGBLK_SC_ASYNC_LIMIT,		CS_OUT_OF_RESOURCES },
	{ URINGBLK_SC_INVALID_LOG_PAGE,		CS_INVALID_ARG },
	{ URINGBLK_SC_FEATURE_NOT_SAVEABLE,	CS_UNSUPPORTED },
	{ URINGBLK_SC_FEATURE_NOT_CHANGEABLE,	CS_UNSUPPORTED },
	{ URINGBLK_SC_CMD_SIZE_LIMIT,		CS_INVALID_LENGTH },
	{ URINGBLK_SC_FAST_COPY_NOT_POSSIBLE,	CS_UNSUPPORTED },
	{ URINGBLK_SC_INSUFFICIENT_PROG_RES,	CS_OUT_OF_RESOURCES },
	{ URINGBLK_SC_INVALID_MEM_NS,		CS_UNKNOWN_MEMORY },
	{ URINGBLK_SC_INVALID_MEM_RANGE_SET,	CS_UNKNOWN_MEMORY },
	{ URINGBLK_SC_INVALID_MEM_RANGE_SET_ID,	CS_UNKNOWN_MEMORY },
	{ URINGBLK_SC_INVALID_PROG_DATA,	CS_LOAD_ERROR },
	{ URINGBLK_SC_INVALID_PROG_INDEX,	CS_INVALID_ID },
	{ URINGBLK_SC_INVALID_PROG_TYPE,	CS_LOAD_ERROR },
	{ URINGBLK_SC_MAX_MEM_RANGES,		CS_INVALID_LENGTH },
	{ URINGBLK_SC_MAX_MEM_RANGE_SETS,	CS_OUT_OF_RESOURCES },
	{ URINGBLK_SC_MAX_PROGS_ACTIVATED,	CS_OUT_OF_RESOURCES },
	{ URINGBLK_SC_MEM_RANGE_SET_IN_USE,	CS_MEMORY_IN_USE },
	{ URINGBLK_SC_NO_PROGRAM,		CS_UNKNOWN_COMPUTE_FUNCTION },
	{ URINGBLK_SC_OVERLAPPING_MEM_RANGES,	CS_INVALID_ARG },
	{ URINGBLK_SC_PROG_NOT_ACTIVATED,	CS_INVALID_FUNCTION },
	{ URINGBLK_SC_PROG_IN_USE,		CS_HANDLE_IN_USE },
	{ URINGBLK_SC_PROG_NOT_DOWNLOADABLE,	CS_INVALID_ID },
	{ URINGBLK_SC_PROG_TOO_BIG,		CS_LOAD_ERROR },
	{ URINGBLK_SC_ZONE_BOUNDARY_ERROR,	CS_INVALID_ARG },
	{ URINGBLK_SC_ZONE_FULL,		CS_OUT_OF_RESOURCES },
	{ URINGBLK_SC_ZONE_READ_ONLY,		CS_DEVICE_ERROR },
	{ URINGBLK_SC_ZONE_OFFLINE,		CS_DEVICE_ERROR },
	{ URINGBLK_SC_ZONE_INVALID_WRITE,	CS_INVALID_ARG },
	{ URINGBLK_SC_ZONE_TOO_MANY_ACTIVE,	CS_OUT_OF_RESOURCES },
	{ URINGBLK_SC_ZONE_TOO_MANY_OPEN,	CS_OUT_OF_RESOURCES },
	{ URINGBLK_SC_ZONE_INVALID_TRANSITION,	CS_INVALID_ARG },
	{ URINGBLK_SC_WRITE_FAULT,		CS_DEVICE_ERROR },
	{ URINGBLK_SC_READ_ERROR,		CS_DEVICE_ERROR },
	{ URINGBLK_SC_COMPARE_FAILED,		CS_DEVICE_ERROR },
	{ URINGBLK_SC_ACCESS_DENIED,		CS_NO_PERMISSIONS },
	{ URINGBLK_SC_PROG_ABORT_BUDGET,	CS_ERROR_IN_EXECUTION },
	{ URINGBLK_SC_PROG_ABORT_MEM,		CS_ERROR_IN_EXECUTION },
	{ URINGBLK_SC_PROG_ABORT_RANGE,		CS_ERROR_IN_EXECUTION },
	{ URINGBLK_SC_PROG_ABORT_ARG,		CS_ERROR_IN_EXECUTION },
	{ URINGBLK_SC_PROG_ABORT_DEPTH,		CS_ERROR_IN_EXECUTION },
	{ URINGBLK_SC_RUNS_LIMIT,		CS_OUT_OF_RESOURCES },
};

/* where the command changes a status's meaning */
static const struct {
	enum cs_op	op;
	__u16		sc;
	CS_STATUS	status;
} special_status[] = {
	{ CS_OP_MEM,	  URINGBLK_SC_LBA_RANGE,  CS_UNKNOWN_MEMORY },	/* outside SLM */
	{ CS_OP_DOWNLOAD, URINGBLK_SC_NO_PROGRAM, CS_INVALID_ID },	/* nothing to unload */
};

bool cs_status_known(__u16 sc)
{
	unsigned int i;

	sc &= 0x7ff;
	for (i = 0; i < ARRAY_SIZE(by_status); i++)
		if (by_status[i].sc == sc)
			return true;
	return false;
}

CS_STATUS cs_status_from_drive(enum cs_op op, int err, __u16 sc)
{
	unsigned int i;

	sc &= 0x7ff;	/* SCT and SC: no DNR, no More */
	if (err >= 0 || !sc)
		return cs_status_from_errno(op, err);
	for (i = 0; i < ARRAY_SIZE(special_status); i++)
		if (special_status[i].op == op && special_status[i].sc == sc)
			return special_status[i].status;
	for (i = 0; i < ARRAY_SIZE(by_status); i++)
		if (by_status[i].sc == sc)
			return by_status[i].status == BY_ERRNO ?
			       cs_status_from_errno(op, err) : by_status[i].status;
	return cs_status_from_errno(op, err);
}

__u16 cs_drive_status(const struct uringblk_dev *dev, int err)
{
	return dev && err < 0 && dev->last_res == err ? dev->last_status : 0;
}

static const char *const status_names[] = {
#define N(s) [s] = #s
	N(CS_SUCCESS), N(CS_COULD_NOT_MAP_MEMORY), N(CS_DEVICE_ERROR),
	N(CS_DEVICE_NOT_AVAILABLE), N(CS_DEVICE_NOT_READY),
	N(CS_DEVICE_NOT_PRESENT), N(CS_ENODEV), N(CS_ENOENT),
	N(CS_ENTITY_NOT_ON_DEVICE), N(CS_ENXIO), N(CS_ERROR_IN_EXECUTION),
	N(CS_FATAL_ERROR), N(CS_HANDLE_IN_USE), N(CS_INVALID_HANDLE),
	N(CS_INVALID_ARG), N(CS_INVALID_EVENT), N(CS_INVALID_ID),
	N(CS_INVALID_LENGTH), N(CS_INVALID_OPTION), N(CS_INVALID_FUNCTION),
	N(CS_INVALID_FUNCTION_NAME), N(CS_IO_TIMEOUT), N(CS_LOAD_ERROR),
	N(CS_MEMORY_IN_USE), N(CS_NO_PERMISSIONS), N(CS_NOT_DONE),
	N(CS_NOT_ENOUGH_MEMORY), N(CS_NO_SUCH_ENTITY_EXISTS),
	N(CS_OUT_OF_RESOURCES), N(CS_QUEUED), N(CS_UNKNOWN_MEMORY),
	N(CS_UNKNOWN_COMPUTE_FUNCTION), N(CS_UNSUPPORTED),
#undef N
};

const char *uringblk_cs_status_name(CS_STATUS status)
{
	if ((unsigned int)status >= ARRAY_SIZE(status_names))
		return NULL;
	return status_names[status];
}
