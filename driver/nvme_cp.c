// SPDX-License-Identifier: GPL-2.0
/*
 * The NVMe front end's Computational Programs admin commands (NVMe 2.1,
 * the Computational Programs command set, TP4091): Load Program (85h),
 * Program Activation Management (88h) and Memory Range Set Management
 * (89h), decoded here and answered by the drive's model calls (prog.c,
 * slm.c), whose statuses are the command's.  nvme_admin.c hands them over;
 * nvme.c (the host half) has checked the command and mapped its buffer,
 * and lets only CAP_SYS_ADMIN send them (every admin command but Identify).
 *
 * Load Program may come in pieces (LOFF, NUMB): a program being loaded is
 * staged here, its bytes landing in the instructions of a program the
 * store does not hold yet; the last piece hands it to the same validator
 * and store as PROG_LOAD (uringblk_prog_add_interp_staged()).  From the
 * first piece the store keeps the slot reserved (uringblk_prog_reserve()),
 * so every other load finds it Program In Use and a load into the lowest
 * free slot passes it over.  The staged loads of all drives are one list
 * under one mutex (admin commands are rare); a drive's go when it is
 * removed.  Lock order: dev->lock (read) -> nvme_cp_mutex ->
 * dev->prog_lock (the store's, which the reservations are under).
 *
 * Field layouts (Documentation/dev/nvme-cp.md, "NVMe Computational
 * Programs") follow the public implementations named there; what could
 * not be confirmed is listed in that page.
 */
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/nvme.h>
#include <linux/nvme_ioctl.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "nvme.h"
#include "prog.h"
#include "slm.h"
#include "uringblk.h"

/* Load Program's CDW10: PIND 15:0, PTYPE 23:16, SEL 24 (1: unload), PIT 27:25 */
#define CP_LOAD_SEL_UNLOAD	BIT(24)
#define CP_LOAD_RSVD		GENMASK(31, 28)
/* Program Activation Management's CDW10: PIND 15:0, SEL 19:16 */
#define CP_ACT_DEACTIVATE	0
#define CP_ACT_ACTIVATE		1
#define CP_ACT_RSVD		GENMASK(31, 20)
/* Memory Range Set Management's CDW10: SEL 3:0, RSID 31:16; CDW11: NUMR 7:0 */
#define CP_MRS_CREATE		0
#define CP_MRS_DELETE		1
#define CP_MRS_RSVD10		GENMASK(15, 4)
#define CP_MRS_RSVD11		GENMASK(31, 8)
/* The largest program Load Program takes: whole instructions only. */
#define CP_MAX_PSIZE		(URINGBLK_PROG_MAX_INSNS * sizeof(struct bpf_insn))

#define CP_ST(sc)		((sc) | URINGBLK_NVME_DNR)

/**
 * struct nvme_cp_mrd - a Memory Range Descriptor (Memory Range Set Management)
 * @mnsid:	the memory namespace: the SLM namespace
 * @len:	bytes
 * @sb:		starting byte in that namespace
 * @rsvd:	zero
 */
struct nvme_cp_mrd {
	__le32	mnsid;
	__le32	len;
	__le64	sb;
	u8	rsvd[16];
};

static_assert(sizeof(struct nvme_cp_mrd) == 32);

/**
 * struct nvme_cp_load - a program being loaded in pieces
 * @node:	in nvme_cp_loads
 * @dev:	the drive (not referenced: removal drops its loads first)
 * @pind:	the slot it goes to
 * @pit:	its program identifier type and
 * @pid:	identifier, as the first piece gave them
 * @psize:	its size in bytes, whole instructions
 * @loaded:	bytes loaded so far: the next piece's LOFF
 * @prog:	the program, not stored; the pieces land in its instructions
 */
struct nvme_cp_load {
	struct list_head	node;
	struct uringblk_dev	*dev;
	u16			pind;
	u8			pit;
	u64			pid;
	u32			psize;
	u32			loaded;
	struct uringblk_prog	*prog;
};

/* Every drive's staged loads; the mutex protects the list and its entries. */
static LIST_HEAD(nvme_cp_loads);
static DEFINE_MUTEX(nvme_cp_mutex);

/**
 * uringblk_nvme_cp_admin_effects() - the CP admin commands' effects log entries
 * @opcode:	an admin opcode
 *
 * Return: NVME_CMD_EFFECTS_CSUPP for the three commands here, else 0.
 */
u32 uringblk_nvme_cp_admin_effects(u8 opcode)
{
	switch (opcode) {
	case URINGBLK_NVME_ADMIN_LOAD_PROGRAM:
	case URINGBLK_NVME_ADMIN_PROG_ACT_MGMT:
	case URINGBLK_NVME_ADMIN_MEM_RANGE_SET_MGMT:
		return NVME_CMD_EFFECTS_CSUPP;
	default:
		return 0;
	}
}

/*
 * The model calls need dev->lock for read, and a drive not being removed
 * (removal takes the lock for write, then drops the drive's loads).  No
 * client memory is touched under it.  Return: 0 or -ENODEV.
 */
static int nvme_cp_lock(struct uringblk_dev *dev)
{
	down_read(&dev->lock);
	if (READ_ONCE(dev->removing)) {
		up_read(&dev->lock);
		return -ENODEV;
	}
	return 0;
}

/* A model result as the command's status; statuses of this file pass. */
static int nvme_cp_status(int ret)
{
	return ret > 0 ? ret : uringblk_nvme_status(ret);
}

/* The staged load of slot @pind of @dev, or NULL.  nvme_cp_mutex held. */
static struct nvme_cp_load *nvme_cp_load_find(struct uringblk_dev *dev, u16 pind)
{
	struct nvme_cp_load *ld;

	lockdep_assert_held(&nvme_cp_mutex);
	list_for_each_entry(ld, &nvme_cp_loads, node)
		if (ld->dev == dev && ld->pind == pind)
			return ld;
	return NULL;
}

/* End a staged load: its slot's reservation goes with it. */
static void nvme_cp_load_drop(struct nvme_cp_load *ld)
{
	list_del(&ld->node);
	uringblk_prog_unreserve(ld->dev, ld->pind);
	uringblk_prog_free(ld->prog);
	kfree(ld);
}

/*
 * The first piece (LOFF 0): the slot must be one a program may be
 * downloaded into and free, with no load under way.  Starts the staged
 * load, *@ldp.  Return: 0, a status or -errno.  nvme_cp_mutex and
 * dev->lock held.
 */
static int nvme_cp_load_start(struct uringblk_dev *dev, u16 pind, u8 pit, u64 pid,
			      u32 psize, struct nvme_cp_load **ldp)
{
	char name[URINGBLK_PROG_NAME_LEN] = {};
	struct nvme_cp_load *ld;
	int ret;

	/* a load under way (this front end's, or any) holds the slot */
	ret = uringblk_prog_reserve(dev, pind);
	if (ret)
		return nvme_cp_status(ret);
	ld = kzalloc(sizeof(*ld), GFP_KERNEL_ACCOUNT);
	if (!ld)
		goto out_unreserve;
	/* The identifier the host gave, where PROG_LIST shows it. */
	snprintf(name, sizeof(name), "nvme pit=%u pid=%llx", pit, pid);
	ld->prog = uringblk_prog_alloc(psize / sizeof(struct bpf_insn), name);
	if (!ld->prog) {
		kfree(ld);
		goto out_unreserve;
	}
	ld->dev = dev;
	ld->pind = pind;
	ld->pit = pit;
	ld->pid = pid;
	ld->psize = psize;
	list_add(&ld->node, &nvme_cp_loads);
	*ldp = ld;
	return 0;

out_unreserve:
	uringblk_prog_unreserve(dev, pind);
	return -ENOMEM;
}

/*
 * The last piece is in: the validator and the store, as PROG_LOAD's.
 * The staged load and its slot's reservation end either way (a refused
 * program is loaded again from LOFF 0).  Return: 0 (*@result the program's id) or a status.
 */
static int nvme_cp_load_finish(struct uringblk_dev *dev, struct nvme_cp_load *ld,
			       u64 *result)
{
	struct uringblk_prog *prog = ld->prog;
	char msg[128] = "";
	int ret;

	list_del(&ld->node);
	ret = uringblk_prog_add_interp_staged(dev, prog, ld->pind, msg, sizeof(msg));
	kfree(ld);
	if (ret > 0) {
		*result = ret;
		return 0;
	}
	uringblk_prog_free(prog);
	if (ret == -E2BIG)		/* as PROG_LOAD's: the standard's Program Too Big */
		return CP_ST(URINGBLK_SC_PROG_TOO_BIG);
	if (ret == -EINVAL)		/* the validator's refusal: the program is unsafe */
		return CP_ST(URINGBLK_SC_INVALID_PROG_DATA);
	return nvme_cp_status(ret);
}

/*
 * Load Program, SEL 1: unload slot @pind's program, or drop the load under
 * way there.  Return: 0 or a status.
 */
static int nvme_cp_unload(struct uringblk_dev *dev, u16 pind)
{
	struct nvme_cp_load *ld;
	int ret;

	ret = nvme_cp_lock(dev);
	if (ret)
		return ret;
	mutex_lock(&nvme_cp_mutex);
	ld = nvme_cp_load_find(dev, pind);
	if (ld)
		nvme_cp_load_drop(ld);
	mutex_unlock(&nvme_cp_mutex);
	if (!ld)
		ret = nvme_cp_status(uringblk_prog_unload_pind(dev, pind));
	up_read(&dev->lock);
	return ret;
}

/*
 * Load Program (85h).  CDW10 PIND/PTYPE/SEL/PIT, CDW11 PSIZE (bytes),
 * CDW12-13 PID, CDW14 NUMB (bytes in this command), CDW15 LOFF (where they
 * go).  Pieces come in order, each LOFF the bytes loaded so far.  Checks,
 * in order: reserved bits; SEL 1 (unload: no data); PTYPE; NUMB and the
 * transfer; PSIZE; the piece inside PSIZE; then the slot (first piece) or
 * the load under way (the others); the validator once all is in.
 * Return: 0 (*@result the program's id after the last piece), a status or
 * -errno.
 */
static int nvme_cp_load_program(struct uringblk_dev *dev,
				const struct nvme_passthru_cmd64 *c, u32 len,
				struct iov_iter *iter, u64 *result)
{
	const u16 pind = c->cdw10 & 0xffff;
	const u8 ptype = (c->cdw10 >> 16) & 0xff;
	const u8 pit = (c->cdw10 >> 25) & 0x7;
	const u32 psize = c->cdw11;
	const u64 pid = c->cdw12 | (u64)c->cdw13 << 32;
	const u32 numb = c->cdw14, loff = c->cdw15;
	struct nvme_cp_load *ld;
	void *piece;
	int ret;

	if (c->cdw10 & CP_LOAD_RSVD)
		return CP_ST(NVME_SC_INVALID_FIELD);
	if (c->cdw10 & CP_LOAD_SEL_UNLOAD) {
		if (len)
			return CP_ST(NVME_SC_SGL_INVALID_DATA);
		return nvme_cp_unload(dev, pind);
	}
	/* The interpreter's eBPF only: see nvme-passthrough.md for the others. */
	if (ptype != URINGBLK_PROG_TYPE_EBPF)
		return CP_ST(URINGBLK_SC_INVALID_PROG_TYPE);
	if (!numb)
		return CP_ST(NVME_SC_INVALID_FIELD);
	if (len != numb)
		return CP_ST(NVME_SC_SGL_INVALID_DATA);
	if (psize > CP_MAX_PSIZE)
		return CP_ST(URINGBLK_SC_PROG_TOO_BIG);
	if (!psize || psize % sizeof(struct bpf_insn))
		return CP_ST(URINGBLK_SC_INVALID_PROG_DATA);
	if (loff > psize || numb > psize - loff)
		return CP_ST(URINGBLK_SC_PROG_TOO_BIG);

	/* The piece into kernel memory first: none is touched under dev->lock. */
	piece = kvmalloc(numb, GFP_KERNEL_ACCOUNT);
	if (!piece)
		return -ENOMEM;
	if (copy_from_iter(piece, numb, iter) != numb) {
		ret = -EFAULT;
		goto out_free;
	}
	ret = nvme_cp_lock(dev);
	if (ret)
		goto out_free;
	mutex_lock(&nvme_cp_mutex);
	if (!loff) {
		ret = nvme_cp_load_start(dev, pind, pit, pid, psize, &ld);
		if (ret)
			goto out_unlock;
	} else {
		ld = nvme_cp_load_find(dev, pind);
		/* no gap, no overlap: each piece continues the last one */
		if (!ld || ld->loaded != loff) {
			ret = CP_ST(URINGBLK_SC_INVALID_PROG_DATA);
			goto out_unlock;
		}
		if (ld->psize != psize || ld->pit != pit || ld->pid != pid) {
			ret = CP_ST(NVME_SC_INVALID_FIELD);
			goto out_unlock;
		}
	}
	memcpy((u8 *)ld->prog->insns + loff, piece, numb);
	ld->loaded += numb;
	if (ld->loaded == ld->psize)
		ret = nvme_cp_load_finish(dev, ld, result);
out_unlock:
	mutex_unlock(&nvme_cp_mutex);
	up_read(&dev->lock);
out_free:
	kvfree(piece);
	return ret;
}

/*
 * Program Activation Management (88h): CDW10 PIND 15:0, SEL 19:16 (0
 * deactivate, 1 activate); no data.  uringblk_prog_activate()'s statuses.
 */
static int nvme_cp_prog_act(struct uringblk_dev *dev,
			    const struct nvme_passthru_cmd64 *c, u32 len)
{
	const u16 pind = c->cdw10 & 0xffff;
	const u8 sel = (c->cdw10 >> 16) & 0xf;
	int ret;

	if (len)
		return CP_ST(NVME_SC_SGL_INVALID_DATA);
	if ((c->cdw10 & CP_ACT_RSVD) || (sel != CP_ACT_ACTIVATE && sel != CP_ACT_DEACTIVATE))
		return CP_ST(NVME_SC_INVALID_FIELD);
	ret = nvme_cp_lock(dev);
	if (ret)
		return ret;
	ret = uringblk_prog_activate(dev, pind, sel == CP_ACT_ACTIVATE);
	up_read(&dev->lock);
	return nvme_cp_status(ret);
}

/*
 * The descriptors of a Memory Range Set Management create, as the model's
 * ranges: each in the SLM namespace (else Invalid Memory Namespace), its
 * reserved bytes zero.  The model checks the rest (granularity: Invalid
 * Field; outside SLM: Invalid Memory Range Set; overlaps).
 */
static int nvme_cp_mrds(const struct nvme_cp_mrd *d, u32 nr,
			struct uringblk_mem_range *r)
{
	for (u32 i = 0; i < nr; i++) {
		if (memchr_inv(d[i].rsvd, 0, sizeof(d[i].rsvd)))
			return CP_ST(NVME_SC_INVALID_FIELD);
		if (le32_to_cpu(d[i].mnsid) != URINGBLK_NVME_NSID_SLM)
			return CP_ST(URINGBLK_SC_INVALID_MEM_NS);
		r[i].slm_off = le64_to_cpu(d[i].sb);
		r[i].len = le32_to_cpu(d[i].len);
	}
	return 0;
}

/*
 * Memory Range Set Management (89h) create: NUMR (1's based) descriptors
 * of 32 bytes, exactly the transfer; the drive picks the RSID (CDW10's
 * must be 0) and answers it in the result.  Return: 0 or a status.
 */
static int nvme_cp_mrs_create(struct uringblk_dev *dev, const struct nvme_passthru_cmd64 *c,
			      u32 len, struct iov_iter *iter, u64 *result)
{
	const u32 numr = c->cdw11 & 0xff;
	struct uringblk_mem_range *r;
	struct nvme_cp_mrd *d;
	int ret;

	if ((c->cdw10 >> 16) || !numr)
		return CP_ST(NVME_SC_INVALID_FIELD);
	if (numr > URINGBLK_MAX_SET_RANGES)
		return CP_ST(URINGBLK_SC_MAX_MEM_RANGES);
	if (len != numr * sizeof(*d))
		return CP_ST(NVME_SC_SGL_INVALID_DATA);
	d = kmalloc_array(numr, sizeof(*d), GFP_KERNEL_ACCOUNT);
	r = kmalloc_array(numr, sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!d || !r) {
		ret = -ENOMEM;
		goto out;
	}
	if (copy_from_iter(d, len, iter) != len) {
		ret = -EFAULT;
		goto out;
	}
	ret = nvme_cp_mrds(d, numr, r);
	if (ret)
		goto out;
	ret = nvme_cp_lock(dev);
	if (ret)
		goto out;
	ret = uringblk_rset_create(dev, r, numr);
	/* RSID is 16 bits: a set the host could not name is no set */
	if (ret > 0xffff) {
		uringblk_rset_delete(dev, ret);
		ret = CP_ST(URINGBLK_SC_MAX_MEM_RANGE_SETS);
	}
	up_read(&dev->lock);
	if (ret > 0 && ret <= 0xffff) {
		*result = ret;
		ret = 0;
	} else {
		ret = nvme_cp_status(ret);
	}
out:
	kfree(r);
	kfree(d);
	return ret;
}

/*
 * Memory Range Set Management (89h): CDW10 SEL 3:0 (0 create, 1 delete),
 * RSID 31:16; CDW11 NUMR 7:0.  A drive without SLM has no range sets:
 * Invalid Opcode, as its MEM_* commands answer.
 */
static int nvme_cp_mrs_mgmt(struct uringblk_dev *dev, const struct nvme_passthru_cmd64 *c,
			    u32 len, struct iov_iter *iter, u64 *result)
{
	const u8 sel = c->cdw10 & 0xf;
	int ret;

	if (!dev->slm)
		return uringblk_nvme_status(-EOPNOTSUPP);
	if ((c->cdw10 & CP_MRS_RSVD10) || (c->cdw11 & CP_MRS_RSVD11))
		return CP_ST(NVME_SC_INVALID_FIELD);
	if (sel == CP_MRS_CREATE)
		return nvme_cp_mrs_create(dev, c, len, iter, result);
	if (sel != CP_MRS_DELETE || (c->cdw11 & 0xff))
		return CP_ST(NVME_SC_INVALID_FIELD);
	if (len)
		return CP_ST(NVME_SC_SGL_INVALID_DATA);
	ret = nvme_cp_lock(dev);
	if (ret)
		return ret;
	ret = uringblk_rset_delete(dev, c->cdw10 >> 16);
	up_read(&dev->lock);
	return nvme_cp_status(ret);
}

/**
 * uringblk_nvme_cp_admin() - a Computational Programs admin command
 * @dev:	the drive
 * @c:		the command (opcode 85h, 88h or 89h), checked by the host half
 * @iter:	the client's data (uringblk_nvme_xfer_len(@c) bytes, to the drive)
 * @result:	CQE DW0: Load Program's program id after its last piece,
 *		Memory Range Set Management create's RSID, else 0
 *
 * The commands name the Computational Programs namespace (NSID 2), else
 * Invalid Namespace.  Process context; may sleep.
 * Return: 0, a positive NVMe status or -errno.
 */
int uringblk_nvme_cp_admin(struct uringblk_dev *dev,
			   const struct nvme_passthru_cmd64 *c,
			   struct iov_iter *iter, u64 *result)
{
	u32 len = uringblk_nvme_xfer_len(c);

	if (c->nsid != URINGBLK_NVME_NSID_CP)
		return CP_ST(NVME_SC_INVALID_NS);
	switch (c->opcode) {
	case URINGBLK_NVME_ADMIN_LOAD_PROGRAM:
		return nvme_cp_load_program(dev, c, len, iter, result);
	case URINGBLK_NVME_ADMIN_PROG_ACT_MGMT:
		return nvme_cp_prog_act(dev, c, len);
	default:
		return nvme_cp_mrs_mgmt(dev, c, len, iter, result);
	}
}

/**
 * uringblk_nvme_cp_dev_exit() - drop a removed drive's staged loads
 * @dev:	the drive, after removal made every command see it removed
 *
 * No load can start after that (nvme_cp_lock()).  May sleep.
 */
void uringblk_nvme_cp_dev_exit(struct uringblk_dev *dev)
{
	struct nvme_cp_load *ld, *tmp;

	mutex_lock(&nvme_cp_mutex);
	list_for_each_entry_safe(ld, tmp, &nvme_cp_loads, node)
		if (ld->dev == dev)
			nvme_cp_load_drop(ld);
	mutex_unlock(&nvme_cp_mutex);
}
