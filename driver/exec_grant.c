// SPDX-License-Identifier: GPL-2.0
/*
 * An EXEC's grant and the data side of every run: the pieces of device
 * data a run may read, checked when the command is issued, and the map
 * ops that hand the program (the VM, its helpers, native code, kernel
 * BPF's kfuncs) device data a page at a time through the read policy.
 *
 * The grant.  An EXEC's device data is a stream the program reads from
 * offset 0 to data_len: one LBA range, or with URINGBLK_EXEC_F_EXTENTS a
 * list of extents end to end (a file's blocks in file order).  Both are a
 * table of pieces (struct exec_extent: a plain range is one), and the map
 * op turns a stream offset into a device position through it, so the VM,
 * the helpers and device-defined programs never see the difference.
 *
 *
 * EXECUTE's "device data" is its set's window, already mapped
 * (rs->window): its map op hands out pointers into it and never sleeps or
 * yields.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "bio.h"
#include "compat.h"
#include "exec.h"
#include "ra.h"
#include "sandbox/prog_vm.h"
#include "slm.h"
#include "uringblk.h"

/* The map ops' unmap: drop the page behind the last window.  Never sleeps. */
void uringblk_exec_unmap(void *priv, const void *win)
{
	struct uringblk_exec *ex = priv;

	if (ex->page) {
		put_page(ex->page);
		ex->page = NULL;
	}
}

/*
 * The piece holding stream offset @off (< data_len, so there is one).
 * Scans go forward: the piece of the last window, or the next one, is
 * almost always it; else a binary search over the stream ends (a program
 * may read anywhere).  Never sleeps.
 */
static const struct exec_extent *exec_extent_at(struct uringblk_exec *ex, u64 off)
{
	const struct exec_extent *ext = ex->ext;
	u32 i = ex->ext_cur, lo = 0, hi = ex->nr_ext - 1;

	if (off < ext[i].end && (!i || off >= ext[i - 1].end))
		return &ext[i];
	if (off >= ext[i].end && i < hi && off < ext[i + 1].end) {
		ex->ext_cur = i + 1;
		return &ext[i + 1];
	}
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (off < ext[mid].end)
			hi = mid;
		else
			lo = mid + 1;
	}
	ex->ext_cur = lo;
	return &ext[lo];
}

/*
 * The page at device position @pos for stream offset @off of piece @e:
 * through the backend's readahead while the run scans forward (a map
 * where the last window ended), else get_page() alone.  A run that only
 * jumps around (a lookup) never starts readahead and reads what it maps.
 * May sleep.
 */
static struct page *exec_get_page(struct uringblk_exec *ex,
				  const struct exec_extent *e, u64 off, u64 pos)
{
	struct uringblk_dev *dev = ex->dev;
	const struct uringblk_ra_ops *ra = dev->ops->ra;
	const bool seq = off == ex->ra_next;

	if (!ra)
		return dev->ops->get_page(dev, pos);
	if (!ex->ra && seq)
		ex->ra = ra->start(dev);
	if (!ex->ra)
		return dev->ops->get_page(dev, pos);
	/* ahead: the rest of the piece; the next one may be anywhere */
	return ra->get_page(dev, ex->ra, pos, seq ? e->end - off : 0);
}

/**
 * uringblk_exec_ra_stop() - end the run's readahead, if it has one
 * @ex:		the run, no page mapped
 *
 * Before the run lets go of dev->lock: no read of the backend stays in
 * flight past it.  May sleep (waits for those reads).
 */
void uringblk_exec_ra_stop(struct uringblk_exec *ex)
{
	if (ex->ra) {
		ex->dev->ops->ra->stop(ex->dev, ex->ra);
		ex->ra = NULL;
	}
}

/*
 * Hand the VM up to one page of device data, as far as the read policy
 * (uringblk_read_check()) allows, and never past the end of the piece of
 * the grant it lies in: the next piece may be anywhere on the drive.  The
 * page reference keeps the window valid even if a discard erases the page
 * meanwhile; holes and zero pieces read as the shared zero page.  May
 * sleep if the backend's get_page() does.
 */
long uringblk_exec_map(void *priv, u64 off, u64 len, const void **win)
{
	struct uringblk_exec *ex = priv;
	const struct exec_extent *e = exec_extent_at(ex, off);
	u64 start = e == ex->ext ? 0 : e[-1].end;
	u64 pos = e->pos + (off - start);
	struct page *page;
	s64 ok;
	u32 n;

	uringblk_exec_unmap(ex, NULL);
	len = min(len, e->end - off);
	if (e->zero) {
		*win = page_address(ZERO_PAGE(0));
		len = min_t(u64, len, PAGE_SIZE);
		ex->ra_next = off + len;
		return len;
	}
	n = min_t(u64, len, PAGE_SIZE - offset_in_page(pos));
	/* The read policy, as for a block READ: it may shorten the window. */
	ok = uringblk_read_check(ex->dev, &ex->reader, pos, n);
	if (ok < 0)
		return ok;
	n = ok;
	page = exec_get_page(ex, e, off, pos);
	if (IS_ERR(page))
		return PTR_ERR(page);
	ex->ra_next = off + n;
	if (page) {
		ex->page = page;
		*win = page_address(page) + offset_in_page(pos);
	} else {
		*win = page_address(ZERO_PAGE(0)) + offset_in_page(pos);
	}
	return n;
}

/*
 * The same without sleeping: a backend whose reads may sleep (its
 * inline_ops lack REQ_OP_READ: the file backend reads the file) makes the
 * run yield, and the worker retries the helper call that needed the data.
 */
long uringblk_exec_map_nowait(void *priv, u64 off, u64 len, const void **win)
{
	struct uringblk_exec *ex = priv;

	if (!(ex->dev->ops->inline_ops & URINGBLK_OP_BIT(REQ_OP_READ)))
		return -EWOULDBLOCK;
	return uringblk_exec_map(priv, off, len, win);
}

/*
 * EXECUTE: the set's window is mapped for as long as the run holds the set
 * (slm.h), so a window is a pointer into it.  Never sleeps, never yields.
 */
long uringblk_execute_map(void *priv, u64 off, u64 len, const void **win)
{
	struct uringblk_exec *ex = priv;

	*win = (const u8 *)ex->rs->window + off;
	return len;
}

/*
 * The timing model's SSD model (struct uringblk_tdefer's ->media): the end
 * of the reads of the stream prefix a run scanned, each extent read from
 * @t inside the drive (the NAND array's dies and channels, no host link);
 * zero extents and a range set's SLM read nothing.  O(nr_ext), once per
 * timed run.  Does not sleep.
 */
u64 uringblk_exec_media_end(struct uringblk_tdefer *d, u64 t)
{
	const struct uringblk_exec *ex = container_of(d, struct uringblk_exec, td);
	u64 scanned = ex->res.bytes_scanned, start = 0, end = t;

	if (ex->rs)
		return t;
	for (u32 i = 0; i < ex->nr_ext && start < scanned; i++) {
		const struct exec_extent *e = &ex->ext[i];
		u64 len = min(e->end, scanned) - start;

		if (!e->zero)
			end = max(end, uringblk_timing_ssd_read(d->dev, e->pos, len, t));
		start = e->end;
	}
	return end;
}

/*
 * The timing model: the bytes of the stream prefix a run scanned that come
 * from the media: zero extents (a file's holes) read nothing.  O(nr_ext),
 * once per timed run.
 */
u64 uringblk_exec_media_bytes(const struct uringblk_exec *ex)
{
	u64 scanned = ex->res.bytes_scanned, start = 0, bytes = 0;

	for (u32 i = 0; i < ex->nr_ext && start < scanned; i++) {
		const struct exec_extent *e = &ex->ext[i];

		if (!e->zero)
			bytes += min(e->end, scanned) - start;
		start = e->end;
	}
	return bytes;
}

/* A plain EXEC's grant: the device bytes [@pos, + @len), one piece. */
void uringblk_exec_grant_range(struct uringblk_exec *ex, u64 pos, u64 len)
{
	ex->ext_inline[0] = (struct exec_extent) { .pos = pos, .end = len };
	ex->nr_ext = 1;
	ex->rd_pos = pos;
	ex->rd_len = len;
}

/*
 * Check the extents copied in and turn each struct uringblk_extent into
 * its piece, in place: device position and stream end.  The first bad
 * extent decides the errno (uAPI URINGBLK_EXEC_F_EXTENTS).  The reader's
 * range is the hull of the extents that read the drive, rounded out to
 * blocks: the read policy chooses an injected fault once per reader, as
 * for one READ of that hull.  O(nr_ext), never sleeps.
 * Return: 0 and the stream's length in *@data_len, or -errno.
 */
static int exec_extents_check(struct uringblk_exec *ex, const struct uringblk_dev *dev,
			      u64 *data_len)
{
	const u64 cap = dev->cfg.capacity, bs = dev->cfg.block_size;
	u64 end = 0, lo = U64_MAX, hi = 0;

	for (u32 i = 0; i < ex->nr_ext; i++) {
		struct exec_extent *e = &ex->ext[i];
		struct uringblk_extent u;
		bool zero;

		memcpy(&u, e, sizeof(u));
		zero = u.flags & URINGBLK_EXTENT_F_ZERO;
		if ((u.flags & ~URINGBLK_EXTENT_F_ZERO) || u.rsvd || !u.len ||
		    (zero && u.lba))
			return -EINVAL;
		/* lba below the block count, so lba * bs does not wrap */
		if (!zero && (u.lba >= cap / bs || u.len > cap - u.lba * bs))
			return -ERANGE;
		if (u.len > U64_MAX - end)
			return -EINVAL;	/* the stream's length does not fit */
		end += u.len;
		*e = (struct exec_extent) {
			.pos	= zero ? 0 : u.lba * bs,
			.end	= end,
			.zero	= zero,
		};
		if (!zero) {
			lo = min(lo, e->pos);
			hi = max(hi, e->pos + u.len);
		}
	}
	if (hi) {
		ex->rd_pos = lo;
		ex->rd_len = round_up(hi, bs) - lo;
	}
	*data_len = end;
	return 0;
}

/*
 * URINGBLK_EXEC_F_EXTENTS: copy the list of @nr (checked: 1..the maximum)
 * at @ext_addr in, by the request's means (req.h, ->copy_in()), once: the
 * client may change it meanwhile; then check it.  On a nowait issue
 * neither the allocation of a long list nor a fault on it may sleep:
 * -EAGAIN, and the front end issues the EXEC again where it may.
 * Return: 0 and the stream's length in *@data_len, or -errno (the
 * caller releases @ex).
 */
int uringblk_exec_grant_extents(struct uringblk_exec *ex, const struct uringblk_dev *dev,
				u64 ext_addr, u32 nr, bool nowait, u64 *data_len)
{
	const size_t bytes = nr * sizeof(struct uringblk_extent);
	int ret;
	struct exec_extent *ext = ex->ext_inline;

	if (nr > EXEC_EXT_CACHED) {
		/* kvmalloc() may fall back to vmalloc(), which sleeps */
		ext = nowait ? kmalloc_array(nr, sizeof(*ext), EXEC_GFP_NOWAIT) :
			       kvmalloc_array(nr, sizeof(*ext), EXEC_GFP);
		if (!ext)
			return nowait ? -EAGAIN : -ENOMEM;
		ex->ext_big = ext;
	}
	ex->ext = ext;
	ex->nr_ext = nr;
	/* nowait: not resident, or a bad address, is -EAGAIN: io-wq knows */
	ret = ex->req.ops->copy_in(&ex->req, ext, ext_addr, bytes, nowait);
	if (ret)
		return ret;
	return exec_extents_check(ex, dev, data_len);
}
