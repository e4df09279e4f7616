// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Objects by key on a KV drive (<liburingblk/kv.h>): the NVMe Key Value
 * command set's commands, marshalled here and sent with
 * NVME_IOCTL_IO64_CMD to NSID 1 of the handle's character device.  The
 * ioctl returns the NVMe status (positive) or -1 and errno, as
 * drivers/nvme/host/ioctl.c does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "private.h"

#define KV_NSID		1
#define KV_CSI		0x01	/* the Key Value command set */
#define STATUS_MASK	0x7ff	/* SCT and SC: no DNR, no More */

/*
 * The KV command set's statuses, and those of the NVMe face's that a KV
 * command gets (SCT 0h codes 80h-BFh are the command set's own: these are
 * the KV set's).  Any other status the drive sends is named by
 * uringblk_status_str() (which names these too, with less to say about a
 * KV command); tests/docs/check-nvme-statuses.sh fails when the KV engine
 * (driver/kv/kv_engine.c, kv_status_to_nvme()) can answer a status this
 * table does not name, and when a row is not a value of enum
 * uringblk_status.
 */
static const struct {
	__u16		status;
	int		err;
	const char	*name;
} kv_statuses[] = {
	{ URINGBLK_SC_INVALID_OPCODE, -EOPNOTSUPP, "Invalid Command Opcode (0h/01h): not a KV drive, or not this command" },
	{ URINGBLK_SC_INVALID_FIELD, -EINVAL, "Invalid Field in Command (0h/02h)" },
	{ URINGBLK_SC_INTERNAL, -EIO, "Internal Error (0h/06h)" },
	{ URINGBLK_SC_SGL_INVALID_DATA, -EINVAL, "Data SGL Length Invalid (0h/0Fh): the buffer is shorter than the size given" },
	{ URINGBLK_SC_CAP_EXCEEDED, -ENOSPC, "Capacity Exceeded (0h/81h): the drive is full" },
	{ URINGBLK_SC_KV_INVALID_VALUE_SIZE, -EFBIG, "KV Invalid Value Size (0h/85h): over the drive's maximum value length" },
	{ URINGBLK_SC_KV_INVALID_KEY_SIZE, -EINVAL, "KV Invalid Key Size (0h/86h): a key is 1 to 16 bytes" },
	{ URINGBLK_SC_KV_KEY_NOT_EXIST, -ENOENT, "KV Key Does Not Exist (0h/87h)" },
	{ URINGBLK_SC_KV_UNRECOVERED, -EIO, "KV Unrecovered Error (0h/88h): a media read failed or the value's CRC did not match" },
	{ URINGBLK_SC_KV_KEY_EXISTS, -EEXIST, "KV Key Exists (0h/89h)" },
	{ URINGBLK_SC_WRITE_FAULT, -EIO, "Write Fault (2h/80h)" },
	{ URINGBLK_SC_READ_ERROR, -EIO, "Unrecovered Read Error (2h/81h)" },
};

int uringblk_kv_status_errno(__u16 status)
{
	status &= STATUS_MASK;
	if (!status)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(kv_statuses); i++)
		if (kv_statuses[i].status == status)
			return kv_statuses[i].err;
	return -EIO;
}

const char *uringblk_kv_strerror(__u16 status)
{
	const char *name;

	status &= STATUS_MASK;
	if (!status)
		return "Successful Completion (0h/00h)";
	for (size_t i = 0; i < ARRAY_SIZE(kv_statuses); i++)
		if (kv_statuses[i].status == status)
			return kv_statuses[i].name;
	name = uringblk_status_str(status);
	return name ? name : "an NVMe status this library does not know";
}

int uringblk_kv_prep(struct nvme_passthru_cmd64 *c, __u8 opcode,
		     const void *key, size_t klen, void *buf, size_t len,
		     unsigned int flags)
{
	__u8 k[URINGBLK_KV_MAX_KEY] = { 0 };

	memset(c, 0, sizeof(*c));
	if (klen > URINGBLK_KV_MAX_KEY || (klen && !key) || len > UINT32_MAX ||
	    (flags & ~(URINGBLK_KV_MUST_EXIST | URINGBLK_KV_MUST_NOT_EXIST)) ||
	    flags == (URINGBLK_KV_MUST_EXIST | URINGBLK_KV_MUST_NOT_EXIST))
		return -EINVAL;
	if (klen)
		memcpy(k, key, klen);
	c->opcode = opcode;
	c->nsid = KV_NSID;
	/* each dword little-endian: the key's byte 0 is CDW2's low byte */
	c->cdw2 = k[0] | k[1] << 8 | k[2] << 16 | (__u32)k[3] << 24;
	c->cdw3 = k[4] | k[5] << 8 | k[6] << 16 | (__u32)k[7] << 24;
	c->cdw14 = k[8] | k[9] << 8 | k[10] << 16 | (__u32)k[11] << 24;
	c->cdw15 = k[12] | k[13] << 8 | k[14] << 16 | (__u32)k[15] << 24;
	c->cdw10 = (__u32)len;
	c->cdw11 = (__u32)klen | flags << 8;
	c->addr = (__u64)(uintptr_t)buf;
	c->data_len = (__u32)len;
	return 0;
}

/*
 * Is NSID 1 a Key Value namespace?  The standard KV opcodes are NVM
 * opcodes too (Store 01h is Write, Retrieve 02h is Read): sent to an NVM
 * namespace they would write or read its blocks.  So before the first
 * one, Identify CNS 05h (I/O command set specific namespace) with CSI
 * 01h: a KV namespace answers, any other answers a status (Invalid
 * Field).  CNS 05h is one a caller without CAP_SYS_ADMIN may send (Linux
 * 6.2's nvme_cmd_allowed(), which the drive follows).  The answer is kept
 * in the handle.  Return: 0, -EOPNOTSUPP (not a KV namespace), or the
 * ioctl's -errno (not kept).
 */
static int kv_ns_ok(struct uringblk_dev *dev)
{
	__u8 id[4096];		/* the answer: only whether there is one matters */
	struct nvme_passthru_cmd64 c = {
		.opcode		= 0x06,		/* Identify */
		.nsid		= KV_NSID,
		.cdw10		= 0x05,		/* CNS 05h */
		.cdw11		= (__u32)KV_CSI << 24,
		.addr		= (__u64)(uintptr_t)id,
		.data_len	= sizeof(id),
	};
	int ret;

	if (dev->kv_ns)
		return dev->kv_ns > 0 ? 0 : dev->kv_ns;
	ret = ioctl(dev->fd, NVME_IOCTL_ADMIN64_CMD, &c);
	if (ret < 0)
		return -errno;
	dev->kv_ns = ret ? -EOPNOTSUPP : 1;
	return dev->kv_ns > 0 ? 0 : dev->kv_ns;
}

/*
 * Send @c, a standard KV command, to a KV namespace only (kv_ns_ok()); 0,
 * or -errno with the NVMe status kept for uringblk_last_status()
 */
static int kv_cmd(struct uringblk_dev *dev, struct nvme_passthru_cmd64 *c)
{
	int ret;

	if (!dev)
		return -EINVAL;
	ret = kv_ns_ok(dev);
	if (ret) {
		dev->last_cmd_op = 0;
		dev->last_status = 0;
		dev->last_res = ret;
		return ret;
	}
	ret = ioctl(dev->fd, NVME_IOCTL_IO64_CMD, c);
	dev->last_cmd_op = 0;
	dev->last_status = 0;
	if (ret < 0) {
		ret = -errno;
	} else if (ret > 0) {
		dev->last_status = (__u16)(ret & STATUS_MASK);
		ret = uringblk_kv_status_errno((__u16)ret);
	}
	dev->last_res = ret;
	return ret;
}

/* A key of 1-16 bytes, checked before anything is sent */
static int kv_key_ok(const void *key, size_t klen)
{
	return key && klen >= 1 && klen <= URINGBLK_KV_MAX_KEY ? 0 : -EINVAL;
}

int uringblk_kv_put(struct uringblk_dev *dev, const void *key, size_t klen,
		    const void *val, size_t vlen, unsigned int flags)
{
	struct nvme_passthru_cmd64 c;
	int ret = kv_key_ok(key, klen);

	uringblk__begin(dev);
	if (!ret && vlen && !val)
		ret = -EINVAL;
	if (!ret)
		ret = uringblk_kv_prep(&c, URINGBLK_KV_OP_STORE, key, klen,
				       (void *)val, vlen, flags);
	return ret ? ret : kv_cmd(dev, &c);
}

int uringblk_kv_get(struct uringblk_dev *dev, const void *key, size_t klen,
		    void *buf, size_t buflen, size_t *vlen)
{
	struct nvme_passthru_cmd64 c;
	int ret = kv_key_ok(key, klen);

	uringblk__begin(dev);
	if (!ret && buflen && !buf)
		ret = -EINVAL;
	if (!ret)
		ret = uringblk_kv_prep(&c, URINGBLK_KV_OP_RETRIEVE, key, klen,
				       buf, buflen, 0);
	if (!ret)
		ret = kv_cmd(dev, &c);
	if (!ret && vlen)
		*vlen = (size_t)(__u32)c.result;	/* DW0: the full size */
	return ret;
}

int uringblk_kv_get_alloc(struct uringblk_dev *dev, const void *key,
			  size_t klen, void **val, size_t *vlen)
{
	size_t len = 4096, full = 0;
	void *buf = NULL;
	int ret;

	uringblk__begin(dev);
	*val = NULL;
	*vlen = 0;
	/* the value may grow between the calls: retry until it fits */
	for (int tries = 0; tries < 8; tries++) {
		void *nb = realloc(buf, len + 1);

		if (!nb) {
			free(buf);
			return -ENOMEM;
		}
		buf = nb;
		ret = uringblk_kv_get(dev, key, klen, buf, len, &full);
		if (ret) {
			free(buf);
			return ret;
		}
		if (full <= len) {
			((char *)buf)[full] = '\0';
			*val = buf;
			*vlen = full;
			return 0;
		}
		len = full;
	}
	free(buf);
	return -EAGAIN;
}

int uringblk_kv_exists(struct uringblk_dev *dev, const void *key, size_t klen)
{
	struct nvme_passthru_cmd64 c;
	int ret = kv_key_ok(key, klen);

	uringblk__begin(dev);
	if (!ret)
		ret = uringblk_kv_prep(&c, URINGBLK_KV_OP_EXIST, key, klen,
				       NULL, 0, 0);
	if (!ret)
		ret = kv_cmd(dev, &c);
	if (ret == -ENOENT)
		return 0;
	return ret ? ret : 1;
}

int uringblk_kv_del(struct uringblk_dev *dev, const void *key, size_t klen)
{
	struct nvme_passthru_cmd64 c;
	int ret = kv_key_ok(key, klen);

	uringblk__begin(dev);
	if (!ret)
		ret = uringblk_kv_prep(&c, URINGBLK_KV_OP_DELETE, key, klen,
				       NULL, 0, 0);
	return ret ? ret : kv_cmd(dev, &c);
}

int uringblk_kv_list(struct uringblk_dev *dev, const void *key, size_t klen,
		     void *buf, size_t buflen, unsigned int *nkeys)
{
	struct nvme_passthru_cmd64 c;
	const __u8 *b = buf;
	int ret = 0;

	uringblk__begin(dev);
	if ((klen && kv_key_ok(key, klen)) || !buf || buflen < 4)
		return -EINVAL;
	ret = uringblk_kv_prep(&c, URINGBLK_KV_OP_LIST, key, klen, buf, buflen, 0);
	if (!ret)
		ret = kv_cmd(dev, &c);
	if (!ret && nkeys)
		*nkeys = b[0] | b[1] << 8 | b[2] << 16 | (unsigned int)b[3] << 24;
	return ret;
}

int uringblk_kv_list_next(const void *buf, size_t len, size_t *off,
			  __u8 key[URINGBLK_KV_MAX_KEY], size_t *klen)
{
	const __u8 *b = buf;
	size_t o = *off, n;

	if (o >= len)
		return 0;
	if (len - o < 2)
		return -EINVAL;
	n = b[o] | b[o + 1] << 8;
	if (!n)
		return 0;	/* zero padding: no more keys */
	if (n > URINGBLK_KV_MAX_KEY || len - o - 2 < n)
		return -EINVAL;
	memcpy(key, b + o + 2, n);
	*klen = n;
	/* the key's bytes padded to a multiple of 4 */
	o += 2 + ((n + 3) & ~(size_t)3);
	*off = o < len ? o : len;
	return 1;
}
