// SPDX-License-Identifier: GPL-2.0
/*
 * The memory backend: a sparse page store, as brd keeps it.
 *
 * The device address space is cut into PAGE_SIZE pages held in an xarray
 * indexed by page number.  A page exists only once something non-zero may
 * have been written to it, so memory grows with data written, not with
 * capacity, and a missing page reads as zeroes.
 *
 * Concurrency: lookups run under rcu_read_lock() with no other lock; the
 * xarray's own spinlock serialises insertions and removals.  Discard frees
 * pages through call_rcu(), so a reader or writer that looked a page up just
 * before it was erased copies to or from a page that is still allocated.
 * Overlapping in-flight requests have no defined order (as on real
 * hardware); what is guaranteed is that the kernel never touches freed
 * memory and that a completed write is visible to every later read.
 */
#include <linux/bio.h>
#include <linux/blk_types.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "uringblk.h"
#include "bio.h"

struct uringblk_mem {
	struct xarray	pages;		/* page number -> struct page *; has its own lock */
	atomic64_t	nr_pages;	/* pages currently in @pages */
};

static struct uringblk_mem *to_mem(struct uringblk_dev *dev)
{
	return dev->backend;
}

/*
 * Look a page up; caller holds rcu_read_lock() for as long as it uses the
 * page.  xa_load() would take a second RCU read lock of its own, and on
 * a PREEMPT_RCU kernel (Debian's) each is a function call per page.
 */
static struct page *umem_lookup(struct uringblk_mem *m, pgoff_t idx)
{
	XA_STATE(xas, &m->pages, idx);
	struct page *page;

	do {
		page = xas_load(&xas);
	} while (xas_retry(&xas, page));
	return page;
}

static int umem_init(struct uringblk_dev *dev, struct uringblk_msg *msg)
{
	struct uringblk_mem *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return -ENOMEM;
	xa_init(&m->pages);
	atomic64_set(&m->nr_pages, 0);
	dev->backend = m;
	return 0;
}

static void umem_exit(struct uringblk_dev *dev)
{
	struct uringblk_mem *m = to_mem(dev);
	struct page *page;
	unsigned long idx;

	/* The queue is gone: nobody can look pages up any more. */
	xa_for_each(&m->pages, idx, page) {
		__free_page(page);
		cond_resched();
	}
	xa_destroy(&m->pages);
	kfree(m);
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

	rcu_read_lock();
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
	rcu_read_unlock();
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
	struct page *page, *old;
	void *dst;

	for (;;) {
		rcu_read_lock();
		page = umem_lookup(m, idx);
		if (page) {
			/* An existing page: no allocation, no xarray store. */
			dst = kmap_local_page(page);
			if (whole)
				copy_page(dst, (void *)buf);
			else
				memcpy(dst + offset_in_page(pos), buf, len);
			kunmap_local(dst);
			flush_dcache_page(page);
			rcu_read_unlock();
			return 0;
		}
		rcu_read_unlock();

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
		old = xa_cmpxchg(&m->pages, idx, NULL, page, gfp | __GFP_NOWARN);
		if (xa_is_err(old)) {
			__free_page(page);
			goto nomem;
		}
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

/**
 * uringblk_mem_rw_bio() - a bio's data to or from the memory backend
 * @dev: a memory-backed device
 * @bio: its data; bi_iter is left alone
 * @pos: device byte offset of the bio's first byte (bounds checked)
 * @write: to the device (else from it)
 * @gfp: for a write's page allocations, as umem_write()
 *
 * The per-page cost of the common case, a whole page-aligned bio_vec at a
 * page-aligned device offset (every O_DIRECT I/O of a page-aligned buffer):
 * one RCU read section for the whole bio instead of one per page, the
 * xarray walked with xas_next() from page to page (inline, a slot
 * increment within a node) instead of a lookup from the root, and no
 * indirect call: copy_page() or clear_page() is all that is left.  Anything
 * else (a partial page, a write to a missing page) takes the page-at-a-time
 * path, uringblk_copy()/umem_write(), outside the RCU section (a write may
 * sleep to allocate).  Callers: bio.c for every bio
 * of a bio drive, rq.c for each bio of a request.
 * Return: 0 or -errno; -EAGAIN as umem_write().
 */
int uringblk_mem_rw_bio(struct uringblk_dev *dev, struct bio *bio, u64 pos,
			bool write, gfp_t gfp)
{
	struct uringblk_mem *m = to_mem(dev);
	XA_STATE(xas, &m->pages, pos >> PAGE_SHIFT);
	bool walked = false;	/* xas stands on the previous page's slot */
	struct bvec_iter iter;
	struct bio_vec bv;
	int ret = 0;

	rcu_read_lock();
	bio_for_each_segment(bv, bio, iter) {
		u8 *buf = bvec_kmap_local(&bv);
		pgoff_t idx = pos >> PAGE_SHIFT;
		struct page *page;

		if (bv.bv_len != PAGE_SIZE || bv.bv_offset || offset_in_page(pos)) {
			/* Page at a time, outside RCU: a write may sleep. */
			rcu_read_unlock();
			ret = uringblk_copy(dev, buf, pos, bv.bv_len, write, gfp);
			rcu_read_lock();
			walked = false;
			goto next;
		}
		if (walked && xas.xa_index + 1 == idx) {
			page = xas_next(&xas);
		} else {
			xas_set(&xas, idx);
			page = xas_load(&xas);
		}
		while (xas_retry(&xas, page))
			page = xas_load(&xas);
		walked = true;
		if (page) {
			void *p = kmap_local_page(page);

			if (write) {
				copy_page(p, buf);
				flush_dcache_page(page);
			} else {
				copy_page(buf, p);
			}
			kunmap_local(p);
		} else if (!write) {
			clear_page(buf);
		} else {
			/* A first write: allocate outside RCU (it may sleep). */
			rcu_read_unlock();
			ret = umem_write(dev, buf, pos, PAGE_SIZE, gfp);
			rcu_read_lock();
			walked = false;
		}
next:
		kunmap_local(buf);
		if (ret)
			break;
		if (!write)
			flush_dcache_page(bv.bv_page);
		pos += bv.bv_len;
	}
	rcu_read_unlock();
	return ret;
}

static void umem_free_page_rcu(struct rcu_head *head)
{
	__free_page(container_of(head, struct page, rcu_head));
}

/* Zero part of one page, if it exists.  Does not sleep. */
static void umem_zero_partial(struct uringblk_mem *m, u64 pos, u32 len)
{
	struct page *page;

	rcu_read_lock();
	page = umem_lookup(m, pos >> PAGE_SHIFT);
	if (page)
		memzero_page(page, offset_in_page(pos), len);
	rcu_read_unlock();
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
	struct page *page;
	unsigned long idx;
	unsigned int n = 0;

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

	/* Visit only pages that exist: a 16 GiB discard must not walk 4M slots. */
	xa_for_each_range(&m->pages, idx, page, first, last - 1) {
		if (xa_erase(&m->pages, idx) != page)
			continue;	/* someone else erased it first */
		atomic64_dec(&m->nr_pages);
		call_rcu(&page->rcu_head, umem_free_page_rcu);
		if (!(++n % 1024))
			cond_resched();
	}
	return 0;
}

/*
 * A discard racing with a program may erase the page after the lookup:
 * the reference keeps it alive (the RCU free only drops the store's).
 */
static struct page *umem_get_page(struct uringblk_dev *dev, u64 pos)
{
	struct page *page;

	rcu_read_lock();
	page = umem_lookup(to_mem(dev), pos >> PAGE_SHIFT);
	if (page && !get_page_unless_zero(page))
		page = NULL;
	rcu_read_unlock();
	return page;
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
	.inline_ops	= BIT_ULL(REQ_OP_READ) | BIT_ULL(REQ_OP_WRITE) |
			  BIT_ULL(REQ_OP_FLUSH),
	.init		= umem_init,
	.exit		= umem_exit,
	.read		= umem_read,
	.write		= umem_write,
	.discard	= umem_discard,
	.flush		= umem_flush,
	.used_bytes	= umem_used_bytes,
	.get_page	= umem_get_page,
};
