// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * <liburingblk/kv.h> without a drive: ioctl() is wrapped (-Wl,--wrap=ioctl)
 * by a model of the KV namespace that decodes each command the way the
 * NVMe KV command set lays it out (key bytes 0-3 in CDW2 ... 12-15 in
 * CDW15, each dword little-endian; CDW11 7:0 the key length, bits 8 and 9
 * the store options; CDW10 the value or buffer size; Retrieve's DW0 the
 * full size) and answers with the KV statuses, so that a key or a size
 * put in the wrong place, or a status mapped to the wrong errno, fails.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "test.h"

int __real_ioctl(int fd, unsigned long req, ...);

#define NOBJ	8
static struct {
	__u8	key[16];
	size_t	klen;
	__u8	val[64];
	size_t	vlen;
	bool	used;
} objs[NOBJ];
static int calls;
/* NSID 1's command set: 01h KV, or 00h NVM (where Store would be a Write) */
static __u8 ns_csi = 0x01;
static int identifies, io_cmds;

/* Identify CNS 05h of NSID 1: answered for its own command set only */
static int identify(const struct nvme_passthru_cmd64 *c)
{
	identifies++;
	if (c->opcode != 0x06 || c->nsid != 1 || (c->cdw10 & 0xff) != 0x05 ||
	    c->data_len != 4096 || !c->addr)
		return 0x4002;
	return (c->cdw11 >> 24) == ns_csi ? 0 : 0x4002;
}

static void key_of(const struct nvme_passthru_cmd64 *c, __u8 k[16])
{
	const __u32 dw[4] = { c->cdw2, c->cdw3, c->cdw14, c->cdw15 };

	for (int i = 0; i < 16; i++)
		k[i] = (__u8)(dw[i / 4] >> (8 * (i % 4)));
}

static int find(const __u8 *k, size_t klen)
{
	for (int i = 0; i < NOBJ; i++)
		if (objs[i].used && objs[i].klen == klen && !memcmp(objs[i].key, k, klen))
			return i;
	return -1;
}

/* the model: a positive NVMe status (with DNR, as a drive sets it) or 0 */
static int model(struct nvme_passthru_cmd64 *c)
{
	__u32 klen = c->cdw11 & 0xff, opts = (c->cdw11 >> 8) & 3;
	__u8 k[16];
	int i;

	if (c->nsid != 1 || (c->cdw11 >> 10))
		return 0x4002;
	if ((klen < 1 && c->opcode != 0x06) || klen > 16)
		return 0x4086;
	key_of(c, k);
	for (__u32 b = klen; b < 16; b++)
		if (k[b])
			return 0x4002;	/* bytes past the key must be zero */
	i = find(k, klen);
	switch (c->opcode) {
	case 0x01:
		if (opts == 3)
			return 0x4002;
		if (c->cdw10 > 64)
			return 0x4085;
		if (c->data_len < c->cdw10)
			return 0x400f;
		if (opts == 1 && i < 0)
			return 0x4087;
		if (opts == 2 && i >= 0)
			return 0x4089;
		if (i < 0) {
			for (i = 0; i < NOBJ && objs[i].used; i++)
				;
			if (i == NOBJ)
				return 0x4081;
		}
		objs[i].used = true;
		memcpy(objs[i].key, k, klen);
		objs[i].klen = klen;
		memcpy(objs[i].val, (void *)(uintptr_t)c->addr, c->cdw10);
		objs[i].vlen = c->cdw10;
		return 0;
	case 0x02:
		if (i < 0)
			return 0x4087;
		memcpy((void *)(uintptr_t)c->addr, objs[i].val,
		       objs[i].vlen < c->cdw10 ? objs[i].vlen : c->cdw10);
		c->result = objs[i].vlen;
		return 0;
	case 0x10:
		if (i < 0)
			return 0x4087;
		objs[i].used = false;
		return 0;
	case 0x14:
		return i < 0 ? 0x4087 : 0;
	case 0x06: {
		__u8 *b = (void *)(uintptr_t)c->addr;
		__u32 pos = 4, n = 0;

		memset(b, 0, c->cdw10);
		for (i = 0; i < NOBJ; i++) {
			if (!objs[i].used)
				continue;
			b[pos] = (__u8)objs[i].klen;
			memcpy(b + pos + 2, objs[i].key, objs[i].klen);
			pos += 2 + ((objs[i].klen + 3) & ~3u);
			n++;
		}
		b[0] = (__u8)n;
		return 0;
	}
	}
	return 0x4001;
}

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd != -77)
		return __real_ioctl(fd, req, arg);
	calls++;
	if (req == NVME_IOCTL_ADMIN64_CMD)
		return identify(arg);
	if (req != NVME_IOCTL_IO64_CMD) {
		errno = ENOTTY;
		return -1;
	}
	io_cmds++;
	return model(arg);
}

static void test_prep(void)
{
	struct nvme_passthru_cmd64 c;
	const __u8 key[16] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
			       0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10 };
	char buf[8];

	CHECK_EQ(uringblk_kv_prep(&c, 0x01, key, 16, buf, 8, URINGBLK_KV_MUST_EXIST), 0);
	CHECK_EQ(c.opcode, 0x01);
	CHECK_EQ(c.nsid, 1);
	CHECK_EQ(c.cdw2, 0x04030201);
	CHECK_EQ(c.cdw3, 0x08070605);
	CHECK_EQ(c.cdw14, 0x0c0b0a09);
	CHECK_EQ(c.cdw15, 0x100f0e0d);
	CHECK_EQ(c.cdw10, 8);
	CHECK_EQ(c.cdw11, 16 | 1 << 8);
	CHECK_EQ(c.data_len, 8);
	CHECK(c.addr == (__u64)(uintptr_t)buf);
	CHECK_EQ(uringblk_kv_prep(&c, 0x01, key, 3, buf, 8, URINGBLK_KV_MUST_NOT_EXIST), 0);
	CHECK_EQ(c.cdw2, 0x00030201);
	CHECK_EQ(c.cdw3 | c.cdw14 | c.cdw15, 0);
	CHECK_EQ(c.cdw11, 3 | 2 << 8);
	CHECK_EQ(uringblk_kv_prep(&c, 0x01, key, 17, buf, 8, 0), -EINVAL);
	CHECK_EQ(uringblk_kv_prep(&c, 0x01, key, 1, buf, 8, 3), -EINVAL);
	CHECK_EQ(uringblk_kv_prep(&c, 0x01, key, 1, buf, 8, 4), -EINVAL);
	CHECK_EQ(uringblk_kv_prep(&c, 0x01, key, 1, buf, 1ULL << 32, 0), -EINVAL);
}

static void test_statuses(void)
{
	CHECK_EQ(uringblk_kv_status_errno(0), 0);
	CHECK_EQ(uringblk_kv_status_errno(0x4087), -ENOENT);
	CHECK_EQ(uringblk_kv_status_errno(0x089), -EEXIST);
	CHECK_EQ(uringblk_kv_status_errno(0x4085), -EFBIG);
	CHECK_EQ(uringblk_kv_status_errno(0x4086), -EINVAL);
	CHECK_EQ(uringblk_kv_status_errno(0x4081), -ENOSPC);
	CHECK_EQ(uringblk_kv_status_errno(0x4001), -EOPNOTSUPP);
	CHECK_EQ(uringblk_kv_status_errno(0x6002), -EINVAL);
	CHECK_EQ(uringblk_kv_status_errno(0x3ff), -EIO);
	CHECK(strstr(uringblk_kv_strerror(0x4087), "Does Not Exist") != NULL);
	CHECK(strstr(uringblk_kv_strerror(0x089), "Key Exists") != NULL);
	CHECK(strstr(uringblk_kv_strerror(0x7ff), "does not know") != NULL);
	/* the KV engine's media read failure (Documentation/dev/nvme-kv.md) */
	CHECK(strstr(uringblk_kv_strerror(0x4088), "KV Unrecovered Error (0h/88h)") != NULL);
	CHECK_EQ(uringblk_kv_status_errno(0x4088), -EIO);
	/* the NVMe face's other statuses, by uringblk_status_str()'s names */
	CHECK(strstr(uringblk_kv_strerror(0x400b), "Invalid Namespace") != NULL);
	CHECK_STR(uringblk_kv_strerror(0x400b), uringblk_status_str(0x00b));
	/* the KV set's 81h is its own (Capacity Exceeded), not LBA's 80h */
	CHECK(strstr(uringblk_kv_strerror(0x081), "Capacity Exceeded") != NULL);
}

static void test_calls(void)
{
	struct uringblk_dev *dev = calloc(1, sizeof(*dev));
	const __u8 zkey[3] = { 0, 0, 0 }, zkey2[2] = { 0, 0 };
	__u8 buf[256], key[16];
	size_t vlen = 0, klen, off;
	unsigned int n = 0;
	void *val;
	int seen = 0, r;

	dev->fd = -77;
	CHECK_EQ(uringblk_kv_put(dev, "alpha", 5, "hello", 5, 0), 0);
	CHECK_EQ(uringblk_kv_put(dev, "alpha", 5, "x", 1, URINGBLK_KV_MUST_NOT_EXIST), -EEXIST);
	CHECK_EQ(uringblk_last_status(dev), 0x089);
	CHECK_EQ(uringblk_kv_put(dev, "beta", 4, "x", 1, URINGBLK_KV_MUST_EXIST), -ENOENT);
	CHECK_EQ(uringblk_last_status(dev), 0x087);
	CHECK_EQ(uringblk_kv_put(dev, "beta", 4, buf, 65, 0), -EFBIG);
	/* keys of zero bytes, and keys that differ only in length */
	CHECK_EQ(uringblk_kv_put(dev, zkey, 3, "three", 5, 0), 0);
	CHECK_EQ(uringblk_kv_put(dev, zkey2, 2, "two", 3, 0), 0);
	CHECK_EQ(uringblk_kv_get(dev, zkey, 3, buf, sizeof(buf), &vlen), 0);
	CHECK_EQ(vlen, 5);
	CHECK(!memcmp(buf, "three", 5));
	CHECK_EQ(uringblk_last_status(dev), 0);
	/* a short buffer: DW0 says the full size */
	memset(buf, '#', sizeof(buf));
	CHECK_EQ(uringblk_kv_get(dev, "alpha", 5, buf, 2, &vlen), 0);
	CHECK_EQ(vlen, 5);
	CHECK(!memcmp(buf, "he##", 4));
	CHECK_EQ(uringblk_kv_get_alloc(dev, "alpha", 5, &val, &vlen), 0);
	CHECK_EQ(vlen, 5);
	CHECK(val && !strcmp(val, "hello"));
	free(val);
	CHECK_EQ(uringblk_kv_get(dev, "gamma", 5, buf, 8, &vlen), -ENOENT);
	CHECK_EQ(uringblk_kv_exists(dev, "alpha", 5), 1);
	CHECK_EQ(uringblk_kv_exists(dev, "alph", 4), 0);
	CHECK_EQ(uringblk_kv_list(dev, NULL, 0, buf, sizeof(buf), &n), 0);
	CHECK_EQ(n, 3);
	off = 4;
	while ((r = uringblk_kv_list_next(buf, sizeof(buf), &off, key, &klen)) == 1)
		seen += (klen == 5 && !memcmp(key, "alpha", 5)) +
			(klen == 3 && !memcmp(key, zkey, 3)) * 2 +
			(klen == 2 && !memcmp(key, zkey2, 2)) * 4;
	CHECK_EQ(r, 0);
	CHECK_EQ(seen, 7);
	CHECK_EQ(uringblk_kv_del(dev, "alpha", 5), 0);
	CHECK_EQ(uringblk_kv_del(dev, "alpha", 5), -ENOENT);
	CHECK_EQ(uringblk_kv_exists(dev, "alpha", 5), 0);
	/* refused before anything is sent */
	calls = 0;
	CHECK_EQ(uringblk_kv_put(dev, "", 0, "x", 1, 0), -EINVAL);
	CHECK_EQ(uringblk_kv_put(dev, "0123456789abcdefg", 17, "x", 1, 0), -EINVAL);
	CHECK_EQ(uringblk_kv_put(dev, "k", 1, "x", 1, 3), -EINVAL);
	CHECK_EQ(uringblk_kv_get(dev, "k", 1, NULL, 4, &vlen), -EINVAL);
	CHECK_EQ(uringblk_kv_list(dev, NULL, 0, buf, 3, &n), -EINVAL);
	CHECK_EQ(calls, 0);
	/* malformed list data */
	memset(buf, 0, 8);
	buf[4] = 17;
	off = 4;
	CHECK_EQ(uringblk_kv_list_next(buf, 8, &off, key, &klen), -EINVAL);
	buf[4] = 5;
	off = 4;
	CHECK_EQ(uringblk_kv_list_next(buf, 8, &off, key, &klen), -EINVAL);
	free(dev);
}

/*
 * On an NVM namespace the standard calls send nothing: Store would be a
 * Write of its blocks, Retrieve a Read.  The namespace is asked once per
 * handle.
 */
static void test_not_kv(void)
{
	struct uringblk_dev *dev = calloc(1, sizeof(*dev)), *kv = calloc(1, sizeof(*kv));
	__u8 buf[64];
	size_t vlen;
	unsigned int n;
	void *val;

	dev->fd = kv->fd = -77;
	ns_csi = 0x00;
	io_cmds = identifies = 0;
	CHECK_EQ(uringblk_kv_put(dev, "alpha", 5, "hello", 5, 0), -EOPNOTSUPP);
	CHECK_EQ(uringblk_last_status(dev), 0);
	CHECK_EQ(uringblk_kv_get(dev, "alpha", 5, buf, sizeof(buf), &vlen), -EOPNOTSUPP);
	CHECK_EQ(uringblk_kv_get_alloc(dev, "alpha", 5, &val, &vlen), -EOPNOTSUPP);
	CHECK_EQ(uringblk_kv_exists(dev, "alpha", 5), -EOPNOTSUPP);
	CHECK_EQ(uringblk_kv_del(dev, "alpha", 5), -EOPNOTSUPP);
	CHECK_EQ(uringblk_kv_list(dev, NULL, 0, buf, sizeof(buf), &n), -EOPNOTSUPP);
	CHECK_EQ(io_cmds, 0);
	CHECK_EQ(identifies, 1);
	/* a KV namespace: asked once, then every call goes */
	ns_csi = 0x01;
	CHECK_EQ(uringblk_kv_exists(kv, "nope", 4), 0);
	CHECK_EQ(uringblk_kv_exists(kv, "nope", 4), 0);
	CHECK_EQ(identifies, 2);
	CHECK_EQ(io_cmds, 2);
	free(dev);
	free(kv);
}

int main(void)
{
	test_prep();
	test_statuses();
	test_calls();
	test_not_kv();
	return test_summary("kv");
}
