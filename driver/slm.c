// SPDX-License-Identifier: GPL-2.0
/*
 * Subsystem local memory (SLM): each drive's byte-addressable device
 * memory, and the memory range sets that map parts of it into one window.
 *
 * The store is sparse, as the memory backend's (mem.c): PAGE_SIZE pages in
 * an xarray indexed by SLM page number, allocated on the first MEM_WRITE or
 * MEM_COPY into them or when a range set maps them; a missing page reads as
 * zeroes.  Unlike the backend's, SLM pages are never freed while the drive
 * exists (there is no discard of SLM), so a page looked up by a command,
 * which holds dev->lock for read, stays valid until the command ends:
 * removal frees the store only after taking dev->lock for write.
 *
 * A range set owns a reference on each page it maps and a vmap() of them,
 * end to end, so a program run by EXECUTE addresses the set as one window
 * (a store through it is a store into SLM).  Because of those references a
 * set survives the drive's removal while an EXECUTE still holds it.
 *
 * Locking: slm->lock (a mutex) serialises creating and deleting sets, and
 * page insertion races are settled by xa_cmpxchg() as in mem.c.  The set
 * table's xa_lock (a spinlock) covers lookup + reference in
 * uringblk_rset_get() and the "in use?" test + erase in delete, so a set
 * cannot be deleted between an EXECUTE finding it and counting itself a
 * user.  Lock order: dev->lock -> slm->lock -> sets' xa_lock.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>

#include "stats.h"
#include "uringblk.h"
#include "slm.h"

/**
 * struct uringblk_slm - one drive's SLM
 * @size:	bytes (cfg.slm_size), a multiple of PAGE_SIZE
 * @pages:	SLM page number -> struct page *; has its own lock
 * @nr_pages:	pages in @pages (stats slm_bytes)
 * @lock:	serialises set creation and deletion; protects @nr_sets and
 *		@next_id
 * @sets:	rsid -> struct uringblk_rset; its xa_lock: see the top
 * @nr_sets:	sets in @sets
 * @next_id:	the next rsid: ids are never reused while the drive exists
 */
struct uringblk_slm {
	u64		size;
	struct xarray	pages;
	atomic64_t	nr_pages;
	struct mutex	lock;
	struct xarray	sets;
	u32		nr_sets;
	u32		next_id;
};

/* Frees sets whose last reference went in a context that may not sleep. */
static struct workqueue_struct *uringblk_slm_wq;

/*
 * Allocations userspace asks for: charged to the asker's memory cgroup
 * (SLM pages to the first writer's, as tmpfs pages are), and failing
 * rather than waking the OOM killer.
 */
#define SLM_GFP	(GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN | __GFP_RETRY_MAYFAIL)

/**
 * uringblk_slm_page() - the SLM page @idx
 * @dev: the drive, with SLM; caller holds dev->lock for read and saw
 *	!dev->removing (the page then stays valid until it drops the lock)
 * @idx: page number, below slm_size / PAGE_SIZE
 * @alloc: allocate a zeroed page if there is none
 *
 * May sleep when @alloc.
 * Return: the page; NULL for a hole when !@alloc; ERR_PTR(-ENOMEM).
 */
struct page *uringblk_slm_page(struct uringblk_dev *dev, pgoff_t idx, bool alloc)
{
	struct uringblk_slm *slm = dev->slm;
	struct page *page, *old;

	page = xa_load(&slm->pages, idx);
	if (page || !alloc)
		return page;
	page = alloc_page(SLM_GFP);
	if (!page)
		return ERR_PTR(-ENOMEM);
	old = xa_cmpxchg(&slm->pages, idx, NULL, page, GFP_KERNEL);
	if (xa_is_err(old)) {
		__free_page(page);
		return ERR_PTR(xa_err(old));
	}
	if (old) {			/* lost a race: use the winner's */
		__free_page(page);
		return old;
	}
	atomic64_inc(&slm->nr_pages);
	return page;
}

static void uringblk_rset_free_work(struct work_struct *work)
{
	struct uringblk_rset *rs = container_of(work, struct uringblk_rset, free_work);
	u64 n = rs->len >> PAGE_SHIFT;

	vunmap(rs->window);
	for (u64 i = 0; i < n; i++)
		put_page(rs->pages[i]);
	kvfree(rs->pages);
	kfree(rs);
}

static void uringblk_rset_release(struct kref *ref)
{
	struct uringblk_rset *rs = container_of(ref, struct uringblk_rset, ref);

	INIT_WORK(&rs->free_work, uringblk_rset_free_work);
	queue_work(uringblk_slm_wq, &rs->free_work);
}

/**
 * uringblk_rset_get() - take set @rsid for a run
 * @dev: the drive (may have no SLM, or be being removed)
 * @rsid: the set id
 *
 * A reference and a user: RANGE_SET_DELETE is -EBUSY until
 * uringblk_rset_put().  Takes only the set table's spinlock: never sleeps.
 * Return: the set, or ERR_PTR(-EBADSLT) when there is no such set.
 */
struct uringblk_rset *uringblk_rset_get(struct uringblk_dev *dev, u32 rsid)
{
	struct uringblk_slm *slm = dev->slm;
	struct uringblk_rset *rs;

	if (!slm || !rsid)
		return ERR_PTR(-EBADSLT);
	xa_lock(&slm->sets);
	rs = xa_load(&slm->sets, rsid);
	if (rs) {
		kref_get(&rs->ref);	/* the table holds one: never zero here */
		atomic_inc(&rs->users);
	}
	xa_unlock(&slm->sets);
	return rs ?: ERR_PTR(-EBADSLT);
}

/* Drop what uringblk_rset_get() took.  Never sleeps; any context. */
void uringblk_rset_put(struct uringblk_rset *rs)
{
	atomic_dec(&rs->users);
	kref_put(&rs->ref, uringblk_rset_release);
}

/*
 * The contract's checks of one set, in this order: each range aligned and
 * non-empty (-EINVAL), inside SLM (Invalid Memory Range Set), then no two
 * ranges overlapping (Overlapping Memory Ranges).  Returns the window's
 * bytes, -EINVAL or a status.
 */
static s64 uringblk_rset_check(const struct uringblk_slm *slm,
			       const struct uringblk_mem_range *r, u32 nr)
{
	u64 total = 0;

	for (u32 i = 0; i < nr; i++) {
		if (!r[i].len || !IS_ALIGNED(r[i].slm_off, URINGBLK_SLM_GRANULARITY) ||
		    !IS_ALIGNED(r[i].len, URINGBLK_SLM_GRANULARITY))
			return -EINVAL;
	}
	for (u32 i = 0; i < nr; i++) {
		if (r[i].slm_off >= slm->size || r[i].len > slm->size - r[i].slm_off)
			return uringblk_st(URINGBLK_SC_INVALID_MEM_RANGE_SET);
		total += r[i].len;	/* <= nr * slm->size: no overflow */
	}
	/* At most URINGBLK_MAX_SET_RANGES ranges: the quadratic test is cheap. */
	for (u32 i = 0; i < nr; i++)
		for (u32 j = i + 1; j < nr; j++)
			if (r[i].slm_off < r[j].slm_off + r[j].len &&
			    r[j].slm_off < r[i].slm_off + r[i].len)
				return uringblk_st(URINGBLK_SC_OVERLAPPING_MEM_RANGES);
	return total;
}

/*
 * Take a reference on every page of the set's ranges, allocating holes.
 * A large set stops early for a removal of the drive or a fatal signal;
 * pages it allocated stay in SLM (counted in slm_bytes), as after a write.
 */
static int uringblk_rset_pin(struct uringblk_dev *dev, struct uringblk_rset *rs)
{
	u64 n = 0;

	for (u32 i = 0; i < rs->nr_ranges; i++) {
		pgoff_t first = rs->ranges[i].slm_off >> PAGE_SHIFT;
		pgoff_t count = rs->ranges[i].len >> PAGE_SHIFT;

		for (pgoff_t p = first; p < first + count; p++) {
			struct page *page = uringblk_slm_page(dev, p, true);

			if (IS_ERR(page)) {
				while (n)
					put_page(rs->pages[--n]);
				return PTR_ERR(page);
			}
			get_page(page);
			rs->pages[n++] = page;
			if (!(n % 1024)) {
				int stop = 0;

				cond_resched();
				if (READ_ONCE(dev->removing))
					stop = -ENODEV;
				else if (fatal_signal_pending(current))
					stop = -EINTR;
				if (stop) {
					while (n)
						put_page(rs->pages[--n]);
					return stop;
				}
			}
		}
	}
	return 0;
}

/**
 * uringblk_rset_create() - RANGE_SET_CREATE's work
 * @dev: the drive, with SLM; dev->lock held for read, !dev->removing
 * @r: @nr ranges, copied from the user (1..URINGBLK_MAX_SET_RANGES)
 * @nr: how many
 *
 * Checks the ranges (uringblk_rset_check()), the set limit (Maximum
 * Memory Range Sets Exceeded), allocates the pages the set covers and
 * maps them.  May sleep.
 * Return: the new set's id (> 0), -errno or a status (status.h).
 */
int uringblk_rset_create(struct uringblk_dev *dev,
			 const struct uringblk_mem_range *r, u32 nr)
{
	struct uringblk_slm *slm = dev->slm;
	struct uringblk_rset *rs;
	s64 len;
	int ret;

	len = uringblk_rset_check(slm, r, nr);
	if (len < 0)
		return len;

	mutex_lock(&slm->lock);
	if (slm->nr_sets >= URINGBLK_MAX_RANGE_SETS || slm->next_id > INT_MAX) {
		ret = uringblk_st(URINGBLK_SC_MAX_MEM_RANGE_SETS);
		goto out_unlock;
	}
	rs = kzalloc(struct_size(rs, ranges, nr), SLM_GFP);
	if (!rs) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	kref_init(&rs->ref);
	atomic_set(&rs->users, 0);
	rs->nr_ranges = nr;
	rs->len = len;
	memcpy(rs->ranges, r, nr * sizeof(*r));
	rs->pages = kvmalloc_array(len >> PAGE_SHIFT, sizeof(*rs->pages),
				   SLM_GFP & ~__GFP_ZERO);
	if (!rs->pages) {
		ret = -ENOMEM;
		goto out_free_set;
	}
	ret = uringblk_rset_pin(dev, rs);
	if (ret)
		goto out_free_pages;
	rs->window = vmap(rs->pages, len >> PAGE_SHIFT, VM_MAP, PAGE_KERNEL);
	if (!rs->window) {
		ret = -ENOMEM;
		goto out_unpin;
	}
	rs->id = slm->next_id;
	ret = xa_insert(&slm->sets, rs->id, rs, GFP_KERNEL);
	if (ret)
		goto out_unmap;
	ret = slm->next_id++;	/* not rs->id after the unlock: a delete may free rs */
	slm->nr_sets++;
	mutex_unlock(&slm->lock);
	return ret;

out_unmap:
	vunmap(rs->window);
out_unpin:
	for (u64 i = 0; i < (u64)len >> PAGE_SHIFT; i++)
		put_page(rs->pages[i]);
out_free_pages:
	kvfree(rs->pages);
out_free_set:
	kfree(rs);
out_unlock:
	mutex_unlock(&slm->lock);
	return ret;
}

/**
 * uringblk_rset_delete() - RANGE_SET_DELETE's work
 * @dev: the drive, with SLM; dev->lock held for read, !dev->removing
 * @rsid: the set
 *
 * The set's pages stay in SLM with their data; only the mapping goes.
 * May sleep.
 * Return: 0, or the status Invalid Memory Range Set Identifier (no such
 * set) or Memory Range Set In Use (an EXECUTE uses it).
 */
int uringblk_rset_delete(struct uringblk_dev *dev, u32 rsid)
{
	struct uringblk_slm *slm = dev->slm;
	struct uringblk_rset *rs;
	int ret = 0;

	mutex_lock(&slm->lock);
	xa_lock(&slm->sets);
	rs = rsid ? xa_load(&slm->sets, rsid) : NULL;
	if (!rs)
		ret = uringblk_st(URINGBLK_SC_INVALID_MEM_RANGE_SET_ID);
	else if (atomic_read(&rs->users))
		ret = uringblk_st(URINGBLK_SC_MEM_RANGE_SET_IN_USE);
	else
		__xa_erase(&slm->sets, rsid);
	xa_unlock(&slm->sets);
	if (!ret) {
		slm->nr_sets--;
		kref_put(&rs->ref, uringblk_rset_release);
	}
	mutex_unlock(&slm->lock);
	return ret;
}

/**
 * uringblk_slm_dev_init() - give a new drive its SLM (cfg.slm_size bytes)
 * @dev: the drive being created; cfg validated
 *
 * Nothing is allocated for the memory itself until it is used.  A drive
 * with slm_size 0 has no SLM (dev->slm stays NULL).  May sleep.
 */
int uringblk_slm_dev_init(struct uringblk_dev *dev)
{
	struct uringblk_slm *slm;

	if (!dev->cfg.slm_size)
		return 0;
	slm = kzalloc(sizeof(*slm), GFP_KERNEL);
	if (!slm)
		return -ENOMEM;
	slm->size = dev->cfg.slm_size;
	xa_init(&slm->pages);
	atomic64_set(&slm->nr_pages, 0);
	mutex_init(&slm->lock);
	xa_init(&slm->sets);
	slm->next_id = 1;
	dev->slm = slm;
	return 0;
}

/**
 * uringblk_slm_dev_exit() - free a drive's SLM and its sets
 * @dev: the drive; no command uses it any more (removal took dev->lock
 *	for write after setting removing), and its sysfs files are gone
 *
 * A set an EXECUTE still holds keeps its pages and window until the run
 * puts it.  May sleep.
 */
void uringblk_slm_dev_exit(struct uringblk_dev *dev)
{
	struct uringblk_slm *slm = dev->slm;
	struct uringblk_rset *rs;
	struct page *page;
	unsigned long idx;

	if (!slm)
		return;
	xa_for_each(&slm->sets, idx, rs) {
		xa_erase(&slm->sets, idx);
		kref_put(&rs->ref, uringblk_rset_release);
	}
	xa_destroy(&slm->sets);
	xa_for_each(&slm->pages, idx, page) {
		put_page(page);		/* a set may still hold it */
		cond_resched();
	}
	xa_destroy(&slm->pages);
	mutex_destroy(&slm->lock);
	kfree(slm);
	dev->slm = NULL;
}

/* Stats slm_bytes: SLM memory allocated now.  Does not sleep. */
u64 uringblk_slm_bytes(struct uringblk_dev *dev)
{
	struct uringblk_slm *slm = READ_ONCE(dev->slm);

	return slm ? (u64)atomic64_read(&slm->nr_pages) << PAGE_SHIFT : 0;
}

/* IDENTIFY's SLM fields; all zero (and no URINGBLK_F_SLM) without SLM. */
void uringblk_slm_identify(struct uringblk_dev *dev, struct uringblk_identify *id)
{
	if (!dev->slm)
		return;
	id->features |= URINGBLK_F_SLM;
	id->slm_size = dev->slm->size;
	id->slm_granularity = URINGBLK_SLM_GRANULARITY;
	id->max_range_sets = URINGBLK_MAX_RANGE_SETS;
	id->max_set_ranges = URINGBLK_MAX_SET_RANGES;
	id->max_mem_xfer = URINGBLK_MAX_MEM_XFER;
}

int uringblk_slm_init(void)
{
	uringblk_slm_wq = alloc_workqueue("uringblk_slm", WQ_UNBOUND, 0);
	return uringblk_slm_wq ? 0 : -ENOMEM;
}

/* Every device is gone; sets EXECUTEs held were put before their files closed. */
void uringblk_slm_exit(void)
{
	destroy_workqueue(uringblk_slm_wq);	/* drains the frees */
}

/*
 * ---- Transfers: the model of the SLM commands of both faces (MEM_READ,
 * MEM_WRITE, MEM_COPY of cmd_slm.c; Memory Read, Write, Fill and Copy of
 * nvme_slm.c).  A transfer is at most URINGBLK_MAX_MEM_XFER bytes, moved a
 * page at a time; between pages a removal of the drive (-ENODEV) or a
 * fatal signal (-EINTR) stops it, so neither waits for a whole transfer.
 * Counters move only when a transfer succeeds.
 */

/* Pages moved between two checks for removal and fatal signals. */
#define SLM_CHECK_PAGES	16

static int slm_should_stop(struct uringblk_dev *dev, u64 done)
{
	if ((done >> PAGE_SHIFT) % SLM_CHECK_PAGES)
		return 0;
	cond_resched();
	if (READ_ONCE(dev->removing))
		return -ENODEV;
	if (fatal_signal_pending(current))
		return -EINTR;
	return 0;
}

/* [@off, +@len) inside SLM, @len within the transfer limit. */
static int slm_check_xfer(struct uringblk_dev *dev, u64 off, u64 len)
{
	u64 size = dev->cfg.slm_size;

	if (!len)
		return -EINVAL;
	if (len > URINGBLK_MAX_MEM_XFER)
		return uringblk_st(URINGBLK_SC_CMD_SIZE_LIMIT);
	if (off >= size || len > size - off)
		return -ERANGE;
	return 0;
}

/*
 * [@off, +@len) of SLM (checked), one SLM page at a time, the other side
 * @ops's.  A hole reads as zeroes.  Return: 0 or -errno.
 */
static int slm_xfer(struct uringblk_dev *dev, u64 off, u64 len, bool write,
		    const struct uringblk_slm_xfer_ops *ops, void *ctx)
{
	u8 *bounce = NULL;
	u64 done = 0;
	int ret = 0;

	if (write) {
		bounce = kmalloc(PAGE_SIZE, GFP_KERNEL_ACCOUNT);
		if (!bounce)
			return -ENOMEM;
	}
	while (done < len) {
		u64 pos = off + done;
		u32 o = offset_in_page(pos);
		u32 n = min_t(u64, len - done, PAGE_SIZE - o);
		struct page *page;
		void *kaddr = NULL;

		if (write) {
			ret = ops->fetch(ctx, bounce, done, n);
			if (ret)
				break;
		}
		page = uringblk_slm_page(dev, pos >> PAGE_SHIFT, write);
		if (IS_ERR(page)) {
			ret = PTR_ERR(page);
			break;
		}
		if (page)
			kaddr = kmap_local_page(page);
		if (write)
			memcpy(kaddr + o, bounce, n);
		else		/* a hole reads as zeroes */
			ret = ops->deliver(ctx, kaddr ? kaddr + o : page_address(ZERO_PAGE(0)),
					   done, n);
		if (kaddr)
			kunmap_local(kaddr);
		if (ret)
			break;
		done += n;
		ret = slm_should_stop(dev, done);
		if (ret && done < len)
			break;
		ret = 0;
	}
	kfree(bounce);
	return ret;
}

/* What a successful MEM_READ or MEM_WRITE (or Memory Read, Write) counts. */
static void slm_count_rw(struct uringblk_dev *dev, u64 bytes, bool write)
{
	if (write) {
		this_cpu_inc(dev->stats->mem_writes);
		this_cpu_add(dev->stats->slm_bytes_from_host, bytes);
	} else {
		this_cpu_inc(dev->stats->mem_reads);
		this_cpu_add(dev->stats->slm_bytes_to_host, bytes);
		this_cpu_add(dev->stats->bytes_to_host, bytes);
	}
}

/**
 * uringblk_slm_xfer() - the model of MEM_READ/WRITE and Memory Read/Write
 * @dev:	the drive
 * @off:	SLM byte address
 * @len:	bytes, 1..URINGBLK_MAX_MEM_XFER
 * @write:	to SLM (@ops->fetch gives the data); else from it (@ops->deliver)
 * @ops:	the other side: the command device's client memory (cmd_slm.c)
 *		or a kernel buffer (uringblk_slm_rw())
 * @ctx:	@ops's
 *
 * Checks [@off, +@len), moves it a page at a time and counts a successful
 * transfer in the drive's statistics; no timing (the caller's).
 * Return: 0, -EOPNOTSUPP (no SLM), -EINVAL (@len 0), -ERANGE (beyond SLM),
 * Command Size Limit Exceeded, -ENOMEM, -ENODEV, -EINTR, or @ops's -errno.
 * Context: dev->lock held for read, !dev->removing.  May sleep.
 */
int uringblk_slm_xfer(struct uringblk_dev *dev, u64 off, u64 len, bool write,
		      const struct uringblk_slm_xfer_ops *ops, void *ctx)
{
	int ret;

	if (!dev->slm)
		return -EOPNOTSUPP;
	ret = slm_check_xfer(dev, off, len);
	if (!ret)
		ret = slm_xfer(dev, off, len, write, ops, ctx);
	if (!ret)
		slm_count_rw(dev, len, write);
	return ret;
}

/* The kernel side of uringblk_slm_rw(): a buffer. */
static int slm_buf_fetch(void *ctx, void *bounce, u64 done, u32 n)
{
	memcpy(bounce, ctx + done, n);
	return 0;
}

static int slm_buf_deliver(void *ctx, const void *src, u64 done, u32 n)
{
	memcpy(ctx + done, src, n);
	return 0;
}

static const struct uringblk_slm_xfer_ops slm_buf_ops = {
	.fetch		= slm_buf_fetch,
	.deliver	= slm_buf_deliver,
};

/**
 * uringblk_slm_rw() - Memory Read or Write with decoded arguments
 * @dev:	the drive
 * @off:	SLM byte address
 * @buf:	kernel memory, @len bytes
 * @len:	bytes, 1..URINGBLK_MAX_MEM_XFER
 * @write:	@buf to SLM; else SLM to @buf
 *
 * uringblk_slm_xfer() with a kernel buffer on the other side (the NVMe
 * front end's Memory Read and Write, nvme_slm.c).
 * Return: 0, -EOPNOTSUPP (no SLM), -EINVAL (@len 0), -ERANGE (beyond SLM),
 * Command Size Limit Exceeded, -ENOMEM, -ENODEV, -EINTR.  Context:
 * dev->lock held for read, !dev->removing.  May sleep.
 */
int uringblk_slm_rw(struct uringblk_dev *dev, u64 off, void *buf, u64 len, bool write)
{
	return uringblk_slm_xfer(dev, off, len, write, &slm_buf_ops, buf);
}

/*
 * Copy @len bytes of the drive at @pos (block aligned, inside the drive,
 * already allowed by the read policy) into SLM at @slm_pos.  A device page
 * at a time, each read by the backend (which may sleep: a file) straight
 * into the SLM page when both sit at the same page offset, else through
 * @bounce.  Returns 0 or -errno.
 */
static int slm_copy_in(struct uringblk_dev *dev, u64 pos, u64 len, u64 slm_pos,
		       void *bounce, u64 *done)
{
	while (len) {
		u32 n = min_t(u64, len, PAGE_SIZE - offset_in_page(pos));
		u32 so = offset_in_page(slm_pos);
		struct page *page;
		void *kaddr;
		int ret;

		page = uringblk_slm_page(dev, slm_pos >> PAGE_SHIFT, true);
		if (IS_ERR(page))
			return PTR_ERR(page);
		if (so == offset_in_page(pos)) {
			/* n stays inside the SLM page too */
			kaddr = kmap_local_page(page);
			ret = dev->ops->read(dev, kaddr + so, pos, n);
			kunmap_local(kaddr);
			if (ret)
				return ret;
		} else {
			u32 first = min_t(u32, n, PAGE_SIZE - so);

			ret = dev->ops->read(dev, bounce, pos, n);
			if (ret)
				return ret;
			memcpy_to_page(page, so, bounce, first);
			if (first < n) {
				page = uringblk_slm_page(dev, (slm_pos >> PAGE_SHIFT) + 1, true);
				if (IS_ERR(page))
					return PTR_ERR(page);
				memcpy_to_page(page, 0, bounce + first, n - first);
			}
		}
		pos += n;
		slm_pos += n;
		len -= n;
		*done += n;
		ret = slm_should_stop(dev, *done);
		if (ret && len)
			return ret;
	}
	return 0;
}

/*
 * A zero range (URINGBLK_COPY_F_ZERO): SLM gets @len zeroes at @slm_pos,
 * nothing is read.  A page SLM does not hold reads as zeroes already, so
 * only the pages it holds are cleared: zeroes cost no memory.
 */
static int slm_zero_in(struct uringblk_dev *dev, u64 len, u64 slm_pos, u64 *done)
{
	while (len) {
		u32 so = offset_in_page(slm_pos);
		u32 n = min_t(u64, len, PAGE_SIZE - so);
		struct page *page;
		int ret;

		page = uringblk_slm_page(dev, slm_pos >> PAGE_SHIFT, false);
		if (page)
			memzero_page(page, so, n);
		slm_pos += n;
		len -= n;
		*done += n;
		ret = slm_should_stop(dev, *done);
		if (ret && len)
			return ret;
	}
	return 0;
}

/* Memory Fill's source: @ctx points at the 32-bit pattern, repeated from SLM byte 0. */
static int slm_pattern_fetch(void *ctx, void *bounce, u64 done, u32 n)
{
	const u64 *start_pat = ctx;	/* [0] the SLM start, [1] the pattern */

	for (u32 i = 0; i < n; i++)
		((u8 *)bounce)[i] = start_pat[1] >> (((start_pat[0] + done + i) & 3) * 8);
	return 0;
}

static const struct uringblk_slm_xfer_ops slm_pattern_ops = {
	.fetch		= slm_pattern_fetch,
};

/**
 * uringblk_slm_fill() - Memory Fill: [@off, +@len) of SLM gets @pattern
 * @dev:	the drive
 * @off:	SLM byte address
 * @len:	bytes, 1..URINGBLK_MAX_MEM_XFER
 * @pattern:	little-endian, repeated every 4 bytes of SLM (byte k of SLM
 *		gets byte k % 4 of it); 0 clears, and costs no memory (as a
 *		MEM_COPY zero range)
 *
 * Counted as a MEM_WRITE without host bytes.  Return and context as
 * uringblk_slm_rw().
 */
int uringblk_slm_fill(struct uringblk_dev *dev, u64 off, u64 len, u32 pattern)
{
	u64 start_pat[2] = { 0, pattern };
	u64 done = 0;
	int ret;

	if (!dev->slm)
		return -EOPNOTSUPP;
	ret = slm_check_xfer(dev, off, len);
	if (ret)
		return ret;
	start_pat[0] = off;
	if (pattern)
		ret = slm_xfer(dev, off, len, true, &slm_pattern_ops, start_pat);
	else
		ret = slm_zero_in(dev, len, off, &done);
	if (!ret)
		slm_count_rw(dev, 0, true);
	return ret;
}

/*
 * One source range: the read policy over all of it first (as a block READ
 * asks before it transfers: an OFFLINE zone or an injected fault fails the
 * range before any of it lands), then the data.
 */
static int slm_copy_range(struct uringblk_dev *dev, u64 pos, u64 len,
			  u64 slm_pos, void *bounce, u64 *done)
{
	struct uringblk_reader rd;

	uringblk_reader_start(dev, &rd, pos, len);
	for (u64 off = 0; off < len; ) {
		s64 n = uringblk_read_check(dev, &rd, pos + off, len - off);

		if (n < 0)
			return n;
		if (!n)
			return -EIO;	/* never expected: do not spin */
		off += n;
	}
	return slm_copy_in(dev, pos, len, slm_pos, bounce, done);
}

/**
 * uringblk_slm_copy() - Memory Copy: LBA ranges (or zeroes) into SLM
 * @dev:	the drive, with SLM
 * @slm_off:	where in SLM the first range lands; the rest follow it
 * @r:		the source ranges (kernel memory)
 * @nr:		how many, 1..URINGBLK_MAX_SET_RANGES
 * @from_media:	if not NULL, set on success to the bytes read from the
 *		media (zero ranges read none), which the caller's timing
 *		model charges
 *
 * Return: the bytes copied, -EINVAL (a bad range), the status LBA Out of
 * Range or Command Size Limit Exceeded, or what reading the media failed
 * with.  Context: dev->lock held for read.  May sleep.
 */
int uringblk_slm_copy(struct uringblk_dev *dev, u64 slm_off,
		      const struct uringblk_copy_range *r, u32 nr, u64 *from_media)
{
	const u32 bs = dev->cfg.block_size;
	const u64 nr_blocks = dev->cfg.capacity / bs;
	u64 total = 0, done = 0, media = 0;
	void *bounce;
	int ret;

	for (u32 i = 0; i < nr; i++) {
		if (!r[i].nlb || (r[i].flags & ~URINGBLK_COPY_F_ZERO) ||
		    ((r[i].flags & URINGBLK_COPY_F_ZERO) && r[i].slba))
			return -EINVAL;
	}
	for (u32 i = 0; i < nr; i++) {
		if (!(r[i].flags & URINGBLK_COPY_F_ZERO) &&
		    (r[i].slba >= nr_blocks || r[i].nlb > nr_blocks - r[i].slba))
			return uringblk_st(URINGBLK_SC_LBA_RANGE);
		total += (u64)r[i].nlb * bs;	/* < 2^32 * 2^12 * 64: no overflow */
	}
	ret = slm_check_xfer(dev, slm_off, total);
	if (ret)
		return ret;
	bounce = kmalloc(PAGE_SIZE, GFP_KERNEL_ACCOUNT);
	if (!bounce)
		return -ENOMEM;
	for (u32 i = 0; i < nr; i++) {
		u64 len = (u64)r[i].nlb * bs;

		if (r[i].flags & URINGBLK_COPY_F_ZERO) {
			ret = slm_zero_in(dev, len, slm_off + done, &done);
		} else {
			ret = slm_copy_range(dev, r[i].slba * bs, len,
					     slm_off + done, bounce, &done);
			media += len;
		}
		if (ret)
			goto out_free;
	}
	/* zero ranges (a file's holes) read nothing from the media */
	if (from_media)
		*from_media = media;
	this_cpu_inc(dev->stats->mem_copies);
	this_cpu_add(dev->stats->slm_bytes_from_media, media);
	ret = done;
out_free:
	kfree(bounce);
	return ret;
}
