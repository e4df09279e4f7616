/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the NVMe passthrough tests (nvme_passthru.c, nvme_zns.c) share: one
 * command by ioctl or by URING_CMD, and a process without CAP_SYS_ADMIN.
 */
#ifndef URINGBLK_NVME_TEST_H
#define URINGBLK_NVME_TEST_H

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/nvme_ioctl.h>

#include "uringblk_test.h"

/* The syscall's value, or -errno. */
static inline int nvme_ioctl(int fd, unsigned long req, void *arg)
{
	int ret = ioctl(fd, req, arg);

	return ret < 0 ? -errno : ret;
}

/* URING_CMD: cqe->res; big_cqe[0] in *res2 (with CQE32). */
static inline int nvme_uring(struct io_uring *ring, int fd, uint32_t cmd_op,
			     const struct nvme_passthru_cmd64 *c, uint64_t *res2)
{
	struct nvme_uring_cmd uc;
	struct uringblk_cmd raw;

	memcpy(&uc, c, sizeof(uc));
	memset(&raw, 0, sizeof(raw));
	memcpy(&raw, &uc, sizeof(uc));
	return ubt_uring_cmd(ring, fd, cmd_op, &raw, res2);
}

/* Drop CAP_SYS_ADMIN from the effective set (this test's process only). */
static inline int drop_sys_admin(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -errno;
	d[CAP_SYS_ADMIN / 32].effective &= ~(1u << (CAP_SYS_ADMIN % 32));
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

#endif /* URINGBLK_NVME_TEST_H */
