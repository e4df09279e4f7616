/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The KV drive: the KV engine (driver/kv/, kv_engine.h) wired to a drive
 * (kv_ns.c), which its NVMe Key Value namespace (nvme_kv.c, nvme_kv_seed.c,
 * declared in nvme.h) drives: the standard commands here, the seed dialect
 * and select queries on top of it.
 *
 * A drive created with the `kv` option (Documentation/admin/runtime-drives.md)
 * holds one KV image on its whole media; its NSID 1 is a KV namespace (CSI
 * 01h) instead of an NVM one.  The engine reaches the media through bios
 * on the drive's own disk, so fault injection, the timing model and the
 * read/write counters see the engine's media I/O as any other.  A drive
 * with `kv_nvm_mb` keeps an NVM namespace and holds the image in a region
 * hidden after its capacity, reached through the backend (kv_ns.c); only
 * the seed dialect (81h-84h) reaches it, on NSID 1.
 *
 * Locking: dev->lock (read) -> kv->lock.  uringblk_kv_get() takes both and
 * checks that the drive is not being removed; removal takes dev->lock for
 * write, so once it has it no KV call runs, then closes the engine.
 * Nothing waits on a client's memory under these locks: values travel
 * through kernel bounce buffers filled before and emptied after (the
 * helpers below do that).
 */
#ifndef URINGBLK_KV_NS_H
#define URINGBLK_KV_NS_H

#include <linux/nvme_ioctl.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/uio.h>

#include "kv/kv_engine.h"

struct uringblk_dev;
struct uringblk_msg;

/*
 * Select results kept between Send Select (83h) and Retrieve Select (84h),
 * nvme_kv_seed.c (kept and freed with the drive here, kv_ns.c): @lock protects
 * all of it; @closed once the drive is removed (no result is kept after).
 */
struct uringblk_kv_sel {
	struct mutex	lock;
	bool		closed;
	u32		next_id;
	struct {
		u32	id;	/* 0: free */
		u32	len;
		void	*buf;
	} res[16];		/* URINGBLK_KV_SELECT_SLOTS */
};

/**
 * struct uringblk_kv - a drive's KV namespace
 * @lock:	the engine's lock (kv_engine.h: write for store, delete,
 *		close; read for the rest)
 * @engine:	the open engine; NULL once closed at removal
 * @media:	the engine's view of the disk
 * @max_value_len: the image's, fixed while it is open (Store refuses
 *		a larger value before bouncing it, without the locks)
 * @del_err:	the "error on delete of a non-existent key" switch (Set
 *		Features, else the drive default: off); READ_ONCE
 * @sel:	select results of the seed dialect (nvme_kv_seed.c)
 */
struct uringblk_kv {
	struct rw_semaphore	lock;
	struct kv_engine	*engine;
	struct kv_media		media;
	u32			max_value_len;
	bool			del_err;
	struct uringblk_kv_sel	sel;
};

/* kv_ns.c: the drive's side */
int uringblk_kv_dev_init(struct uringblk_dev *dev, struct uringblk_msg *msg);
void uringblk_kv_dev_exit(struct uringblk_dev *dev);

/*
 * The engine, locked: dev->lock for read, then kv->lock for reading or
 * (@write) writing.  May sleep.  Return: the engine, or ERR_PTR(-ENODEV)
 * (not a KV drive, or being removed) with nothing held.
 */
struct kv_engine *uringblk_kv_get(struct uringblk_dev *dev, bool write);
void uringblk_kv_put(struct uringblk_dev *dev, bool write);

/*
 * Whole commands over a client's buffer, locking included (may sleep;
 * process context).  They return an engine status, or a negative errno
 * (-EFAULT: the client's buffer; -ENOMEM; -ENODEV: removed).
 *
 * uringblk_kv_store_iter(): @vlen bytes from @iter (which holds at least
 * that many) stored under @key with KV_STORE_* @opts.
 * uringblk_kv_retrieve_iter(): up to @buflen bytes of the value from
 * @offset copied to @iter; *@vlen the value's full size, *@copied the
 * bytes copied.
 */
int uringblk_kv_store_iter(struct uringblk_dev *dev, const u8 *key, u32 klen,
			   struct iov_iter *iter, u64 vlen, u32 opts);
int uringblk_kv_retrieve_iter(struct uringblk_dev *dev, const u8 *key, u32 klen,
			      u64 offset, u64 buflen, struct iov_iter *iter,
			      u64 *vlen, u64 *copied);

/* Flush: the media flushed, the engine held by the caller; 0 or the media's -errno */
int uringblk_kv_flush(struct uringblk_dev *dev);

/* kv_info() under the read lock; -ENODEV as uringblk_kv_get() */
int uringblk_kv_info(struct uringblk_dev *dev, struct kv_info *info);

#endif /* URINGBLK_KV_NS_H */
