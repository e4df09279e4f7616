/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * <liburingblk/kv.h> - objects by key on a KV drive (liburingblk 1.12)
 *
 * Part of <liburingblk.h>, which includes every header of liburingblk.
 *
 * A drive created with the kv option has an NVMe Key Value namespace
 * (CSI 01h) as its NSID 1 (Documentation/dev/nvme-kv.md).  These calls
 * send its standard commands through NVMe passthrough
 * (NVME_IOCTL_IO64_CMD) on the handle's /dev/uringblkcN: Store 01h,
 * Retrieve 02h, List 06h, Delete 10h, Exist 14h, with the key in CDW2-3
 * and CDW14-15 (bytes 0-3, 4-7, 8-11, 12-15, each dword little-endian),
 * its length in CDW11 bits 7:0, the store options in CDW11 bits 9:8 and
 * the value or buffer size in CDW10.
 *
 * Store and Retrieve have the opcodes of an NVM Write and Read: sent to
 * an NVM namespace they would write or read its blocks.  So before the
 * first of these calls on a handle, the library asks the drive which
 * command set NSID 1 is (Identify CNS 05h, CSI 01h, which a caller
 * without CAP_SYS_ADMIN may send) and sends them to a KV namespace only;
 * on any other drive every one of them is -EOPNOTSUPP, with nothing sent
 * (since 1.12's release).  uringblk_kv_select() (the seed dialect's
 * 83h/84h, which no NVM command shares) is not held back: it runs on a
 * KV drive and on an NVM drive with a KV region (kv_nvm_mb).
 *
 * Every call returns 0 (or what it says) or a negative errno; when the
 * drive answered that call with an NVMe status, uringblk_last_status()
 * gives it (SCT << 8 | SC, without DNR and More; 0 for a call refused
 * before anything was sent) and uringblk_kv_strerror() names it.  Statuses to errno:
 *
 *   KV Key Does Not Exist (87h)   -ENOENT
 *   Key Exists (89h)              -EEXIST
 *   Invalid Value Size (85h)      -EFBIG
 *   Invalid Key Size (86h)        -EINVAL (checked here first: 1-16 bytes)
 *   Capacity Exceeded (81h)       -ENOSPC
 *   Invalid Opcode (01h)          -EOPNOTSUPP (not a KV drive)
 *   Invalid Field (02h)           -EINVAL
 *   others                        -EIO
 */
#ifndef LIBURINGBLK_KV_H
#define LIBURINGBLK_KV_H

#include <stddef.h>
#include <linux/nvme_ioctl.h>
#include <liburingblk/device.h>
#include <liburingblk/query.h>

#ifdef __cplusplus
extern "C" {
#endif

#define URINGBLK_KV_MAX_KEY	16	/* bytes of a key, at least 1 */

/* uringblk_kv_put() flags: CDW11 bits 8 and 9 */
#define URINGBLK_KV_MUST_EXIST		(1U << 0)	/* replace only */
#define URINGBLK_KV_MUST_NOT_EXIST	(1U << 1)	/* create only */

/* The standard opcodes of the KV command set */
#define URINGBLK_KV_OP_STORE		0x01
#define URINGBLK_KV_OP_RETRIEVE		0x02
#define URINGBLK_KV_OP_LIST		0x06
#define URINGBLK_KV_OP_DELETE		0x10
#define URINGBLK_KV_OP_EXIST		0x14

/**
 * uringblk_kv_prep() - fill an NVMe command of the KV command set
 * @c:		the command (zeroed here first)
 * @opcode:	URINGBLK_KV_OP_*
 * @key:	@klen bytes (0 for List from the first key)
 * @klen:	0..URINGBLK_KV_MAX_KEY
 * @buf:	the data buffer, or NULL
 * @len:	its length; CDW10 (value size, or host buffer size)
 * @flags:	Store: URINGBLK_KV_MUST_*, else 0
 *
 * NSID 1, the key in CDW2-3 and CDW14-15, CDW11 = klen | flags << 8.
 * No I/O; for tools that send the command themselves (and the tests).
 * Return: 0, or -EINVAL (@klen, @len over 32 bits, both flags, unknown
 * flags).
 */
int uringblk_kv_prep(struct nvme_passthru_cmd64 *c, __u8 opcode,
		     const void *key, size_t klen, void *buf, size_t len,
		     unsigned int flags);

/**
 * uringblk_kv_put() - Store @vlen bytes of @val under @key
 * @dev:	the handle (uringblk_open() of the kv drive)
 * @key:	the key's bytes
 * @klen:	1..URINGBLK_KV_MAX_KEY
 * @val:	the value (may be NULL if @vlen is 0)
 * @vlen:	its size, at most the drive's maximum value length
 * @flags:	0, URINGBLK_KV_MUST_EXIST or URINGBLK_KV_MUST_NOT_EXIST
 *
 * Return: 0 or -errno (see above).
 */
int uringblk_kv_put(struct uringblk_dev *dev, const void *key, size_t klen,
		    const void *val, size_t vlen, unsigned int flags);

/**
 * uringblk_kv_get() - Retrieve @key's value
 * @dev:	the handle (uringblk_open() of the kv drive)
 * @key:	the key's bytes
 * @klen:	1..URINGBLK_KV_MAX_KEY
 * @buflen:	bytes @buf holds (0: only the size)
 * @buf:	where up to @buflen bytes of it go (may be NULL if @buflen 0)
 * @vlen:	out: the value's full size (it may exceed @buflen: then only
 *		@buflen bytes were copied; call again with a bigger buffer)
 *
 * Return: 0 or -errno.
 */
int uringblk_kv_get(struct uringblk_dev *dev, const void *key, size_t klen,
		    void *buf, size_t buflen, size_t *vlen);

/**
 * uringblk_kv_get_alloc() - Retrieve @key's whole value into a new buffer
 * @dev:	the handle (uringblk_open() of the kv drive)
 * @key:	the key's bytes
 * @klen:	1..URINGBLK_KV_MAX_KEY
 * @vlen:	out: its size
 * @val:	out: malloc()ed, to free(); *@vlen bytes (plus a NUL byte
 *		not counted, so that text values are strings)
 *
 * Return: 0 or -errno (-EAGAIN if the value kept growing).
 */
int uringblk_kv_get_alloc(struct uringblk_dev *dev, const void *key,
			  size_t klen, void **val, size_t *vlen);

/**
 * uringblk_kv_exists() - Exist: does @key exist
 * @dev:	the handle (uringblk_open() of the kv drive)
 * @key:	the key's bytes
 * @klen:	1..URINGBLK_KV_MAX_KEY
 *
 * Return: 1 if it exists, 0 if not, or -errno.
 */
int uringblk_kv_exists(struct uringblk_dev *dev, const void *key, size_t klen);

/**
 * uringblk_kv_del() - Delete @key
 * @dev:	the handle (uringblk_open() of the kv drive)
 * @key:	the key's bytes
 * @klen:	1..URINGBLK_KV_MAX_KEY
 *
 * Return: 0 or -errno (-ENOENT if it did not exist and the drive's "error
 * on delete of a non-existent key" feature is on).
 */
int uringblk_kv_del(struct uringblk_dev *dev, const void *key, size_t klen);

/**
 * uringblk_kv_list() - List: the keys from @key (@klen 0: from the first)
 * @dev:	the handle
 * @key:	the first key wanted (it comes first if it exists), or NULL
 * @klen:	0..URINGBLK_KV_MAX_KEY
 * @buf:	the standard list data: Number of Returned Keys (4 bytes LE),
 *		then per key its length (2 bytes LE), its bytes, and zeroes
 *		to a multiple of 4 key bytes
 * @buflen:	at least 4
 * @nkeys:	out: keys in @buf
 *
 * Return: 0 or -errno.
 */
int uringblk_kv_list(struct uringblk_dev *dev, const void *key, size_t klen,
		     void *buf, size_t buflen, unsigned int *nkeys);

/**
 * uringblk_kv_list_next() - the next key of List data
 * @buf:	what uringblk_kv_list() filled
 * @len:	its size
 * @off:	in/out: 4 for the first key; moved past the key returned
 * @key:	out: URINGBLK_KV_MAX_KEY bytes
 * @klen:	out: its length
 *
 * Return: 1 and the key, 0 at the end, -EINVAL if malformed.
 */
int uringblk_kv_list_next(const void *buf, size_t len, size_t *off,
			  __u8 key[URINGBLK_KV_MAX_KEY], size_t *klen);

/**
 * uringblk_kv_status_errno() - the errno of an NVMe status of a KV command
 * @status:	SCT << 8 | SC (DNR and More ignored)
 *
 * Return: 0 for 0, else the negative errno of the table above.
 */
int uringblk_kv_status_errno(__u16 status);

/**
 * uringblk_kv_strerror() - name the NVMe status of a KV command
 * @status:	SCT << 8 | SC (DNR and More ignored)
 *
 * The KV command set's statuses by their KV names (SCT 0h codes 80h-BFh
 * are the command set's own); any other status the drive sends by
 * uringblk_status_str()'s name (since 1.12; before, "an NVMe status this
 * library does not know").
 *
 * Return: a static string, e.g. "KV Key Does Not Exist (0h/87h)"; never NULL
 */
const char *uringblk_kv_strerror(__u16 status);

/**
 * struct uringblk_kv_select_stats - what a select in the drive did
 * @insns:	budget units the program used
 * @bytes_scanned: value bytes its helpers examined
 * @value_len:	the object's size
 * @bytes_to_host: bytes Retrieve Select sent (the result)
 */
struct uringblk_kv_select_stats {
	__u64	insns;
	__u64	bytes_scanned;
	__u64	value_len;
	__u64	bytes_to_host;
};

/**
 * uringblk_kv_select() - run @q over @key's value in the drive
 * @dev:	the handle (uringblk_open() of the kv drive)
 * @key:	the key's bytes
 * @klen:	1..URINGBLK_KV_MAX_KEY
 * @q:		a compiled query (uringblk_query_compile())
 * @res:	its result (uringblk_query_result_free())
 * @stats:	what the run did, or NULL
 *
 * Send Select (83h) with @q's program, then Retrieve Select (84h) of its
 * output: only the result reaches the host (the seed dialect,
 * Documentation/dev/kv-select.md).  The drive runs the program over a
 * snapshot of the value taken under its engine's read lock.
 * Return: 0; -ENOENT (no such key); -ETIME (the budget ran out); -EINVAL
 * (a program the drive refused, or arguments); -E2BIG (more groups than
 * URINGBLK_QUERY_MAX_GROUPS); -EOPNOTSUPP (not a KV drive); -EPROTO.
 */
int uringblk_kv_select(struct uringblk_dev *dev, const void *key, size_t klen,
		       const struct uringblk_query *q,
		       struct uringblk_query_result *res,
		       struct uringblk_kv_select_stats *stats);

/**
 * uringblk_kv_seed_key() - put a key in a seed-dialect command
 * @c:		the command
 * @key:	the key's bytes
 * @klen:	0..URINGBLK_KV_MAX_KEY
 *
 * Byte 0 is the most significant byte of CDW15, bytes 4-7 CDW14, 8-11
 * CDW3, 12-15 CDW2; CDW11 bits 7:0 get @klen.  Return: 0 or -EINVAL.
 */
int uringblk_kv_seed_key(struct nvme_passthru_cmd64 *c, const void *key,
			 size_t klen);

#ifdef __cplusplus
}
#endif

#endif /* LIBURINGBLK_KV_H */
