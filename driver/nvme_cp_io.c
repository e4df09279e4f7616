// SPDX-License-Identifier: GPL-2.0
/*
 * The Computational Programs namespace's I/O commands (NSID 2, CSI 04h):
 * Execute Program (01h), the active program in a slot run over a memory
 * range set of SLM through the model's call (exec.c): the program's 64-bit
 * return value is the command's result, a stopped run's status the
 * command's status.  Both run through the model's one call,
 * uringblk_prog_execute(), with a request (req.h) without a reply buffer:
 * by ioctl one of this file, whose run the model runs to its end in the
 * caller's task and completes into the caller's frame; otherwise the front
 * end's (a URING_CMD's, nvme.c; the controller's blk-mq request,
 * nvme_ctrl.c), which runs as the drive's own EXECUTE does, inline up to a
 * slice, then on the drive's worker, and completes through the front
 * end's op when it ends: the issue never waits for it.  All pay EXECUTE's timing model
 * (a compute unit, the modelled run, the link latency; the ioctl sleeps
 * for them, killable).  nvme_ns.c has done the host half
 * (nsid, effects, metadata, the buffer mapped from the host: the opcode's
 * bits 1:0 are 01b).  Layouts and what could not be confirmed:
 * Documentation/dev/nvme-cp.md.
 */
#include <linux/nvme.h>
#include <linux/sizes.h>
#include <linux/uio.h>

#include "nvme.h"
#include "prog.h"
#include "req.h"
#include "slm.h"
#include "uringblk.h"

#define URINGBLK_NVME_CP_EXECUTE	0x01
/* Parameter data: the bytes of ctx->args[2], the model's third argument. */
#define CP_EXEC_MAX_PARAM		sizeof(u64)

/**
 * uringblk_nvme_cp_io_effects() - the CP namespace's effects log entries
 * @dev:	the drive
 * @opcode:	an I/O opcode
 *
 * Execute Program only; it changes no logical block (a program writes SLM,
 * the set's memory): no LBCC.  Opcode bit 0 makes it need a node opened
 * for writing without CAP_SYS_ADMIN, as EXECUTE needs one on the command
 * device.  Return: NVME_CMD_EFFECTS_CSUPP for it, else 0.
 */
u32 uringblk_nvme_cp_io_effects(struct uringblk_dev *dev, u8 opcode)
{
	return opcode == URINGBLK_NVME_CP_EXECUTE ? NVME_CMD_EFFECTS_CSUPP : 0;
}

/*
 * Execute Program (01h).  CDW2: PIND 15:0, RSID 31:16; CDW3: NUMR (inline
 * memory ranges: not taken, must be 0); CDW4: DLEN, which a Linux host
 * cannot set (the kernel builds CDW4-5 from the metadata buffer), so the
 * transfer is the parameter data: at most 8 bytes, little endian, the
 * program's args[2] (count_pattern's pattern length); CDW10-11 CPARAM1
 * (args[0]), CDW12-13 CPARAM2 (args[1]); CDW14-15 reserved.  The words
 * into @x, before any lock (the copy may fault).  Return: 0, a status or
 * -errno.
 */
static int nvme_cp_execute_decode(const struct nvme_passthru_cmd64 *c,
				  struct iov_iter *iter, struct uringblk_execute_req *x)
{
	u32 len = uringblk_nvme_xfer_len(c);
	__le64 param = 0;

	if (c->cdw3 || c->cdw14 || c->cdw15 || len > CP_EXEC_MAX_PARAM)
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	if (len && copy_from_iter(&param, len, iter) != len)
		return -EFAULT;
	*x = (struct uringblk_execute_req) {
		.pind	= c->cdw2 & 0xffff,
		.rsid	= c->cdw2 >> 16,
		.args	= { c->cdw10 | (u64)c->cdw11 << 32,
			    c->cdw12 | (u64)c->cdw13 << 32, le64_to_cpu(param) },
	};
	return 0;
}

/* A waited-for Execute Program's completion, kept for its ioctl. */
struct nvme_cp_done {
	int	status;
	u64	r0;
};

static void nvme_cp_exec_keep(struct uringblk_req *req, int status, u64 r0,
			      struct uringblk_issue is)
{
	struct nvme_cp_done *d = req->priv;

	d->status = status;
	d->r0 = r0;
}

/*
 * By ioctl: no ->to_task() (the ioctl waits for the run in its own task),
 * no reply buffer; the run completes into the frame.
 */
static const struct uringblk_req_ops nvme_cp_exec_sync_ops = {
	.complete	= nvme_cp_exec_keep,
};

/*
 * Execute Program by ioctl: waited for, with its modelled time.  Return: 0
 * (*@result r0), a status or -errno.
 */
static int nvme_cp_execute(struct uringblk_dev *dev, const struct nvme_passthru_cmd64 *c,
			   struct iov_iter *iter, u64 *result)
{
	struct nvme_cp_done done = {};
	const struct uringblk_req req = {
		.ops	= &nvme_cp_exec_sync_ops,
		.priv	= &done,
	};
	struct uringblk_execute_req x;
	int ret;

	ret = nvme_cp_execute_decode(c, iter, &x);
	if (ret)
		return ret;
	down_read(&dev->lock);
	if (READ_ONCE(dev->removing)) {
		up_read(&dev->lock);
		return -ENODEV;
	}
	ret = uringblk_prog_execute(dev, &req, &x, (struct uringblk_issue){});
	up_read(&dev->lock);
	if (ret == -EIOCBQUEUED)
		ret = done.status;
	if (ret)
		return uringblk_nvme_status(ret);
	*result = done.r0;
	return 0;
}

/*
 * Execute Program, not waited for: @req is the front end's request
 * (req.h), with ->to_task(): a URING_CMD of a namespace node, or the
 * controller's blk-mq request; @is the issue's context (@is.nowait: it
 * must not sleep).  On a nowait issue dev->lock is only tried, as the command
 * device's gate does, and the run state taken without sleeping; either
 * failing is -EAGAIN (the front end issues it again where it may block).
 * Return: -EIOCBQUEUED (the run completes the request), -EAGAIN, or what
 * to complete it with now: a status or -errno.
 */
static int nvme_cp_execute_req(struct uringblk_dev *dev,
			       const struct nvme_passthru_cmd64 *c, struct iov_iter *iter,
			       const struct uringblk_req *req, struct uringblk_issue is)
{
	struct uringblk_execute_req x;
	int ret;

	if (c->opcode != URINGBLK_NVME_CP_EXECUTE)
		return NVME_SC_INVALID_OPCODE | URINGBLK_NVME_DNR;
	ret = nvme_cp_execute_decode(c, iter, &x);
	if (ret)
		return ret;
	if (!is.nowait)
		down_read(&dev->lock);
	else if (!down_read_trylock(&dev->lock))
		return -EAGAIN;
	if (READ_ONCE(dev->removing)) {
		up_read(&dev->lock);
		return -ENODEV;
	}
	ret = uringblk_prog_execute(dev, req, &x, is);
	up_read(&dev->lock);
	if (ret == -EIOCBQUEUED || ret == -EAGAIN)
		return ret;
	return uringblk_nvme_status(ret);
}

/**
 * uringblk_nvme_cp_io_exec() - the device half of a CP namespace I/O command
 * @dev:	the drive
 * @c:		the command, its opcode in uringblk_nvme_cp_io_effects()
 * @iter:	its data, from the host
 * @result:	the command's result: Execute Program's return value
 *
 * Process context; sleeps for the run.  Return: 0, an NVMe status or -errno.
 */
int uringblk_nvme_cp_io_exec(struct uringblk_dev *dev,
			     const struct nvme_passthru_cmd64 *c,
			     struct iov_iter *iter, u64 *result)
{
	switch (c->opcode) {
	case URINGBLK_NVME_CP_EXECUTE:
		return nvme_cp_execute(dev, c, iter, result);
	default:
		return NVME_SC_INVALID_OPCODE | URINGBLK_NVME_DNR;
	}
}

/*
 * The Computational Programs set's Identify Namespace (CNS 05h, CSI 04h),
 * as the layout of the CP Command Set 1.0's figure that public code shows
 * (see nvme-passthrough.md, "What could not be confirmed"): the drive's
 * program and memory range set limits.
 */
struct uringblk_nvme_id_ns_cp {
	__le16	maxact;		/* Maximum Activated Programs */
	__le16	maxmemrs;	/* Maximum Memory Range Sets */
	__le16	mrsg;		/* Memory Range Size Granularity (bytes here) */
	__u8	maxmemr;	/* Maximum Memory Ranges in a set */
	__u8	rsvd7;
	__le64	maxpb;		/* Maximum bytes of all downloaded programs, MiB */
	__u8	lpg;		/* Load Program Granularity: none (0) */
	__u8	rsvd17[4079];
};

static_assert(sizeof(struct uringblk_nvme_id_ns_cp) == NVME_IDENTIFY_DATA_SIZE);

static void uringblk_nvme_id_ns_cp(struct uringblk_dev *dev,
				   struct uringblk_nvme_id_ns_cp *id)
{
	u64 prog_bytes = (u64)URINGBLK_MAX_PROGS * URINGBLK_PROG_MAX_INSNS *
			 sizeof(struct bpf_insn);

	id->maxact = cpu_to_le16(URINGBLK_MAX_ACTIVE_PROGS);
	/* Range sets are made of SLM: none without it */
	if (dev->slm) {
		id->maxmemrs = cpu_to_le16(URINGBLK_MAX_RANGE_SETS);
		id->mrsg = cpu_to_le16(URINGBLK_SLM_GRANULARITY);
		id->maxmemr = URINGBLK_MAX_SET_RANGES;
	}
	id->maxpb = cpu_to_le64(DIV_ROUND_UP(prog_bytes, SZ_1M));
}

/*
 * Identify CNS 05h / 06h of CSI 04h: the namespace data above; the
 * controller data all zero, no layout public code shows
 * (nvme-passthrough.md).  Return: 0.
 */
static int uringblk_nvme_cp_identify(struct uringblk_dev *dev, u8 cns, u32 nsid, void *buf)
{
	if (cns == NVME_ID_CNS_CS_NS)
		uringblk_nvme_id_ns_cp(dev, buf);
	return 0;
}

/* The CP namespace's I/O: a request's run is not waited for. */
static int uringblk_nvme_cp_io(struct uringblk_dev *dev, const struct nvme_passthru_cmd64 *c,
			       struct iov_iter *iter, const struct uringblk_req *req,
			       struct uringblk_issue is, bool vec, u64 *result)
{
	if (req)
		return nvme_cp_execute_req(dev, c, iter, req, is);
	return uringblk_nvme_cp_io_exec(dev, c, iter, result);
}

/* The Computational Programs command set (CSI 04h), NSID 2 */
const struct uringblk_nvme_cset uringblk_nvme_cset_cp = {
	.csi		= URINGBLK_NVME_CSI_CP,
	.nowait		= true,		/* nvme_cp_execute_req() only tries its locks */
	.effects	= uringblk_nvme_cp_io_effects,
	.io		= uringblk_nvme_cp_io,
	.identify	= uringblk_nvme_cp_identify,
};
