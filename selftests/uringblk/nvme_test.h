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

/* Little-endian fields of the drive's data structures. */
static inline uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* An NVMe command for the 64-bit ioctls and, less its result, URING_CMD. */
static inline struct nvme_passthru_cmd64 cmd64(uint8_t opcode, uint32_t nsid, void *buf,
					       uint32_t len)
{
	return (struct nvme_passthru_cmd64) {
		.opcode = opcode, .nsid = nsid,
		.addr = (uintptr_t)buf, .data_len = len,
	};
}

#endif /* URINGBLK_NVME_TEST_H */
