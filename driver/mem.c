// SPDX-License-Identifier: GPL-2.0
/*
 * The memory backend: a sparse page store, as brd keeps it.
 *
 * The device address space is cut into PAGE_SIZE pages.  A page exists only
 * once something non-zero may have been written to it, so memory grows with
 * data written, not with capacity, and a missing page reads as zeroes.
 *
 * The pages hang in a table of three levels, as the CPU's own page tables:
 * a leaf is a page of 512 page pointers (2 MiB of the device), a middle
 * node a page of 512 leaf pointers (1 GiB), and the top an array with one
 * entry per GiB of capacity (16 entries for the default 16 GiB, 64 Ki for
 * the 64 TiB limit), made at init.  A lookup is three dependent loads and
 * no function call: the page lookup is on every I/O's path, and the
 * xarray this replaces (xas_load(), a call, then one per level, inside
 * rcu_read_lock()'s two calls) cost 143 guest instructions more per 4 KiB
 * read (tools/bench/issue31.md, "Sixth pass").  Leaves and middle nodes
 * are made on first write and stay until the drive goes: 1/512 of the data
 * at worst (a 4 KiB leaf for one page written in 2 MiB).
 *
 * A drive with kv_nvm_mb keeps its hidden KV region in the same table,
 * after the capacity, reached only through meta_read/meta_write (kv_ns.c):
 * the data operations' callers check bounds against the capacity.
 *
 * Concurrency: lookups run with preemption off (rcu_read_lock_sched():
 * one instruction each way, where rcu_read_lock() is a function call each
 * way on Debian's PREEMPT_RCU kernel) and take no lock; call_rcu() waits for
 * them too, as every RCU grace period has waited for preemption-disabled
 * regions since Linux 5.0.  Slots are filled with cmpxchg() and emptied
 * with xchg(), so two racing writers agree on one page and one discard
 * frees it; the freed page goes through call_rcu(), so a reader or writer
 * that looked it up just before copies to or from a page still allocated.
 * Overlapping in-flight requests have no defined order (as on real
 * hardware); what is guaranteed is that the kernel never touches freed
 * memory and that a completed write is visible to every later read.
 */
#include <linux/bio.h>
#include <linux/blk_types.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "stats.h"
#include "uringblk.h"
#include "bio.h"

#define UMEM_BITS	9			/* 512 pointers: a 4 KiB node */
#define UMEM_FAN	(1U << UMEM_BITS)
#define UMEM_MASK	(UMEM_FAN - 1)
#define UMEM_TOP_SHIFT	(2 * UMEM_BITS)		/* page number -> top entry */

struct umem_leaf {
	struct page __rcu	*page[UMEM_FAN];
};

struct umem_mid {
	struct umem_leaf __rcu	*leaf[UMEM_FAN];
};

struct uringblk_mem {
	atomic64_t		nr_pages;	/* pages in the table */
	pgoff_t			nr_index;	/* page numbers below this exist */
	u32			nr_top;		/* entries of @top */
	struct umem_mid __rcu	*top[];		/* one per GiB of capacity */
};

static struct uringblk_mem *to_mem(struct uringblk_dev *dev)
{
	return dev->backend;
}

/*
 * Look a page up.  The caller holds rcu_read_lock_sched() for as long as it
 * uses the page (or rcu_read_lock(): a grace period waits for both).  A
 * page number past the capacity finds nothing.
 */
static __always_inline struct page *umem_lookup(struct uringblk_mem *m, pgoff_t idx)
{
	struct umem_leaf *leaf;
	struct umem_mid *mid;

	if (unlikely(idx >= m->nr_index))
		return NULL;
	mid = rcu_dereference_check(m->top[idx >> UMEM_TOP_SHIFT], rcu_read_lock_any_held());
	if (!mid)
		return NULL;
	leaf = rcu_dereference_check(mid->leaf[(idx >> UMEM_BITS) & UMEM_MASK],
				     rcu_read_lock_any_held());
	if (!leaf)
		return NULL;
	return rcu_dereference_check(leaf->page[idx & UMEM_MASK], rcu_read_lock_any_held());
}

/*
 * Publish a zeroed node in *@slot unless someone did first; the node in the
 * slot either way, or NULL with no memory.  Nodes are never freed before
 * umem_exit(), so the caller may use it without any read lock.  Sleeps only
 * if @gfp allows it.
 */
static void *umem_node_get(void __rcu **slot, gfp_t gfp)
{
	/* raw: nodes are never freed before umem_exit(), no read lock needed */
	void *node = rcu_dereference_raw(*slot), *old;

	if (node)
		return node;
	BUILD_BUG_ON(sizeof(struct umem_leaf) != sizeof(struct umem_mid));
	node = kzalloc(sizeof(struct umem_leaf), gfp | __GFP_NOWARN);
	if (!node)
		return NULL;
	old = cmpxchg((__force void **)slot, NULL, node);	/* a full barrier: publishes */
	if (old) {
		kfree(node);
		return old;
	}
	return node;
}

/* The slot of page @idx (< nr_index), its nodes made as needed; NULL: no memory. */
static struct page __rcu **umem_slot(struct uringblk_mem *m, pgoff_t idx, gfp_t gfp)
{
	struct umem_leaf *leaf;
	struct umem_mid *mid;

	mid = umem_node_get((void __rcu **)&m->top[idx >> UMEM_TOP_SHIFT], gfp);
	if (!mid)
		return NULL;
	leaf = umem_node_get((void __rcu **)&mid->leaf[(idx >> UMEM_BITS) & UMEM_MASK], gfp);
	if (!leaf)
		return NULL;
	return &leaf->page[idx & UMEM_MASK];
}

static int umem_init(struct uringblk_dev *dev, struct uringblk_msg *msg)
{
	pgoff_t nr_index = DIV_ROUND_UP_ULL(dev->cfg.capacity + uringblk_kv_nvm_bytes(&dev->cfg),
					    PAGE_SIZE);
	u32 nr_top = DIV_ROUND_UP_ULL(nr_index, 1ULL << UMEM_TOP_SHIFT);
	struct uringblk_mem *m;

	/* 512 KiB at the 64 TiB limit: kvzalloc() falls back to vmalloc. */
	m = kvzalloc(struct_size(m, top, nr_top), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	atomic64_set(&m->nr_pages, 0);
	m->nr_index = nr_index;
	m->nr_top = nr_top;
	dev->backend = m;
	return 0;
}

/*
 * Call @fn on every page of [@first, @last) that exists, with its slot;
 * absent subtrees are skipped whole, so a 16 GiB range with no data visits
 * at most 8 Ki leaf pointers, not 4 Mi page slots.  May sleep (reschedules
 * between leaves).
 */
static void umem_for_each(struct uringblk_mem *m, pgoff_t first, pgoff_t last,
			  void (*fn)(struct uringblk_mem *m, struct page __rcu **slot))
{
	pgoff_t idx = first;

	last = min(last, m->nr_index);
	while (idx < last) {
		/* raw, as umem_node_get(): writers may publish nodes meanwhile */
		struct umem_mid *mid = rcu_dereference_raw(m->top[idx >> UMEM_TOP_SHIFT]);
		struct umem_leaf *leaf;

		cond_resched();	/* at most a leaf's 512 pages between two */
		if (!mid) {
			idx = round_down(idx, 1UL << UMEM_TOP_SHIFT) + (1UL << UMEM_TOP_SHIFT);
			continue;
		}
		leaf = rcu_dereference_raw(mid->leaf[(idx >> UMEM_BITS) & UMEM_MASK]);
		if (!leaf) {
			idx = round_down(idx, UMEM_FAN) + UMEM_FAN;
			continue;
		}
		do {
			struct page __rcu **slot = &leaf->page[idx & UMEM_MASK];

			if (rcu_access_pointer(*slot))
				fn(m, slot);
		} while (++idx < last && idx & UMEM_MASK);
	}
}

/* umem_exit()'s: the table is no longer reachable, free outright. */
static void umem_free_slot(struct uringblk_mem *m, struct page __rcu **slot)
{
	__free_page(rcu_dereference_protected(*slot, true));
}

static void umem_exit(struct uringblk_dev *dev)
{
	struct uringblk_mem *m = to_mem(dev);

	/* The queue is gone: nobody can look pages up any more. */
	umem_for_each(m, 0, m->nr_index, umem_free_slot);
	for (u32 t = 0; t < m->nr_top; t++) {
		struct umem_mid *mid = rcu_dereference_protected(m->top[t], true);

		if (!mid)
			continue;
		for (u32 i = 0; i < UMEM_FAN; i++)
			kfree(rcu_dereference_protected(mid->leaf[i], true));
		kfree(mid);
		cond_resched();
	}
	kvfree(m);
	dev->backend = NULL;
}

/*
 * A whole device page to or from a page-aligned buffer: the kernel's page
 * primitives (copy_page()/clear_page(): "rep movsq" or an unrolled loop on
 * x86-64, whatever the CPU does best for 4 KiB) instead of a byte-length
 * memcpy()/memset().  This is the common case of every O_DIRECT request
 * whose buffer is page aligned: each bio_vec is then one whole page.  With
 * ERMS, memcpy() is "rep movsb", fine on hardware but a byte per iteration
 * where it is emulated (TCG); copy_page() is not ERMS-dependent and right
 * on both.  (clear_page() is "rep stosb" with ERMS: a hole costs what
 * brd's memset() costs.)
 */
static bool umem_whole_page(const void *buf, u32 len)
{
	return len == PAGE_SIZE && PAGE_ALIGNED(buf);
}

/*
 * Does not sleep.  len must not cross a page boundary of the device, so a
 * whole page (umem_whole_page()) is also page aligned on the device.
 */
static int umem_read(struct uringblk_dev *dev, void *buf, u64 pos, u32 len)
{
	struct page *page;
	void *src;

	rcu_read_lock_sched();
	page = umem_lookup(to_mem(dev), pos >> PAGE_SHIFT);
	if (page) {
		src = kmap_local_page(page);
		if (umem_whole_page(buf, len))
			copy_page(buf, src);
		else
			memcpy(buf, src + offset_in_page(pos), len);
		kunmap_local(src);
	} else if (umem_whole_page(buf, len)) {
		clear_page(buf);
	} else {
		memset(buf, 0, len);
	}
	rcu_read_unlock_sched();
	return 0;
}

/*
 * Sleeps only if @gfp allows it: a first write to a page allocates it.
 * Returns -EAGAIN when a non-sleeping allocation fails, so the caller can
 * retry where it may sleep.  len must not cross a page boundary.
 */
static int umem_write(struct uringblk_dev *dev, const void *buf, u64 pos, u32 len,
		      gfp_t gfp)
{
	struct uringblk_mem *m = to_mem(dev);
	const bool whole = umem_whole_page(buf, len);
	pgoff_t idx = pos >> PAGE_SHIFT;
	struct page __rcu **slot;
	struct page *page, *old;
	void *dst;

	if (unlikely(idx >= m->nr_index))
		return -EIO;	/* callers check bounds; never trust them with memory */
	for (;;) {
		rcu_read_lock_sched();
		page = umem_lookup(m, idx);
		if (page) {
			/* An existing page: no allocation, no table store. */
			dst = kmap_local_page(page);
			if (whole)
				copy_page(dst, (void *)buf);
			else
				memcpy(dst + offset_in_page(pos), buf, len);
			kunmap_local(dst);
			flush_dcache_page(page);
			rcu_read_unlock_sched();
			return 0;
		}
		rcu_read_unlock_sched();

		/*
		 * A page that the write fills whole is filled before anyone
		 * can see it, so it need not be zeroed first (and nobody ever
		 * reads what the allocator left in it).  A partial write
		 * needs zeroes around its data.
		 */
		page = alloc_page(gfp | __GFP_NOWARN | (whole ? 0 : __GFP_ZERO));
		if (!page)
			goto nomem;
		if (whole) {
			dst = kmap_local_page(page);
			copy_page(dst, (void *)buf);
			kunmap_local(dst);
			flush_dcache_page(page);
		}
		slot = umem_slot(m, idx, gfp);
		if (!slot) {
			__free_page(page);
			goto nomem;
		}
		/* A full barrier: the page's data before its pointer. */
		old = cmpxchg((__force struct page **)slot, NULL, page);
		if (old) {
			__free_page(page);	/* lost a race: use the winner's */
			continue;
		}
		atomic64_inc(&m->nr_pages);
		if (whole)
			return 0;	/* the data went in with the page */
		/*
		 * Look the page up again under RCU rather than using it now: a
		 * discard may erase it before we copy, and only RCU keeps it alive.
		 */
	}
nomem:
	return gfpflags_allow_blocking(gfp) ? -ENOMEM : -EAGAIN;
}

/*
 * A whole page between @buf and device page @idx, if that page exists (else
 * false, nothing done).  Under the read-side section; does not sleep.
 */
static __always_inline bool umem_copy_whole(struct uringblk_mem *m, void *buf,
					    pgoff_t idx, bool write)
{
	struct page *page = umem_lookup(m, idx);
	void *p;

	if (unlikely(!page))
		return false;
	p = kmap_local_page(page);
	if (write) {
		copy_page(p, buf);
		flush_dcache_page(page);
	} else {
		copy_page(buf, p);
	}
	kunmap_local(p);
	return true;
}

/*
 * uringblk_mem_rw_bio()'s general case, page by page: a whole page that
 * exists is copied in a read-side section of its own (the scheduler may
 * come between two pages of a 512 KiB bio); anything else (a partial page,
 * a hole, a first write, which may sleep) goes through the backend's own
 * read or write, as every other caller's data does.
 */
static noinline int umem_rw_bio_pages(struct uringblk_dev *dev, struct bio *bio,
				      u64 pos, bool write, gfp_t gfp)
{
	struct uringblk_mem *m = to_mem(dev);
	struct bvec_iter iter;
	struct bio_vec bv;
	int ret = 0;

	bio_for_each_segment(bv, bio, iter) {
		u8 *buf = bvec_kmap_local(&bv);
		bool done = false;

		if (likely(bv.bv_len == PAGE_SIZE && !bv.bv_offset && !offset_in_page(pos))) {
			rcu_read_lock_sched();
			done = umem_copy_whole(m, buf, pos >> PAGE_SHIFT, write);
			rcu_read_unlock_sched();
		}
		if (!done)
			ret = uringblk_copy(dev, buf, pos, bv.bv_len, write, gfp);
		kunmap_local(buf);
		if (ret)
			break;
		if (!write)
			flush_dcache_page(bv.bv_page);
		pos += bv.bv_len;
	}
	return ret;
}

/**
 * uringblk_mem_rw_bio() - a bio's data to or from the memory backend
 * @dev: a memory-backed device
 * @bio: its data; bi_iter is left alone
 * @pos: device byte offset of the bio's first byte (bounds checked)
 * @write: to the device (else from it)
 * @gfp: for a write's page allocations, as umem_write()
 *
 * The cost of the common case, a whole page-aligned bio_vec at a
 * page-aligned device offset (every O_DIRECT I/O of a page-aligned buffer)
 * to or from a page that exists: the table's three loads and copy_page(),
 * with no iterator at all for a one-page bio (every 4 KiB I/O).  Callers:
 * bio.c for every bio of a bio drive, rq.c for each bio of a request,
 * uringblk_fast_io() for bios on the stack.
 * Return: 0 or -errno; -EAGAIN as umem_write().
 */
int uringblk_mem_rw_bio(struct uringblk_dev *dev, struct bio *bio, u64 pos,
			bool write, gfp_t gfp)
{
	/* One whole page, as every 4 KiB O_DIRECT I/O: no iterator to run. */
	if (bio->bi_iter.bi_size == PAGE_SIZE && !offset_in_page(pos)) {
		struct bio_vec bv = bio_iter_iovec(bio, bio->bi_iter);

		if (likely(bv.bv_len == PAGE_SIZE && !bv.bv_offset)) {
			bool done;

			rcu_read_lock_sched();
			done = umem_copy_whole(to_mem(dev), page_address(bv.bv_page),
					       pos >> PAGE_SHIFT, write);
			rcu_read_unlock_sched();
			if (likely(done)) {
				if (!write)
					flush_dcache_page(bv.bv_page);
				return 0;
			}
		}
	}
	return umem_rw_bio_pages(dev, bio, pos, write, gfp);
}

static void umem_free_page_rcu(struct rcu_head *head)
{
	__free_page(container_of(head, struct page, rcu_head));
}

/* Discard's: empty a slot; the page goes after a grace period. */
static void umem_erase_slot(struct uringblk_mem *m, struct page __rcu **slot)
{
	struct page *page = xchg((__force struct page **)slot, NULL);

	if (page) {	/* else someone else erased it first */
		atomic64_dec(&m->nr_pages);
		call_rcu(&page->rcu_head, umem_free_page_rcu);
	}
}

/* Zero part of one page, if it exists.  Does not sleep. */
static void umem_zero_partial(struct uringblk_mem *m, u64 pos, u32 len)
{
	struct page *page;

	rcu_read_lock_sched();
	page = umem_lookup(m, pos >> PAGE_SHIFT);
	if (page)
		memzero_page(page, offset_in_page(pos), len);
	rcu_read_unlock_sched();
}

/*
 * Discard and write-zeroes: whole pages are freed, partial pages at either
 * end are zeroed.  May sleep (reschedules on long ranges), so these never
 * run inline in queue_rq.
 */
static int umem_discard(struct uringblk_dev *dev, u64 pos, u64 len)
{
	struct uringblk_mem *m = to_mem(dev);
	u64 end = pos + len;
	u64 first = DIV_ROUND_UP(pos, PAGE_SIZE);	/* first whole page */
	u64 last = end >> PAGE_SHIFT;			/* one past the last whole page */

	if (first >= last) {
		/* The range lies inside one page, or straddles two partially. */
		u64 split = min_t(u64, end, round_up(pos + 1, PAGE_SIZE));

		umem_zero_partial(m, pos, split - pos);
		if (split < end)
			umem_zero_partial(m, split, end - split);
		return 0;
	}
	if (pos < first << PAGE_SHIFT)
		umem_zero_partial(m, pos, (first << PAGE_SHIFT) - pos);
	if (end > last << PAGE_SHIFT)
		umem_zero_partial(m, last << PAGE_SHIFT, end - (last << PAGE_SHIFT));

	/* Visit only pages that exist (umem_for_each()). */
	umem_for_each(m, first, last, umem_erase_slot);
	return 0;
}

/*
 * A discard racing with a program may erase the page after the lookup:
 * the reference keeps it alive (the RCU free only drops the store's).
 */
static struct page *umem_get_page(struct uringblk_dev *dev, u64 pos)
{
	struct page *page;

	rcu_read_lock_sched();
	page = umem_lookup(to_mem(dev), pos >> PAGE_SHIFT);
	if (page && !get_page_unless_zero(page))
		page = NULL;
	rcu_read_unlock_sched();
	return page;
}

/*
 * The metadata area (the hidden KV region) from byte capacity on, a page
 * of the table at a time.  GFP_NOIO: the KV engine writes under its locks.
 * May sleep.
 */
static int umem_meta_io(struct uringblk_dev *dev, void *buf, u64 off, size_t len,
			bool write)
{
	u64 pos = dev->cfg.capacity + off;
	u8 *p = buf;

	if (off > uringblk_kv_nvm_bytes(&dev->cfg) ||
	    len > uringblk_kv_nvm_bytes(&dev->cfg) - off)
		return -EIO;
	while (len) {
		u32 n = min_t(size_t, len, PAGE_SIZE - offset_in_page(pos));
		int ret = write ? umem_write(dev, p, pos, n, GFP_NOIO) :
				  umem_read(dev, p, pos, n);

		if (ret)
			return ret;
		cond_resched();
		p += n;
		pos += n;
		len -= n;
	}
	return 0;
}

static int umem_meta_read(struct uringblk_dev *dev, void *buf, u64 off, size_t len)
{
	return umem_meta_io(dev, buf, off, len, false);
}

static int umem_meta_write(struct uringblk_dev *dev, const void *buf, u64 off,
			   size_t len)
{
	return umem_meta_io(dev, (void *)buf, off, len, true);
}

/* ---- the media without the block layer (nvme_fast.c, kv_ns.c) ---- */

/*
 * A switch for measuring and testing (Documentation/admin/block-device.md):
 * 0 sends every Read and Write, and a KV drive's media I/O (kv_ns.c),
 * through the bio path, as before the fast path existed.  Read at each
 * transfer.
 */
static bool nvme_fast = true;
module_param(nvme_fast, bool, 0644);
MODULE_PARM_DESC(nvme_fast, "NVMe passthrough Read/Write, and a KV drive's media I/O, of a memory drive skip the block layer (default 1)");

/**
 * uringblk_fast_media_ok() - may the drive's data skip the block layer now?
 * @dev:	the drive, not zoned (a zone's state is the zoned layer's)
 *
 * The memory backend, with neither the timing model (it holds requests to
 * their deadlines) nor fault injection (its choice is a request's) on,
 * and the nvme_fast switch on: then the bio path would do nothing but
 * copy.  Read at each transfer.  Does not sleep.
 */
bool uringblk_fast_media_ok(struct uringblk_dev *dev)
{
	return READ_ONCE(nvme_fast) && dev->ops == &uringblk_mem_ops &&
	       !uringblk_timing_on(dev) && !rcu_access_pointer(dev->fault);
}

/**
 * uringblk_fast_io() - move @bio's pages at @pos, counted as the bio path counts
 * @dev:	the drive: uringblk_fast_media_ok(), dev->lock held for read
 *		with removing clear, or in the drive's own creation or removal
 *		(its store exists throughout)
 * @bio:	pages only, never submitted (on the caller's stack)
 * @opf:	REQ_OP_READ, or REQ_OP_WRITE with REQ_FUA or not
 * @pos:	device byte offset, its range checked by the caller
 * @len:	@bio's bytes
 * @gfp:	for the store's new pages
 *
 * The driver's counters (in_flight, ops and bytes, fua_ops) and latency
 * histograms, FUA's flush, and the block layer's iostats while
 * queue/iostats is on.  Return: 0, or the backend's -errno with nothing
 * counted (a write may be half done: the bio path may do it again).
 */
int uringblk_fast_io(struct uringblk_dev *dev, struct bio *bio, blk_opf_t opf,
		     u64 pos, u32 len, gfp_t gfp)
{
	const enum req_op op = opf & REQ_OP_MASK;
	unsigned long start_j = jiffies;
	struct gendisk *disk = dev->disk;
	u64 start_ns;
	int ret;

	this_cpu_inc(dev->stats->in_flight);
	start_ns = uringblk_lat_start(dev);
	ret = uringblk_mem_rw_bio(dev, bio, pos, op_is_write(opf), gfp);
	if (!ret && (opf & REQ_FUA))
		ret = dev->ops->flush(dev);
	if (ret) {
		this_cpu_dec(dev->stats->in_flight);
		return ret;
	}
	uringblk_stats_done(dev, op, len, !!(opf & REQ_FUA), BLK_STS_OK, start_ns);
	if (unlikely(blk_queue_io_stat(disk->queue)))
		uringblk_bdev_io_acct(disk->part0, op, len >> SECTOR_SHIFT, start_j);
	return 0;
}

/**
 * uringblk_fast_flush() - uringblk_fast_io() of a flush
 * @dev:	as uringblk_fast_io()'s
 *
 * Return: 0 or the backend's -errno, counted as the bio path counts it.
 */
int uringblk_fast_flush(struct uringblk_dev *dev)
{
	u64 start_ns;
	int ret;

	this_cpu_inc(dev->stats->in_flight);
	start_ns = uringblk_lat_start(dev);
	ret = dev->ops->flush(dev);
	uringblk_stats_done(dev, REQ_OP_FLUSH, 0, false, errno_to_blk_status(ret), start_ns);
	return ret;
}

static int umem_flush(struct uringblk_dev *dev)
{
	return 0;	/* memory is as durable as it gets */
}

static u64 umem_used_bytes(struct uringblk_dev *dev)
{
	return (u64)atomic64_read(&to_mem(dev)->nr_pages) << PAGE_SHIFT;
}

const struct uringblk_backend_ops uringblk_mem_ops = {
	.name		= "mem",
	/* Reads and flushes never sleep; writes only to allocate. */
	.inline_ops	= URINGBLK_OP_BIT(REQ_OP_READ) |
			  URINGBLK_OP_BIT(REQ_OP_WRITE) |
			  URINGBLK_OP_BIT(REQ_OP_FLUSH),
	.init		= umem_init,
	.exit		= umem_exit,
	.read		= umem_read,
	.write		= umem_write,
	.discard	= umem_discard,
	.flush		= umem_flush,
	.meta_read	= umem_meta_read,
	.meta_write	= umem_meta_write,
	.used_bytes	= umem_used_bytes,
	.get_page	= umem_get_page,
};
