// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The SNIA layer's errno -> CS_STATUS table (lib/cs_status.c), row by row
 * as lib/README-cs.md documents it, and the status names.
 */
#include <errno.h>
#include <string.h>

#include "cs_private.h"
#include "test.h"

static const struct {
	enum cs_op	op;
	int		err;
	CS_STATUS	st;
} rows[] = {
	/* the same for every command */
	{ CS_OP_MEM,	  0,		CS_SUCCESS },
	{ CS_OP_MEM,	  -EINVAL,	CS_INVALID_ARG },
	{ CS_OP_COMPUTE,  -EFAULT,	CS_INVALID_ARG },
	{ CS_OP_MEM,	  -E2BIG,	CS_INVALID_LENGTH },
	{ CS_OP_OPEN,	  -ENAMETOOLONG, CS_INVALID_LENGTH },
	{ CS_OP_MEM,	  -ENOMEM,	CS_OUT_OF_RESOURCES },
	{ CS_OP_MEM,	  -ENOSPC,	CS_OUT_OF_RESOURCES },
	{ CS_OP_DOWNLOAD, -ENOSPC,	CS_OUT_OF_RESOURCES },
	{ CS_OP_COMPUTE,  -EDQUOT,	CS_OUT_OF_RESOURCES },
	{ CS_OP_OPEN,	  -EMFILE,	CS_OUT_OF_RESOURCES },
	{ CS_OP_OPEN,	  -EAGAIN,	CS_DEVICE_NOT_READY },
	{ CS_OP_COMPUTE,  -EPERM,	CS_NO_PERMISSIONS },
	{ CS_OP_OPEN,	  -EACCES,	CS_NO_PERMISSIONS },
	{ CS_OP_MEM,	  -EBADF,	CS_NO_PERMISSIONS },
	{ CS_OP_MEM,	  -ENODEV,	CS_DEVICE_NOT_PRESENT },
	{ CS_OP_COMPUTE,  -ENXIO,	CS_ENXIO },
	{ CS_OP_OPEN,	  -ENOENT,	CS_ENOENT },
	{ CS_OP_STORAGE,  -EIO,		CS_DEVICE_ERROR },
	{ CS_OP_MEM,	  -ETIMEDOUT,	CS_IO_TIMEOUT },
	{ CS_OP_MEM,	  -EOPNOTSUPP,	CS_UNSUPPORTED },
	{ CS_OP_OPEN,	  -ENOTTY,	CS_UNSUPPORTED },
	{ CS_OP_OPEN,	  -EPROTO,	CS_UNSUPPORTED },
	{ CS_OP_STORAGE,  -EBUSY,	CS_HANDLE_IN_USE },
	{ CS_OP_COMPUTE,  -ECANCELED,	CS_NOT_DONE },
	{ CS_OP_MEM,	  -EINTR,	CS_NOT_DONE },
	{ CS_OP_COMPUTE,  -EBADSLT,	CS_UNKNOWN_MEMORY },
	{ CS_OP_COMPUTE,  -ENOEXEC,	CS_INVALID_FUNCTION },
	{ CS_OP_OPEN,	  -ERANGE,	CS_INVALID_ARG },
	{ CS_OP_MEM,	  -EHWPOISON,	CS_DEVICE_ERROR },	/* unknown */
	/* where the command changes the meaning */
	{ CS_OP_OPEN,	  -ENODEV,	CS_ENODEV },
	{ CS_OP_OPEN,	  -EINVAL,	CS_ENODEV },
	{ CS_OP_MEM,	  -ERANGE,	CS_UNKNOWN_MEMORY },
	{ CS_OP_MEM,	  -EBUSY,	CS_MEMORY_IN_USE },
	{ CS_OP_STORAGE,  -ERANGE,	CS_INVALID_ARG },
	{ CS_OP_COMPUTE,  -ERANGE,	CS_INVALID_ID },
	{ CS_OP_COMPUTE,  -ENOENT,	CS_UNKNOWN_COMPUTE_FUNCTION },
	{ CS_OP_COMPUTE,  -EBUSY,	CS_HANDLE_IN_USE },
	{ CS_OP_DOWNLOAD, -ERANGE,	CS_INVALID_ID },
	{ CS_OP_DOWNLOAD, -ENOENT,	CS_INVALID_ID },
	{ CS_OP_DOWNLOAD, -EPERM,	CS_INVALID_ID },
	{ CS_OP_DOWNLOAD, -EINVAL,	CS_LOAD_ERROR },
	{ CS_OP_DOWNLOAD, -EOPNOTSUPP,	CS_LOAD_ERROR },
	{ CS_OP_DOWNLOAD, -E2BIG,	CS_LOAD_ERROR },
};

int main(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		CS_STATUS st = cs_status_from_errno(rows[i].op, rows[i].err);

		if (st != rows[i].st)
			fprintf(stderr, "row %u: op %d errno %d: %s, want %s\n",
				i, rows[i].op, rows[i].err,
				uringblk_cs_status_name(st),
				uringblk_cs_status_name(rows[i].st));
		CHECK_EQ(st, rows[i].st);
		/* positive errnos too */
		CHECK_EQ(cs_status_from_errno(rows[i].op, -rows[i].err), rows[i].st);
	}
	/* the names: the enumerators in order, as the drafts list them */
	CHECK_STR(uringblk_cs_status_name(CS_SUCCESS), "CS_SUCCESS");
	CHECK_EQ(CS_SUCCESS, 0);
	CHECK_EQ(CS_UNSUPPORTED, 32);
	CHECK_STR(uringblk_cs_status_name(CS_QUEUED), "CS_QUEUED");
	CHECK_STR(uringblk_cs_status_name(CS_UNSUPPORTED), "CS_UNSUPPORTED");
	for (i = CS_SUCCESS; i <= CS_UNSUPPORTED; i++)
		CHECK(uringblk_cs_status_name(i) != NULL);
	CHECK(uringblk_cs_status_name(CS_UNSUPPORTED + 1) == NULL);
	CHECK(uringblk_cs_status_name((CS_STATUS)-1) == NULL);
	return test_summary("cs_status");
}
