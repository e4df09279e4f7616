// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * liburingblk's errnos as the SNIA API's CS_STATUS.  One table for what an
 * errno means whatever the command, then the errnos whose meaning depends
 * on the command (the drive's statuses: Documentation/uapi/statuses.md).
 * lib/README-cs.md shows the same table; tests/lib/cs_status.c checks it.
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
