// SPDX-License-Identifier: GPL-2.0
/*
 * The drive as a controller of Linux's own NVMe driver: a transport of
 * nvme-core (Documentation/dev/nvme-controller.md, route A), as nvme-apple
 * and nvme-loop are.  nvme-core initialises the controller through the
 * registers emulated here (CAP, VS, CC, CSTS), identifies it, scans its
 * namespaces and makes its nodes itself: /dev/nvmeX, /dev/nvmeXn1 (NVM or
 * ZNS), /dev/ngXnY for every namespace.  Each command nvme-core queues is
 * executed by the drive's NVMe face, the device half the command device's
 * passthrough uses (nvme_admin.c, the command sets of nvme_ns.c): one
 * decode for both.  What belongs to a controller rather than to the drive
 * is answered here: its registers, Number of Queues, asynchronous events.
 *
 * Every I/O command is tried in ->queue_rq() itself, without sleeping at
 * all: the controller is a front end of the model's request (req.h), as
 * the command device is, and each command set answers -EAGAIN for what
 * would sleep.  So a memory drive's Read or Write is done there (the
 * face's fast path), and Execute Program starts its run inline up to a
 * slice and continues it on the drive's worker, as for a URING_CMD.  What
 * would sleep (an admin command, the KV engine, a zone command, a bio:
 * a file backend, the timing model) runs on the controller's workqueue,
 * as nvme-loop runs every command on nvmet's; a Read or Write's bio is
 * submitted there and completes when it ends, not waited for.  A tag set with
 * BLK_MQ_F_BLOCKING would let ->queue_rq() sleep, but blk-mq then
 * dispatches every passthrough request from kblockd: measured, 4.9x the
 * QD1 latency of /dev/uringblkc0 on the generic node.  A quiesce waits for
 * ->queue_rq(), a wait for the runs in flight (which a reset stops: the
 * request's ->gone()) and a flush of the workqueue after it for the rest,
 * so a cancel never finds a request the drive still holds.
 *
 * Needs nvme-core's private header, drivers/nvme/host/nvme.h, of the very
 * kernel it loads into: tools/nvme-src extracts it from linux-source and
 * proves its layout against nvme-core.ko's BTF (nvme_layout.h); Kbuild
 * builds this file only then.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include URINGBLK_NVME_HOST_H	/* nvme-core's nvme.h: <linux/nvme.h> and more */
#include URINGBLK_NVME_LAYOUT_H	/* its layout, checked against nvme-core.ko */
#include "compat_nvme.h"

#include <linux/blk-integrity.h>
#include <linux/blk-mq.h>
#include <linux/io_uring.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>

#include "compat.h"
#include "uringblk.h"
#include "nvme.h"
#include "nvme_ctrl.h"
#include "req.h"
#include "status.h"

/* CAP (NVMe 2.0, 3.1.4.1): the register file of a controller in memory. */
#define URINGBLK_CTRL_MQES	1023	/* 0's based: 1024 entries per queue */
#define URINGBLK_CTRL_TO	1	/* CSTS.RDY follows CC.EN at once: 500 ms */
#define URINGBLK_CTRL_DEPTH	128	/* tags per I/O queue: sqsize + 1 */

/* Any non-zero data pointer: the face reads the buffer from its iov_iter. */
#define URINGBLK_CTRL_KBUF	1

enum {
	URINGBLK_CTRL_ADMIN_LIVE,	/* the admin queue takes commands */
	URINGBLK_CTRL_IO_LIVE,		/* the I/O queues take commands */
};

/**
 * struct uringblk_nvme_ctrl - one drive's controller
 * @ctrl:	nvme-core's; its device's release frees this struct
 *		(->free_ctrl)
 * @dev:	the drive, referenced until ->free_ctrl
 * @admin_set:	the admin queue's tag set, kept with its queue across resets
 *		(nvme-pci's and nvme-tcp's way): a passthrough ioctl reads
 *		ctrl->admin_q unlocked, so a queue replaced under it would be
 *		a dying one (-ENODEV) or a freed one
 * @io_set:	the I/O queues' tag set, kept across resets, freed with the
 *		namespaces' queues that use it (->free_ctrl)
 * @wq:		commands that may sleep (uringblk_ctrl_work())
 * @admin_set_ok: @admin_set is allocated
 * @io_set_ok:	@io_set is allocated
 * @owned:	nvme_init_ctrl() succeeded: ->free_ctrl frees this struct (6.1's
 *		nvme_init_ctrl() calls it on its own failures too, when the
 *		caller still owns it)
 * @flags:	URINGBLK_CTRL_*_LIVE
 * @held:	I/O commands the drive holds after their issue returned
 *		(Execute Program's runs, Reads' and Writes' bios: uringblk_ctrl_io())
 * @cc:		the Controller Configuration register as last written
 * @cntlid:	its Controller ID, its index in the drive's nvme_ctrl[]
 * @max_io_queues: the I/O queues Number of Queues grants at most: one per
 *		online CPU and one polled
 * @nr_poll:	of the granted queues, the polled ones (HCTX_TYPE_POLL, the
 *		last): 1, or 0 if only one queue was granted
 */
struct uringblk_nvme_ctrl {
	struct nvme_ctrl	ctrl;
	struct uringblk_dev	*dev;
	struct blk_mq_tag_set	admin_set;
	struct blk_mq_tag_set	io_set;
	struct workqueue_struct	*wq;
	bool			io_set_ok;
	bool			admin_set_ok;
	bool			owned;
	unsigned long		flags;
	atomic_t		held;
	u32			cc;
	u16			cntlid;
	u32			max_io_queues;
	u32			nr_poll;
};

/*
 * The request's private data: nvme-core's first (nvme_req()), then its
 * command, the work that runs it if it may sleep, and for a request the
 * drive holds (Execute Program's run, a Read's bio) the model's callback
 * to run in process context (uringblk_ctrl_req_to_task()).
 */
struct uringblk_nvme_ctrl_rq {
	struct nvme_request	req;
	struct nvme_command	cmd;
	struct work_struct	work;
	struct uringblk_nvme_ctrl *uc;
	struct work_struct	held_work;
	struct uringblk_req	*held;
	void			(*held_fn)(struct uringblk_req *req, struct uringblk_issue is);
};

static struct uringblk_nvme_ctrl *to_uctrl(struct nvme_ctrl *ctrl)
{
	return container_of(ctrl, struct uringblk_nvme_ctrl, ctrl);
}

static u64 uringblk_ctrl_cap(void)
{
	return URINGBLK_CTRL_MQES | (u64)1 << 16 |	/* CQR: contiguous queues */
	       (u64)URINGBLK_CTRL_TO << 24 |
	       /* CSS: the NVM set, and I/O command sets (KV, SLM, CP: CSI) */
	       (u64)(NVME_CAP_CSS_NVM | NVME_CAP_CSS_CSI) << 37;
	/* MPSMIN, MPSMAX 0: 4 KiB pages; no NSSR, no CMB, no boot partitions */
}

static int uringblk_ctrl_reg_read32(struct nvme_ctrl *ctrl, u32 off, u32 *val)
{
	u32 cc = READ_ONCE(to_uctrl(ctrl)->cc);

	switch (off) {
	case NVME_REG_VS:
		*val = NVME_VS(2, 0, 0);	/* Identify Controller's VER */
		return 0;
	case NVME_REG_CC:
		*val = cc;
		return 0;
	case NVME_REG_CSTS:
		/* Ready as soon as enabled; a shutdown completes at once. */
		*val = (cc & NVME_CC_ENABLE ? NVME_CSTS_RDY : 0) |
		       (cc & NVME_CC_SHN_MASK ? NVME_CSTS_SHST_CMPLT : 0);
		return 0;
	default:
		*val = 0;	/* the registers this controller does not have */
		return 0;
	}
}

static int uringblk_ctrl_reg_read64(struct nvme_ctrl *ctrl, u32 off, u64 *val)
{
	*val = off == NVME_REG_CAP ? uringblk_ctrl_cap() : 0;
	return 0;
}

static int uringblk_ctrl_reg_write32(struct nvme_ctrl *ctrl, u32 off, u32 val)
{
	if (off == NVME_REG_CC)
		WRITE_ONCE(to_uctrl(ctrl)->cc, val);
	return 0;	/* NSSR: CAP.NSSRS is 0, nvme-core never writes it */
}

/* libnvme requires "traddr="; a drive's later controllers add a port, "trsvcid=N". */
static int uringblk_ctrl_get_address(struct nvme_ctrl *ctrl, char *buf, int size)
{
	struct uringblk_nvme_ctrl *uc = to_uctrl(ctrl);

	if (!uc->cntlid)
		return snprintf(buf, size, "traddr=%s\n", uc->dev->name);
	return snprintf(buf, size, "traddr=%s,trsvcid=%u\n", uc->dev->name, uc->cntlid);
}

/*
 * OAES is 0: nvme-core never asks for an event (nvme_enable_aen()).  Were
 * it to, holding the request is right: the drive has no event to report.
 */
static void uringblk_ctrl_submit_async_event(struct nvme_ctrl *ctrl)
{
}

static void uringblk_ctrl_free(struct nvme_ctrl *ctrl)
{
	struct uringblk_nvme_ctrl *uc = to_uctrl(ctrl);

	if (!uc->owned)
		return;
	if (uc->io_set_ok)
		nvme_remove_io_tag_set(ctrl);
	destroy_workqueue(uc->wq);
	uringblk_dev_put(uc->dev);
	kfree(uc);
}

/*
 * Number of Queues (Set and Get Features 07h) is the controller's: it
 * grants up to @max_io_queues of each kind, 0's based in both halves of
 * the result.  Set is taken only while the controller has no I/O queue:
 * while nvme-core (re)initialises it (nvme_set_queue_count() of the probe
 * and of each reset, before uringblk_ctrl_setup_io() makes them live).
 * Once they are, the base specification calls it a Command Sequence Error,
 * as QEMU's device answers once the host created a queue (its
 * qs_created) and the command device always does (nvme_admin.c: its
 * queues exist from the drive's creation).
 */
static int uringblk_ctrl_num_queues(struct uringblk_nvme_ctrl *uc,
				    const struct nvme_passthru_cmd64 *c, u64 *result)
{
	u32 n = uc->ctrl.queue_count > 1 ? uc->ctrl.queue_count - 2 : uc->max_io_queues - 1;

	if (c->opcode == nvme_admin_set_features) {
		u32 nsq = c->cdw11 & 0xffff, ncq = c->cdw11 >> 16;

		if (test_bit(URINGBLK_CTRL_IO_LIVE, &uc->flags))
			return NVME_SC_CMD_SEQ_ERROR | URINGBLK_NVME_DNR;
		if (nsq == 0xffff || ncq == 0xffff)
			return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
		n = min3(nsq, ncq, uc->max_io_queues - 1);
	}
	*result = n | n << 16;
	return 0;
}

/*
 * The request's data as an iov_iter: its bio's vector where there is one
 * bio (the loop driver's way), else a vector gathered from every bio into
 * *@bvp, which the caller frees.  A special payload (Dataset Management's
 * ranges) is its one bvec.
 */
static int uringblk_ctrl_iter(struct request *rq, u32 len, struct iov_iter *iter,
			      struct bio_vec **bvp, gfp_t gfp)
{
	unsigned int dir = op_is_write(req_op(rq)) ? WRITE : READ;
	struct req_iterator ri;
	struct bio_vec bv, *vec;
	unsigned int n = 0;
	struct bio *bio;

	*bvp = NULL;
	if (!len) {
		iov_iter_bvec(iter, dir, NULL, 0, 0);
		return 0;
	}
	if (rq->rq_flags & RQF_SPECIAL_PAYLOAD) {
		iov_iter_bvec(iter, dir, &rq->special_vec, 1, len);
		return 0;
	}
	bio = rq->bio;
	if (bio == rq->biotail) {
		iov_iter_bvec(iter, dir, __bvec_iter_bvec(bio->bi_io_vec, bio->bi_iter),
			      bio->bi_vcnt - bio->bi_iter.bi_idx, len);
		iter->iov_offset = bio->bi_iter.bi_bvec_done;
		return 0;
	}
	rq_for_each_bvec(bv, rq, ri)
		n++;
	vec = kmalloc_array(n, sizeof(*vec), gfp);
	if (!vec)
		return -ENOMEM;
	n = 0;
	rq_for_each_bvec(bv, rq, ri)
		vec[n++] = bv;
	iov_iter_bvec(iter, dir, vec, n, len);
	*bvp = vec;
	return 0;
}

static void uringblk_ctrl_complete(struct request *rq, int st, u64 result)
{
	union nvme_result res = { .u64 = cpu_to_le64(result) };

	/* nvme-core's status is the CQE's, its phase bit (bit 0) shifted out */
	if (!nvme_try_complete_req(rq, cpu_to_le16(st << 1), res))
		nvme_complete_rq(rq);
}

/* A request the drive held has ended: a shutdown may be waiting for the last. */
static void uringblk_ctrl_held_put(struct uringblk_nvme_ctrl *uc)
{
	if (atomic_dec_and_test(&uc->held))
		wake_up_var(&uc->held);
}

/*
 * An I/O command as a request of the model (req.h): the kernel's, not a
 * process's (->kernel), completed in NVMe's form.  ->complete() may come
 * in the issue itself, from the drive's worker, or from the controller's
 * workqueue (->to_task()); the count of held requests lets a shutdown
 * wait for it.
 */
static void uringblk_ctrl_req_complete(struct uringblk_req *req, int status, u64 r0,
				       struct uringblk_issue is)
{
	struct request *rq = req->handle;
	struct uringblk_nvme_ctrl *uc = ((struct uringblk_nvme_ctrl_rq *)blk_mq_rq_to_pdu(rq))->uc;

	uringblk_ctrl_complete(rq, status ? uringblk_nvme_status(status) : 0,
			       status ? 0 : r0);
	uringblk_ctrl_held_put(uc);
}

static void uringblk_ctrl_req_work(struct work_struct *work)
{
	struct uringblk_nvme_ctrl_rq *r =
		container_of(work, struct uringblk_nvme_ctrl_rq, held_work);

	r->held_fn(r->held, (struct uringblk_issue){});
}

/*
 * The model's way back, from any context (the worker, the timing model's
 * timer, a bio's end): its callback drops what the request held, which
 * wants process context, so it runs on the controller's workqueue.
 */
static void uringblk_ctrl_req_to_task(struct uringblk_req *req,
				      void (*fn)(struct uringblk_req *req,
						 struct uringblk_issue is))
{
	struct uringblk_nvme_ctrl_rq *r = blk_mq_rq_to_pdu((struct request *)req->handle);

	r->held = req;
	r->held_fn = fn;
	queue_work(r->uc->wq, &r->held_work);
}

/*
 * A reset or the drive's removal (nvme-core's RESETTING, DELETING...)
 * aborts the commands: the runs stop, -EINTR, Command Abort Requested.
 * Before the namespaces go too: their queues' freeze waits for the runs.
 */
static bool uringblk_ctrl_req_gone(struct uringblk_req *req)
{
	struct uringblk_nvme_ctrl_rq *r = blk_mq_rq_to_pdu((struct request *)req->handle);

	return nvme_ctrl_state(&r->uc->ctrl) != NVME_CTRL_LIVE;
}

static const struct uringblk_req_ops uringblk_ctrl_req_ops = {
	.complete	= uringblk_ctrl_req_complete,
	.to_task	= uringblk_ctrl_req_to_task,
	.gone		= uringblk_ctrl_req_gone,
	.kernel		= true,
};

/*
 * An I/O command to its namespace's command set, counted as held until
 * its request completes if the set keeps it (-EIOCBQUEUED).
 */
static int uringblk_ctrl_io(struct uringblk_nvme_ctrl *uc,
			    const struct uringblk_nvme_cset *cs,
			    const struct nvme_passthru_cmd64 *c, struct iov_iter *iter,
			    const struct uringblk_req *req, struct uringblk_issue is,
			    u64 *result)
{
	int ret;

	atomic_inc(&uc->held);
	ret = uringblk_nvme_cset_io(uc->dev, cs, c, iter, req, is, false, result);
	if (ret != -EIOCBQUEUED)
		uringblk_ctrl_held_put(uc);
	return ret;
}

/*
 * One command, executed: nvme-core's 64 bytes read once into the face's
 * form (the passthrough uAPI's, host-endian), then the face's device half:
 * an I/O command as the run model's request (req.h), which its command set
 * may complete later (Execute Program's run, a Read's bio).  @nowait: in
 * ->queue_rq(), which must not sleep at all: the command set says -EAGAIN
 * for what would (its whole set, or the command), and so does an admin
 * command, for the workqueue.
 * Return: 0, an NVMe status (DNR as nvme-core reads it), -EIOCBQUEUED (the
 * run model completes the request), or (@nowait) -EAGAIN; *@result.
 */
static int uringblk_ctrl_exec(struct uringblk_nvme_ctrl *uc, struct request *rq,
			      bool nowait, u64 *result)
{
	const struct nvme_common_command *cmd = &nvme_req(rq)->cmd->common;
	u32 len = blk_rq_nr_phys_segments(rq) ? blk_rq_payload_bytes(rq) : 0;
	bool admin = !rq->q->queuedata;		/* the admin queue has no namespace */
	struct uringblk_dev *dev = uc->dev;
	struct nvme_passthru_cmd64 c = {
		.opcode		= cmd->opcode,
		.nsid		= le32_to_cpu(cmd->nsid),
		.cdw2		= le32_to_cpu(cmd->cdw2[0]),
		.cdw3		= le32_to_cpu(cmd->cdw2[1]),
		.addr		= len ? URINGBLK_CTRL_KBUF : 0,
		.data_len	= len,
		.cdw10		= le32_to_cpu(cmd->cdw10),
		.cdw11		= le32_to_cpu(cmd->cdw11),
		.cdw12		= le32_to_cpu(cmd->cdw12),
		.cdw13		= le32_to_cpu(cmd->cdw13),
		.cdw14		= le32_to_cpu(cmd->cdw14),
		.cdw15		= le32_to_cpu(cmd->cdw15),
	};
	const struct uringblk_req req = {
		.ops	= &uringblk_ctrl_req_ops,
		.handle	= rq,
	};
	const struct uringblk_issue is = { .nowait = nowait, .atomic = nowait };
	const struct uringblk_nvme_cset *cs = NULL;
	struct iov_iter iter;
	struct bio_vec *bvec;
	int ret;

	*result = 0;
	if (!admin) {
		cs = uringblk_nvme_ns_cset(dev, c.nsid);
		/* before the buffer's map, for the workqueue to map it once */
		if (nowait && !cs->nowait)
			return -EAGAIN;
	} else if (nowait) {
		return -EAGAIN;
	} else if ((c.opcode == nvme_admin_set_features ||
		    c.opcode == nvme_admin_get_features) &&
		   (c.cdw10 & 0xff) == NVME_FEAT_NUM_QUEUES) {
		return uringblk_ctrl_num_queues(uc, &c, result);
	}
	/* Metadata: no format of this drive has any (Identify's LBAF MS 0). */
	if (blk_integrity_rq(rq))
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	ret = uringblk_ctrl_iter(rq, len, &iter, &bvec, nowait ? GFP_NOWAIT : GFP_NOIO);
	if (ret)
		return nowait ? -EAGAIN : uringblk_nvme_status(ret);
	if (READ_ONCE(dev->removing))
		ret = -ENODEV;
	else if (admin)
		ret = uringblk_nvme_admin_exec(dev, uc->cntlid, &c, &iter, result);
	else
		ret = uringblk_ctrl_io(uc, cs, &c, &iter, &req, is, result);
	kfree(bvec);
	if ((ret == -EAGAIN && nowait) || ret == -EIOCBQUEUED)
		return ret;
	return ret < 0 ? uringblk_nvme_status(ret) : ret;
}

/* A command that may sleep, in the controller's workqueue. */
static void uringblk_ctrl_work(struct work_struct *work)
{
	struct uringblk_nvme_ctrl_rq *r = container_of(work, struct uringblk_nvme_ctrl_rq, work);
	struct request *rq = blk_mq_rq_from_pdu(r);
	u64 result;
	int st;

	st = uringblk_ctrl_exec(r->uc, rq, false, &result);
	if (st != -EIOCBQUEUED)
		uringblk_ctrl_complete(rq, st, result);
}

static blk_status_t uringblk_ctrl_queue_rq(struct blk_mq_hw_ctx *hctx,
					   const struct blk_mq_queue_data *bd)
{
	struct uringblk_nvme_ctrl *uc = hctx->driver_data;
	struct nvme_ns *ns = hctx->queue->queuedata;
	struct request *rq = bd->rq;
	blk_status_t bst;
	u64 result;
	int st;

	if (!nvme_check_ready(&uc->ctrl, rq,
			      test_bit(ns ? URINGBLK_CTRL_IO_LIVE :
					    URINGBLK_CTRL_ADMIN_LIVE, &uc->flags)))
		return nvme_fail_nonready_command(&uc->ctrl, rq);
	bst = nvme_setup_cmd(ns, rq);
	if (bst)
		return bst;
	nvme_start_request(rq);
	st = uringblk_ctrl_exec(uc, rq, true, &result);
	if (st == -EAGAIN) {
		queue_work(uc->wq, &((struct uringblk_nvme_ctrl_rq *)blk_mq_rq_to_pdu(rq))->work);
		return BLK_STS_OK;
	}
	if (st != -EIOCBQUEUED)
		uringblk_ctrl_complete(rq, st, result);
	return BLK_STS_OK;
}

static int uringblk_ctrl_init_request(struct blk_mq_tag_set *set, struct request *rq,
				      unsigned int hctx_idx, unsigned int numa_node)
{
	struct uringblk_nvme_ctrl_rq *r = blk_mq_rq_to_pdu(rq);

	nvme_req(rq)->ctrl = set->driver_data;
	nvme_req(rq)->cmd = &r->cmd;
	r->uc = to_uctrl(set->driver_data);
	INIT_WORK(&r->work, uringblk_ctrl_work);
	INIT_WORK(&r->held_work, uringblk_ctrl_req_work);
	return 0;
}

static int uringblk_ctrl_init_hctx(struct blk_mq_hw_ctx *hctx, void *data,
				   unsigned int hctx_idx)
{
	hctx->driver_data = to_uctrl(data);
	return 0;
}

/*
 * The I/O tag set's maps: the default queues first, then the polled one
 * (nvme-pci's layout); no read queues, so reads take the default map.
 */
static void uringblk_ctrl_map_queues(struct blk_mq_tag_set *set)
{
	struct uringblk_nvme_ctrl *uc = to_uctrl(set->driver_data);
	struct blk_mq_queue_map *def = &set->map[HCTX_TYPE_DEFAULT];
	struct blk_mq_queue_map *poll = &set->map[HCTX_TYPE_POLL];

	def->nr_queues = set->nr_hw_queues - uc->nr_poll;
	def->queue_offset = 0;
	blk_mq_map_queues(def);
	set->map[HCTX_TYPE_READ].nr_queues = 0;
	poll->nr_queues = uc->nr_poll;
	poll->queue_offset = def->nr_queues;
	if (poll->nr_queues)
		blk_mq_map_queues(poll);
}

/*
 * A polled request completed in ->queue_rq() like any other (its
 * completion is never sent to another CPU): nothing is ever left to reap.
 */
static int uringblk_ctrl_poll(struct blk_mq_hw_ctx *hctx, struct io_comp_batch *iob)
{
	return 0;
}

static const struct blk_mq_ops uringblk_ctrl_admin_mq_ops = {
	.queue_rq	= uringblk_ctrl_queue_rq,
	.complete	= nvme_complete_rq,
	.init_request	= uringblk_ctrl_init_request,
	.init_hctx	= uringblk_ctrl_init_hctx,
};

static const struct blk_mq_ops uringblk_ctrl_mq_ops = {
	.queue_rq	= uringblk_ctrl_queue_rq,
	.complete	= nvme_complete_rq,
	.init_request	= uringblk_ctrl_init_request,
	.init_hctx	= uringblk_ctrl_init_hctx,
	.map_queues	= uringblk_ctrl_map_queues,
	.poll		= uringblk_ctrl_poll,
};

/* The admin queue and its tag set, when the controller goes. */
static void uringblk_ctrl_remove_admin(struct uringblk_nvme_ctrl *uc)
{
	if (uc->admin_set_ok)
		nvme_remove_admin_tag_set(&uc->ctrl);
	uc->admin_set_ok = false;
}

/* The admin queue, enabled and identified (nvme-loop's order). */
static int uringblk_ctrl_setup_admin(struct uringblk_nvme_ctrl *uc)
{
	struct nvme_ctrl *ctrl = &uc->ctrl;
	bool new = !uc->admin_set_ok;
	int ret;

	if (new) {
		ret = nvme_alloc_admin_tag_set(ctrl, &uc->admin_set, &uringblk_ctrl_admin_mq_ops,
					       sizeof(struct uringblk_nvme_ctrl_rq));
		if (ret)
			return ret;
		uc->admin_set_ok = true;
	}
	set_bit(URINGBLK_CTRL_ADMIN_LIVE, &uc->flags);
	ret = nvme_enable_ctrl(ctrl);
	if (ret)
		goto out_remove;
	ctrl->max_hw_sectors = uringblk_nvme_max_bytes(uc->dev) >> SECTOR_SHIFT;
	compat_nvme_unquiesce_admin_queue(ctrl);
	ret = compat_nvme_init_ctrl_finish(ctrl);
	if (ret)
		goto out_remove;
	return 0;

out_remove:
	clear_bit(URINGBLK_CTRL_ADMIN_LIVE, &uc->flags);
	if (new)
		uringblk_ctrl_remove_admin(uc);
	return ret;
}

/* The I/O queues Number of Queues grants: a tag set, or the one resized. */
static int uringblk_ctrl_setup_io(struct uringblk_nvme_ctrl *uc)
{
	struct nvme_ctrl *ctrl = &uc->ctrl;
	int nr = uc->max_io_queues;
	int ret;

	ret = nvme_set_queue_count(ctrl, &nr);
	if (ret)
		return ret;
	if (!nr)
		return -EIO;	/* never: the controller grants at least one */
	ctrl->queue_count = nr + 1;
	uc->nr_poll = nr > 1;
	if (!uc->io_set_ok) {
		ret = nvme_alloc_io_tag_set(ctrl, &uc->io_set, &uringblk_ctrl_mq_ops,
					    HCTX_MAX_TYPES,
					    sizeof(struct uringblk_nvme_ctrl_rq));
		if (ret)
			return ret;
		uc->io_set_ok = true;
	}
	/*
	 * Live before the resize of a reset, and unquiesced: its freeze
	 * waits for the requests that waited through the reset, which only
	 * a live queue executes (nvme-tcp's order).  Without a resize the
	 * queues stay quiesced until nvme_start_ctrl() (nvme-loop's order).
	 */
	set_bit(URINGBLK_CTRL_IO_LIVE, &uc->flags);
	if (ctrl->tagset->nr_hw_queues != nr) {
		compat_nvme_unquiesce_io_queues(ctrl);
		blk_mq_update_nr_hw_queues(&uc->io_set, nr);
	}
	return 0;
}

/*
 * Stop both queues and disable the controller (nvme-loop's shutdown): a
 * quiesce waits for every ->queue_rq(), a flush for the commands passed
 * to the workqueue, the wait on @held for the requests the drive holds
 * (Execute Program's runs, bios: a cancel of a request before the drive
 * completes it would complete it twice), so the cancels find only
 * requests that never reached the drive.  Again after a failed reset:
 * what is gone already is skipped.
 *
 * @hold: a reset's shutdown: the I/O queues stay quiesced, so what is
 * submitted meanwhile waits in blk-mq and runs once the controller is
 * live again (nvme_start_ctrl() unquiesces them), as nvme-pci's, -tcp's
 * and -loop's resets keep them; a passthrough request, which nvme-core
 * never retries (REQ_FAILFAST_DRIVER), would otherwise reach a queue not
 * live and fail with Host Path Error (nvme_fail_nonready_command()).
 * Otherwise (removal, a failed reset) they are unquiesced, so that what
 * waits fails instead of holding del_gendisk()'s freeze forever.
 */
static void uringblk_ctrl_shutdown(struct uringblk_nvme_ctrl *uc, bool hold)
{
	struct nvme_ctrl *ctrl = &uc->ctrl;

	if (test_bit(URINGBLK_CTRL_IO_LIVE, &uc->flags)) {
		/*
		 * Quiesced before marked not live (nvme-loop's order): a
		 * request in ->queue_rq() between the two would find the
		 * queue not live and fail with Host Path Error.
		 */
		compat_nvme_quiesce_io_queues(ctrl);
		clear_bit(URINGBLK_CTRL_IO_LIVE, &uc->flags);
		/*
		 * The workqueue's commands first: one may start a run or a
		 * bio.  Then what the drive holds (runs, not LIVE, stop at
		 * their next reschedule point; bios end), then the work that
		 * completed the last of them.
		 */
		flush_workqueue(uc->wq);
		wait_var_event(&uc->held, !atomic_read(&uc->held));
		flush_workqueue(uc->wq);
		nvme_cancel_tagset(ctrl);
		ctrl->queue_count = 1;
	}
	/* Either way: quiesced by an earlier reset that did not finish. */
	if (!hold)
		compat_nvme_unquiesce_io_queues(ctrl);
	if (!test_bit(URINGBLK_CTRL_ADMIN_LIVE, &uc->flags))
		return;
	compat_nvme_quiesce_admin_queue(ctrl);
	clear_bit(URINGBLK_CTRL_ADMIN_LIVE, &uc->flags);
	flush_workqueue(uc->wq);
	if (nvme_ctrl_state(ctrl) == NVME_CTRL_LIVE)
		compat_nvme_shutdown_ctrl(ctrl);
	nvme_cancel_admin_tagset(ctrl);
	compat_nvme_unquiesce_admin_queue(ctrl);
}

/*
 * A controller reset (`nvme reset`, sysfs reset_controller): the
 * controller's state starts again; the drive's (data, programs, memory
 * range sets) is the drive's and stays, as on a real drive.  A reset that
 * fails leaves the controller dead (its commands fail, its namespaces
 * cannot be opened) until the drive goes.
 */
static void uringblk_ctrl_reset_work(struct work_struct *work)
{
	struct uringblk_nvme_ctrl *uc =
		container_of(work, struct uringblk_nvme_ctrl, ctrl.reset_work);
	struct nvme_ctrl *ctrl = &uc->ctrl;
	int ret;

	nvme_stop_ctrl(ctrl);
	uringblk_ctrl_shutdown(uc, true);
	if (!nvme_change_ctrl_state(ctrl, NVME_CTRL_CONNECTING)) {
		/* being deleted: what waited fails (del_gendisk() waits for it) */
		compat_nvme_unquiesce_io_queues(ctrl);
		return;
	}
	ret = uringblk_ctrl_setup_admin(uc);
	if (!ret) {
		ret = uringblk_ctrl_setup_io(uc);
		if (ret)
			uringblk_ctrl_shutdown(uc, false);
	}
	if (ret || !nvme_change_ctrl_state(ctrl, NVME_CTRL_LIVE)) {
		dev_warn(ctrl->device, "reset failed (%d): the controller is dead\n", ret);
		nvme_change_ctrl_state(ctrl, NVME_CTRL_DELETING);
		uringblk_ctrl_shutdown(uc, false);
		compat_nvme_mark_namespaces_dead(ctrl);
		return;
	}
	nvme_start_ctrl(ctrl);
}

static const struct nvme_ctrl_ops uringblk_ctrl_ops = {
	.name			= "uringblk",
	.module			= THIS_MODULE,
	.reg_read32		= uringblk_ctrl_reg_read32,
	.reg_write32		= uringblk_ctrl_reg_write32,
	.reg_read64		= uringblk_ctrl_reg_read64,
	.free_ctrl		= uringblk_ctrl_free,
	.submit_async_event	= uringblk_ctrl_submit_async_event,
	/*
	 * No ->delete_ctrl, so no sysfs delete_controller: nvme-core's
	 * deletion is the fabrics one (it prints ctrl->opts, NULL here); the
	 * controller goes with its drive, as nvme-pci's with its device.
	 */
	.get_address		= uringblk_ctrl_get_address,
};

/* Controller @cntlid, in dev->nvme_ctrl[]: the first makes the subsystem, the rest join it. */
static int uringblk_ctrl_add_one(struct uringblk_dev *dev, u16 cntlid,
				 struct uringblk_msg *msg)
{
	struct uringblk_nvme_ctrl *uc;
	struct nvme_ctrl *ctrl;
	int ret;

	uc = kzalloc(sizeof(*uc), GFP_KERNEL);
	if (!uc) {
		uringblk_msg(msg, "%s: nvme_ctrl=%u: no memory for controller %u", dev->name,
			     dev->cfg.nvme_ctrl, cntlid);
		return -ENOMEM;
	}
	/*
	 * Bound, so a command runs on the CPU that queued it (measured: an
	 * unbound workqueue took Execute Program through the generic node
	 * from 42 to 137 us p50); CPU-intensive, so a long program run does
	 * not hold up the other high-priority work of its CPU (kblockd's).
	 */
	uc->wq = alloc_workqueue("%s_ctrl%u", WQ_MEM_RECLAIM | WQ_HIGHPRI | WQ_CPU_INTENSIVE,
				 0, dev->name, cntlid);
	if (!uc->wq) {
		kfree(uc);
		uringblk_msg(msg, "%s: nvme_ctrl=%u: no memory for controller %u", dev->name,
			     dev->cfg.nvme_ctrl, cntlid);
		return -ENOMEM;
	}
	ctrl = &uc->ctrl;
	uc->dev = dev;
	uc->cntlid = cntlid;
	uc->max_io_queues = min_t(u32, num_online_cpus() + 1, URINGBLK_CTRL_MQES);
	ctrl->numa_node = NUMA_NO_NODE;
	ctrl->sqsize = URINGBLK_CTRL_DEPTH - 1;
	INIT_WORK(&ctrl->reset_work, uringblk_ctrl_reset_work);
	ret = nvme_init_ctrl(ctrl, &dev->cdev_dev, &uringblk_ctrl_ops, 0);
	if (ret) {
		destroy_workqueue(uc->wq);
		kfree(uc);
		uringblk_msg(msg, "%s: nvme_ctrl=%u: nvme_init_ctrl() failed for controller %u (%d)",
			     dev->name, dev->cfg.nvme_ctrl, cntlid, ret);
		return ret;
	}
	/* From here the controller's device owns @uc: ->free_ctrl frees it. */
	uc->owned = true;
	kref_get(&dev->ref);
	ret = compat_nvme_add_ctrl(ctrl);
	if (ret)
		goto out_put;
	if (!nvme_change_ctrl_state(ctrl, NVME_CTRL_CONNECTING)) {
		ret = -EBUSY;
		goto out_uninit;
	}
	ret = uringblk_ctrl_setup_admin(uc);
	if (ret)
		goto out_uninit;
	ret = uringblk_ctrl_setup_io(uc);
	if (ret)
		goto out_shutdown;
	if (!nvme_change_ctrl_state(ctrl, NVME_CTRL_LIVE)) {
		ret = -EBUSY;
		goto out_shutdown;
	}
	dev->nvme_ctrl[cntlid] = ctrl;
	nvme_start_ctrl(ctrl);
	dev_info(ctrl->device, "%s's controller %u: %u I/O queues, %u of them polled\n",
		 dev->name, cntlid, ctrl->queue_count - 1, uc->nr_poll);
	return 0;

out_shutdown:
	uringblk_ctrl_shutdown(uc, false);
	uringblk_ctrl_remove_admin(uc);
out_uninit:
	nvme_uninit_ctrl(ctrl);
out_put:
	nvme_put_ctrl(ctrl);
	ret = ret > 0 ? -EIO : ret;	/* an NVMe status of the bring-up */
	uringblk_msg(msg, "%s: nvme_ctrl=%u: nvme-core refused controller %u (%d), see the kernel log",
		     dev->name, dev->cfg.nvme_ctrl, cntlid, ret);
	return ret;
}

/*
 * nvme-apple's removal: the namespaces go (del_gendisk() waits for their
 * I/O, which the drive still executes), then the queues, then the
 * controller's nodes.
 */
static void uringblk_ctrl_del_one(struct uringblk_dev *dev, u16 cntlid)
{
	struct nvme_ctrl *ctrl = dev->nvme_ctrl[cntlid];

	if (!ctrl)
		return;
	dev->nvme_ctrl[cntlid] = NULL;
	nvme_change_ctrl_state(ctrl, NVME_CTRL_DELETING);	/* or dead already */
	flush_work(&ctrl->reset_work);
	nvme_stop_ctrl(ctrl);
	uringblk_nvme_ctrl_keep_open_nodes(ctrl);
	nvme_remove_namespaces(ctrl);
	uringblk_ctrl_shutdown(to_uctrl(ctrl), false);
	uringblk_ctrl_remove_admin(to_uctrl(ctrl));
	nvme_uninit_ctrl(ctrl);
	nvme_put_ctrl(ctrl);
}

/**
 * uringblk_nvme_ctrl_add() - give a drive its controllers of nvme-core
 * @dev:	the drive, its command device added (the controllers' parent)
 * @msg:	why not, if not (also in the kernel log); may be NULL
 *
 * Creates, enables and identifies dev->cfg.nvme_ctrl controllers, CNTLIDs
 * 0 up, of one subsystem (multipath heads if several); nvme-core scans
 * their namespaces in its work.  All or none.  Process context; may sleep.
 * Return: 0 or -errno.
 */
int uringblk_nvme_ctrl_add(struct uringblk_dev *dev, struct uringblk_msg *msg)
{
	u16 i;
	int ret;

	for (i = 0; i < dev->cfg.nvme_ctrl; i++) {
		ret = uringblk_ctrl_add_one(dev, i, msg);
		if (ret) {
			uringblk_nvme_ctrl_del(dev);
			return ret;
		}
	}
	return 0;
}

/**
 * uringblk_nvme_ctrl_del() - remove a drive's controllers, before the drive
 * @dev:	the drive, still taking commands
 *
 * The last first: the heads fail a removed path's I/O over to the others
 * until the last goes, and the heads with it.  Open nodes keep nvme-core's
 * structures and get errors.  Process context; may sleep.
 */
void uringblk_nvme_ctrl_del(struct uringblk_dev *dev)
{
	int i;

	for (i = URINGBLK_NVME_MAX_CTRLS - 1; i >= 0; i--)
		uringblk_ctrl_del_one(dev, i);
}
