// SPDX-License-Identifier: GPL-2.0
/*
 * The device memory commands: MEM_READ (SLM -> host), MEM_WRITE (host ->
 * SLM), MEM_COPY (LBA ranges of the drive, or zeroes, -> SLM, inside the
 * drive) and RANGE_SET_CREATE/DELETE (the store and the sets are slm.c's).
 *
 * They run from the gate (cmd.c) with dev->lock held for read, never on a
 * non-blocking issue (they copy user memory and allocate), so io_uring
 * issues them from io-wq.  The transfers are the SLM model's, shared with
 * the NVMe face (slm.c: uringblk_slm_xfer() with the client's memory on
 * the other side, uringblk_slm_copy()).  With the timing model on, a
 * successful one completes at its modelled deadline (timing.c):
 * MEM_READ/WRITE cross the host link, MEM_COPY reads the media.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "cmd.h"
#include "uringblk.h"
#include "slm.h"

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
				  u64 bytes, const struct uringblk_copy_range *r, u32 nr)
{
	struct uringblk_cmd_pdu *pdu = uringblk_cmd_pdu(ioucmd);
	u64 t = uringblk_timing_media_read_deadline(dev, pdu->t0, bytes, r, nr);

	if (t)
		pdu->deadline = t;
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

static const struct uringblk_slm_xfer_ops slm_user_ops = {
	.fetch		= slm_user_fetch,
	.deliver	= slm_user_deliver,
};

/* MEM_READ and MEM_WRITE. */
static int slm_user_rw(struct uringblk_dev *dev, const struct uringblk_cmd *c,
		       struct io_uring_cmd *ioucmd, bool write)
{
	int ret;

	ret = uringblk_slm_xfer(dev, c->mem_rw.slm_off, c->len, write, &slm_user_ops,
				(void *)c);
	if (ret)
		return ret;
	slm_timing_link(dev, ioucmd, c->len, !write);
	return c->len;
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
		slm_timing_media_read(dev, ioucmd, from_media, r, nr);
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
