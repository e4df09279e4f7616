// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The SNIA layer's errno -> CS_STATUS table (lib/cs_status.c), row by row
 * as lib/README-cs.md documents it; the drive's status deciding over the
 * errno where it says more (cs_status_from_drive(), cs_status_of()); and
 * the status names.
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

/*
 * The drive's status decides: an errno stands for several statuses, and
 * the errno table's guess is wrong for some (the "guess" column is what it
 * answers).
 */
static const struct {
	enum cs_op	op;
	int		err;
	__u16		sc;
	CS_STATUS	st;
	CS_STATUS	guess;
} by_status[] = {
	/* csDownload without CAP_SYS_ADMIN: Access Denied, not Not Downloadable */
	{ CS_OP_DOWNLOAD, -EPERM,  0x4286, CS_NO_PERMISSIONS,	CS_INVALID_ID },
	{ CS_OP_DOWNLOAD, -EPERM,  0x419a, CS_INVALID_ID,	CS_INVALID_ID },
	/* EXECUTE at the runs limit is not a program in use */
	{ CS_OP_COMPUTE,  -EBUSY,  0x47d0, CS_OUT_OF_RESOURCES, CS_HANDLE_IN_USE },
	{ CS_OP_COMPUTE,  -EBUSY,  0x4199, CS_HANDLE_IN_USE,	CS_HANDLE_IN_USE },
	/* EXECUTE's data_len past its set: LBA Out of Range, not a bad index */
	{ CS_OP_COMPUTE,  -ERANGE, 0x4080, CS_INVALID_ARG,	CS_INVALID_ID },
	{ CS_OP_COMPUTE,  -ERANGE, 0x418f, CS_INVALID_ID,	CS_INVALID_ID },
	/* a run stopped at a helper's range check */
	{ CS_OP_COMPUTE,  -ERANGE, 0x47c3, CS_ERROR_IN_EXECUTION, CS_INVALID_ID },
	/* MEM_COPY of an offline zone's LBAs: the status's, as the errno's */
	{ CS_OP_STORAGE,  -EIO,    0x41bb, CS_DEVICE_ERROR,	CS_DEVICE_ERROR },
	{ CS_OP_MEM,	  -ERANGE, 0x4080, CS_UNKNOWN_MEMORY,	CS_UNKNOWN_MEMORY },
	{ CS_OP_DOWNLOAD, -ENOENT, 0x4196, CS_INVALID_ID,	CS_INVALID_ID },
	{ CS_OP_COMPUTE,  -ENOENT, 0x4196, CS_UNKNOWN_COMPUTE_FUNCTION,
					   CS_UNKNOWN_COMPUTE_FUNCTION },
	/* a status that says less than its errno: the errno decides */
	{ CS_OP_OPEN,	  -EPROTO, 0x4002, CS_UNSUPPORTED,	CS_UNSUPPORTED },
	{ CS_OP_DOWNLOAD, -EINVAL, 0x4002, CS_LOAD_ERROR,	CS_LOAD_ERROR },
	{ CS_OP_MEM,	  -E2BIG,  0x4002, CS_INVALID_LENGTH,	CS_INVALID_LENGTH },
	{ CS_OP_MEM,	  -ENOMEM, 0x0006, CS_OUT_OF_RESOURCES, CS_OUT_OF_RESOURCES },
	/* no status (the library's own refusal, an old driver), or unknown */
	{ CS_OP_DOWNLOAD, -EPERM,  0,      CS_INVALID_ID,	CS_INVALID_ID },
	{ CS_OP_COMPUTE,  -EBUSY,  0x07ff, CS_HANDLE_IN_USE,	CS_HANDLE_IN_USE },
};

static void check_by_status(void)
{
	struct uringblk_dev dev = { 0 };
	unsigned int i;

	for (i = 0; i < sizeof(by_status) / sizeof(by_status[0]); i++) {
		CS_STATUS st = cs_status_from_drive(by_status[i].op,
						    by_status[i].err,
						    by_status[i].sc);

		if (st != by_status[i].st)
			fprintf(stderr, "status row %u: op %d errno %d status 0x%x: %s, want %s\n",
				i, by_status[i].op, by_status[i].err, by_status[i].sc,
				uringblk_cs_status_name(st),
				uringblk_cs_status_name(by_status[i].st));
		CHECK_EQ(st, by_status[i].st);
		CHECK_EQ(cs_status_from_errno(by_status[i].op, by_status[i].err),
			 by_status[i].guess);
		/* as a handle's last command left it (uringblk_submit_cmd()) */
		dev.last_res = by_status[i].err;
		dev.last_status = by_status[i].sc;
		CHECK_EQ(cs_status_of(&dev, by_status[i].op, by_status[i].err),
			 by_status[i].st);
		/* a status of another command than the failure's: the errno */
		dev.last_res = by_status[i].err - 1;
		CHECK_EQ(cs_status_of(&dev, by_status[i].op, by_status[i].err),
			 by_status[i].guess);
	}
	CHECK_EQ(cs_status_from_drive(CS_OP_COMPUTE, 0, 0x47d0), CS_SUCCESS);
	CHECK_EQ(cs_status_of(NULL, CS_OP_COMPUTE, -EBUSY), CS_HANDLE_IN_USE);
}

int main(void)
{
	unsigned int i;

	check_by_status();

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
