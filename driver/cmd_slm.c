// SPDX-License-Identifier: GPL-2.0
/*
 * The device memory commands: MEM_READ (SLM -> host), MEM_WRITE (host ->
 * SLM), MEM_COPY (LBA ranges of the drive, or zeroes, -> SLM, inside the
 * drive) and RANGE_SET_CREATE/DELETE (the store and the sets are slm.c's).
 *
 * They run from the gate (cmd.c) with dev->lock held for read, never on a
 * non-blocking issue (they copy user memory and allocate), so io_uring
 * issues them from io-wq.  A transfer is at most URINGBLK_MAX_MEM_XFER
 * bytes, moved a page at a time; between pages a removal of the drive
 * (-ENODEV) or a fatal signal (-EINTR) stops it, so neither waits for a
 * whole transfer.  Counters move only when a command succeeds.  With the
 * timing model on, a successful one completes at its modelled deadline
 * (timing.c): MEM_READ/WRITE cross the host link, MEM_COPY reads the media.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "cmd.h"
#include "uringblk.h"
#include "slm.h"

/* Pages moved between two checks for removal and fatal signals. */
#define SLM_CHECK_PAGES	16

/*
 * The timing model's deadline of a MEM_READ/WRITE (the link) or MEM_COPY
 * (the media) in the command's pdu, which has its arrival; model off: none.
 */
static void slm_timing_link(struct uringblk_dev *dev, struct io_uring_cmd *ioucmd,
			    u64 bytes, bool to_host)
{
	struct uringblk_cmd_pdu *pdu = uringblk_cmd_pdu(ioucmd);
	u64 t = uringblk_timing_link_deadline(dev, pdu->t0, bytes, to_host);

	if (t)
		pdu->deadline = t;
}

static void slm_timing_media_read(struct uringblk_dev *dev, struct io_uring_cmd *ioucmd,
				  u64 bytes)
{
	struct uringblk_cmd_pdu *pdu = uringblk_cmd_pdu(ioucmd);
	u64 t = uringblk_timing_media_read_deadline(dev, pdu->t0, bytes);

	if (t)
		pdu->deadline = t;
}

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

/**
 * struct slm_xfer_ops - the other side of a transfer to or from SLM
 * @fetch:	a write: the next @n bytes (the transfer's from @done) into
 *		@bounce, before SLM gets a page for them (a bad buffer costs
 *		no SLM page)
 * @deliver:	a read: @n bytes at @src, the transfer's from @done
 *
 * Each returns 0 or -errno (-EFAULT for the gate's retry).
 */
struct slm_xfer_ops {
	int (*fetch)(void *ctx, void *bounce, u64 done, u32 n);
	int (*deliver)(void *ctx, const void *src, u64 done, u32 n);
};

/*
 * The model of MEM_READ and MEM_WRITE and of NVMe's Memory Read, Write and
 * Fill: [@off, +@len) of SLM (checked), one SLM page at a time, the other
 * side @ops's.  A hole reads as zeroes.  Return: 0 or -errno.
 */
static int slm_xfer(struct uringblk_dev *dev, u64 off, u64 len, bool write,
		    const struct slm_xfer_ops *ops, void *ctx)
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

/*
 * The gate's side: the client's memory, without faulting
 * (uringblk_copy_to_client(): the gate faults a missing page in outside
 * dev->lock and issues the command again, which then does it all again).
 */
static int slm_user_fetch(void *ctx, void *bounce, u64 done, u32 n)
{
	const struct uringblk_cmd *c = ctx;

	if (!copy_from_user_nofault(bounce, u64_to_user_ptr(c->addr + done), n))
		return 0;
	return uringblk_client_fault(c, c->addr + done, c->len - done, false);
}

static int slm_user_deliver(void *ctx, const void *src, u64 done, u32 n)
{
	const struct uringblk_cmd *c = ctx;

	if (!copy_to_user_nofault(u64_to_user_ptr(c->addr + done), src, n))
		return 0;
	return uringblk_client_fault(c, c->addr + done, c->len - done, true);
}

static const struct slm_xfer_ops slm_user_ops = {
	.fetch		= slm_user_fetch,
	.deliver	= slm_user_deliver,
};

/* MEM_READ and MEM_WRITE. */
static int slm_user_rw(struct uringblk_dev *dev, const struct uringblk_cmd *c,
		       struct io_uring_cmd *ioucmd, bool write)
{
	u64 off = c->mem_rw.slm_off;
	int ret;

	if (!dev->slm)
		return -EOPNOTSUPP;
	ret = slm_check_xfer(dev, off, c->len);
	if (!ret)
		ret = slm_xfer(dev, off, c->len, write, &slm_user_ops, (void *)c);
	if (ret)
		return ret;
	slm_timing_link(dev, ioucmd, c->len, !write);
	slm_count_rw(dev, c->len, write);
	return c->len;
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

static const struct slm_xfer_ops slm_buf_ops = {
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
 * MEM_READ/WRITE's model and counters without the gate (the NVMe front
 * end's Memory Read and Write, nvme_slm.c); no timing (the caller's).
 * Return: 0, -EOPNOTSUPP (no SLM), -EINVAL (@len 0), -ERANGE (beyond SLM),
 * Command Size Limit Exceeded, -ENOMEM, -ENODEV, -EINTR.  Context:
 * dev->lock held for read, !dev->removing.  May sleep.
 */
int uringblk_slm_rw(struct uringblk_dev *dev, u64 off, void *buf, u64 len, bool write)
{
	int ret;

	if (!dev->slm)
		return -EOPNOTSUPP;
	ret = slm_check_xfer(dev, off, len);
	if (!ret)
		ret = slm_xfer(dev, off, len, write, &slm_buf_ops, buf);
	if (!ret)
		slm_count_rw(dev, len, write);
	return ret;
}

/* MEM_READ: contract in the uAPI header.  May sleep. */
static int uringblk_cmd_mem_read(struct uringblk_dev *dev,
				 const struct uringblk_cmd *c,
				 struct io_uring_cmd *ioucmd)
{
	return slm_user_rw(dev, c, ioucmd, false);
}

/* MEM_WRITE: contract in the uAPI header.  May sleep. */
static int uringblk_cmd_mem_write(struct uringblk_dev *dev,
				  const struct uringblk_cmd *c,
				  struct io_uring_cmd *ioucmd)
{
	return slm_user_rw(dev, c, ioucmd, true);
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

static const struct slm_xfer_ops slm_pattern_ops = {
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

/* MEM_COPY: contract in the uAPI header.  May sleep. */
static int uringblk_cmd_mem_copy(struct uringblk_dev *dev,
				 const struct uringblk_cmd *c,
				 struct io_uring_cmd *ioucmd)
{
	const u64 nr = c->mem_copy.nr_ranges;
	struct uringblk_copy_range *r;
	u64 from_media = 0;
	int ret;

	if (!dev->slm)
		return -EOPNOTSUPP;
	if (nr > URINGBLK_MAX_SET_RANGES)
		return uringblk_st(URINGBLK_SC_CMD_SIZE_LIMIT);
	if (!nr || c->len != nr * sizeof(*r))
		return -EINVAL;
	r = kmalloc_array(nr, sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	ret = uringblk_copy_from_client(c, r, c->addr, c->len);
	if (!ret)
		ret = uringblk_slm_copy(dev, c->mem_copy.slm_off, r, nr, &from_media);
	if (ret >= 0)
		slm_timing_media_read(dev, ioucmd, from_media);
	kfree(r);
	return ret;
}

/* RANGE_SET_CREATE: contract in the uAPI header.  May sleep. */
static int uringblk_cmd_range_set_create(struct uringblk_dev *dev,
					 const struct uringblk_cmd *c,
					 struct io_uring_cmd *ioucmd)
{
	struct uringblk_mem_range *r;
	u32 nr;
	int ret;

	if (!dev->slm)
		return -EOPNOTSUPP;
	/* The array rule of the uAPI header: too many first, then the shape. */
	if (c->len > URINGBLK_MAX_SET_RANGES * sizeof(*r))
		return uringblk_st(URINGBLK_SC_MAX_MEM_RANGES);
	if (!c->len || c->len % sizeof(*r))
		return -EINVAL;
	nr = c->len / sizeof(*r);
	r = kmalloc(c->len, GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	ret = uringblk_copy_from_client(c, r, c->addr, c->len);
	if (!ret)
		ret = uringblk_rset_create(dev, r, nr);
	kfree(r);
	return ret;
}

/* RANGE_SET_DELETE: contract in the uAPI header.  May sleep. */
static int uringblk_cmd_range_set_delete(struct uringblk_dev *dev,
					 const struct uringblk_cmd *c,
					 struct io_uring_cmd *ioucmd)
{
	if (!dev->slm)
		return -EOPNOTSUPP;
	if (c->range_set.rsid > U32_MAX)
		return -EINVAL;
	return uringblk_rset_delete(dev, c->range_set.rsid);
}

/* ---- the SLM command set: its views, table, IDENTIFY fields ---- */

static_assert(URINGBLK_CDW_WORD(mem_rw.slm_off) == 0);
static_assert(URINGBLK_CDW_WORD(mem_copy.slm_off) == 0);
static_assert(URINGBLK_CDW_WORD(mem_copy.nr_ranges) == 1);
static_assert(URINGBLK_CDW_WORD(range_set.rsid) == 0);
static_assert(sizeof(struct uringblk_copy_range) == 16);
static_assert(sizeof(struct uringblk_mem_range) == 16);

/* They copy user memory, so never nowait. */
static const struct uringblk_cmd_desc uringblk_slm_cmds[] = {
	{ URINGBLK_CMD_MEM_READ,    0, URINGBLK_CDW_USED(mem_rw), false, false,
	  uringblk_cmd_mem_read },
	{ URINGBLK_CMD_MEM_WRITE,   0, URINGBLK_CDW_USED(mem_rw), false, false,
	  uringblk_cmd_mem_write, .need_write = true },
	{ URINGBLK_CMD_MEM_COPY,    0, URINGBLK_CDW_USED(mem_copy), false, false,
	  uringblk_cmd_mem_copy, .need_write = true },
	{ URINGBLK_CMD_RANGE_SET_CREATE, 0, 0, false, false,
	  uringblk_cmd_range_set_create, .need_write = true },
	{ URINGBLK_CMD_RANGE_SET_DELETE, 0, URINGBLK_CDW_USED(range_set), true, false,
	  uringblk_cmd_range_set_delete, .need_write = true },
};

const struct uringblk_cmd_set uringblk_cmd_set_slm = {
	.name		= "SLM",
	.cmds		= uringblk_slm_cmds,
	.nr_cmds	= ARRAY_SIZE(uringblk_slm_cmds),
	.identify	= uringblk_slm_identify,	/* slm.c: it knows the store */
};
