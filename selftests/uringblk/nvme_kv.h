/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the KV namespace tests (nvme_kv.c, nvme_kv_crash.c) share: the KV
 * commands of a kv drive's NSID 1 (driver/nvme_kv.c) built and sent by
 * ioctl, and the statuses they answer.
 */
#ifndef URINGBLK_NVME_KV_TEST_H
#define URINGBLK_NVME_KV_TEST_H

#include <stdint.h>
#include <string.h>

#include "nvme_test.h"

#define KV_DNR			0x4000
#define KV_SC_INVALID_OPCODE	(KV_DNR | 0x01)
#define KV_SC_INVALID_FIELD	(KV_DNR | 0x02)
#define KV_SC_SGL_INVALID	(KV_DNR | 0x0f)
#define KV_SC_CAPACITY		(KV_DNR | 0x081)
#define KV_SC_VALUE_SIZE	(KV_DNR | 0x085)
#define KV_SC_KEY_SIZE		(KV_DNR | 0x086)
#define KV_SC_NOT_EXIST		(KV_DNR | 0x087)
#define KV_SC_EXISTS		(KV_DNR | 0x089)
#define KV_SC_WRITE_FAULT	(KV_DNR | 0x280)
#define KV_SC_INTERNAL		0x06

enum { KV_STORE = 0x01, KV_RETRIEVE = 0x02, KV_LIST = 0x06, KV_DELETE = 0x10,
       KV_EXIST = 0x14 };
#define KV_MUST_EXIST		(1u << 8)	/* CDW11 store options */
#define KV_MUST_NOT_EXIST	(1u << 9)
#define KV_FEAT_DEL_ERR		0xc0
#define KV_CFS			"/sys/kernel/config/uringblk"

/* A KV command: the key's bytes 0-15 in CDW2, 3, 14, 15 (little-endian). */
static inline struct nvme_passthru_cmd64 kv_cmd(uint8_t op, const void *key,
						uint32_t klen, void *buf,
						uint32_t len, uint32_t cdw10)
{
	struct nvme_passthru_cmd64 c = cmd64(op, 1, buf, len);
	uint8_t k[16] = { 0 };

	memcpy(k, key, klen < 16 ? klen : 16);
	c.cdw2 = le32(k);
	c.cdw3 = le32(k + 4);
	c.cdw14 = le32(k + 8);
	c.cdw15 = le32(k + 12);
	c.cdw10 = cdw10;
	c.cdw11 = klen;
	return c;
}

static inline int kv_io(int fd, struct nvme_passthru_cmd64 *c)
{
	return nvme_ioctl(fd, NVME_IOCTL_IO64_CMD, c);
}

static inline int kv_store(int fd, const void *key, uint32_t klen, const void *val,
			   uint32_t len, uint32_t opts)
{
	struct nvme_passthru_cmd64 c = kv_cmd(KV_STORE, key, klen, (void *)val, len, len);

	c.cdw11 |= opts;
	return kv_io(fd, &c);
}

/* *@size: the completion's DW0, the value's full size */
static inline int kv_retrieve(int fd, const void *key, uint32_t klen, void *buf,
			      uint32_t len, uint64_t *size)
{
	struct nvme_passthru_cmd64 c = kv_cmd(KV_RETRIEVE, key, klen, buf, len, len);
	int ret = kv_io(fd, &c);

	if (size)
		*size = c.result;
	return ret;
}

static inline int kv_delete(int fd, const void *key, uint32_t klen)
{
	struct nvme_passthru_cmd64 c = kv_cmd(KV_DELETE, key, klen, NULL, 0, 0);

	return kv_io(fd, &c);
}

static inline int kv_exist(int fd, const void *key, uint32_t klen)
{
	struct nvme_passthru_cmd64 c = kv_cmd(KV_EXIST, key, klen, NULL, 0, 0);

	return kv_io(fd, &c);
}

static inline int kv_list(int fd, const void *key, uint32_t klen, void *buf, uint32_t len)
{
	struct nvme_passthru_cmd64 c = kv_cmd(KV_LIST, key, klen, buf, len, len);

	return kv_io(fd, &c);
}

/* A value's bytes, from its key's first byte, its length and a generation. */
static inline void kv_fill(uint8_t *buf, uint32_t len, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 12345;

	for (uint32_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
}

#endif /* URINGBLK_NVME_KV_TEST_H */
