// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk_strerror(): the ABI's errnos get the ABI's meaning, whatever
 * the sign; everything else falls back to strerror().
 */
#include <errno.h>
#include <limits.h>

#include "private.h"
#include "test.h"

static void check_means(int err, const char *needle)
{
	const char *pos = uringblk_strerror(-err);
	const char *neg = uringblk_strerror(err);

	if (!strstr(pos, needle))
		fprintf(stderr, "errno %d: \"%s\" lacks \"%s\"\n", err, pos,
			needle);
	CHECK(strstr(pos, needle) != NULL);
	CHECK(pos == neg);
	/* The point of the table: not just the libc text. */
	CHECK(strcmp(pos, strerror(err)) != 0);
}

int main(void)
{
	check_means(ENOTTY, "unknown command");
	check_means(EOPNOTSUPP, "IORING_SETUP_SQE128");
	check_means(EPROTO, "ABI major");
	check_means(EINVAL, "reserved");
	check_means(EINVAL, "flag");
	check_means(EINVAL, "too small");
	check_means(E2BIG, "URINGBLK_MAX_REPLY_LEN");
	check_means(E2BIG, "URINGBLK_MAX_REPORT_ZONES");
	check_means(EINVAL, "takes none");
	check_means(EFAULT, "buffer");
	check_means(ENODEV, "removed");
	check_means(EPERM, "CAP_SYS_ADMIN");
	check_means(ENOENT, "module loaded");
	check_means(EMEDIUMTYPE, "conventional");
	check_means(ETOOMANYREFS, "open-zones limit");
	check_means(EOVERFLOW, "active-zones limit");
	check_means(ENOSPC, "zone is full");
	check_means(EBADF, "not open for writing");
	check_means(EOPNOTSUPP, "not zoned");
	check_means(EEXIST, "already exists");
	check_means(EPERM, "nr_devices");
	check_means(ENODEV, "configfs");

	/* a command's errno names the status behind it (check-cmd-errors.sh) */
	CHECK(strstr(uringblk_strerror_cmd(URINGBLK_CMD_PROG_LOAD, -E2BIG),
		     "Program Too Big (9Bh)") != NULL);
	CHECK(strstr(uringblk_strerror_cmd(URINGBLK_CMD_EXEC, -EBUSY),
		     "(7h/D0h)") != NULL);
	/* the NVMe face's statuses have names too (check-nvme-statuses.sh) */
	CHECK(uringblk_status_str(0x10e) != NULL &&
	      strstr(uringblk_status_str(0x10e), "Feature Not Changeable") != NULL);
	CHECK(uringblk_status_str(0x00c) != NULL);
	CHECK(uringblk_status_str(0x7ff) == NULL);

	CHECK_STR(uringblk_strerror(-EXDEV), strerror(EXDEV));
	CHECK_STR(uringblk_strerror(EIO), strerror(EIO));
	CHECK_STR(uringblk_strerror(0), "success");
	CHECK(uringblk_strerror(INT_MIN) != NULL);
	CHECK(uringblk_strerror(INT_MAX) != NULL);
	CHECK(uringblk_strerror(-4095) != NULL);
	return test_summary("strerror");
}
