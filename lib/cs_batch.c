// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * SNIA API batches.  A serial (or hybrid) batch is one io_uring submission
 * of the entries' commands linked with IOSQE_IO_LINK: MEM_COPY -> EXECUTE
 * -> MEM_READ reach the drive with no round trip between them, and the
 * first failing command cancels the rest (-ECANCELED), as io_uring defines.
 * A parallel batch is the same submission without links: the drive may run
 * its commands in any order and at once.  Everything the commands need is
 * checked and prepared first (regions resolved, range sets created), so
 * the submission holds only commands that are valid when submitted.
 */
#include <errno.h>
#include <stdlib.h>

#include "cs_private.h"

/* more commands than this run one after the other, not in one submission */
#define CS_BATCH_MAX_SQES	4096

struct cs_batch_entry {
	CS_BATCH_INDEX	index;
	CsBatchRequest	*req;
	struct cs_batch_entry *next;
};

struct cs_batch {
	__u32		magic;
	CS_BATCH_MODE	mode;
	CS_BATCH_INDEX	last_index;
	struct cs_batch_entry *head;	/* in run order */
};
#define CS_BATCH_MAGIC	0x48544221U

static enum cs_req_kind batch_kind(CS_BATCH_REQ_TYPE t)
{
	return t == CS_COPY_AFDM ? CS_REQ_COPY :
	       t == CS_STORAGE_IO ? CS_REQ_STORAGE : CS_REQ_COMPUTE;
}

static const void *batch_payload(const CsBatchRequest *r)
{
	return r->ReqType == CS_COPY_AFDM ? (const void *)&r->u.CopyMem :
	       r->ReqType == CS_STORAGE_IO ? (const void *)&r->u.StorageIo :
	       (const void *)&r->u.Compute;
}

CS_STATUS cs_batch_drive(const struct cs_batch *b, struct cs_drive **d)
{
	const struct cs_batch_entry *e;
	struct cs_drive *ed;
	CS_STATUS st;

	if (!b || b->magic != CS_BATCH_MAGIC)
		return CS_INVALID_HANDLE;
	if (!b->head)
		return CS_INVALID_ARG;
	*d = NULL;
	for (e = b->head; e; e = e->next) {
		st = cs_req_drive(batch_kind(e->req->ReqType),
				  batch_payload(e->req), &ed);
		if (st != CS_SUCCESS)
			return st;
		if (*d && ed != *d)
			return CS_INVALID_ARG;	/* a batch is one drive's */
		*d = ed;
	}
	return CS_SUCCESS;
}

/* one command of the submission */
struct cs_bop {
	enum cs_req_kind kind;
	const struct cs_batch_entry *entry;
	int		res;
	__u16		sc;		/* the drive's status of a failure, or 0 */
	bool		done;		/* its CQE arrived */
	__u64		slm_off;
	__u64		bytes;		/* STORAGE, COPY: bytes it moves */
	struct uringblk_copy_range range;	/* STORAGE */
	bool		to_device;		/* COPY */
	void		*host;			/* COPY */
	struct uringblk_execute_args exec;	/* COMPUTE */
	bool		temp_set;		/* COMPUTE: delete exec.rsid after */
	struct uringblk_exec_result *reply;	/* COMPUTE */
};

struct cs_plan {
	struct cs_bop	*ops;
	unsigned int	nr, cap;
};

static struct cs_bop *plan_add(struct cs_plan *p, enum cs_req_kind kind,
			       const struct cs_batch_entry *e)
{
	struct cs_bop *ops;

	if (p->nr == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		ops = realloc(p->ops, p->cap * sizeof(*ops));
		if (!ops)
			return NULL;
		p->ops = ops;
	}
	memset(&p->ops[p->nr], 0, sizeof(p->ops[0]));
	p->ops[p->nr].kind = kind;
	p->ops[p->nr].entry = e;
	return &p->ops[p->nr++];
}

/* Under d->lock: give back what planning took. */
static void plan_free(struct cs_drive *d, struct cs_plan *p)
{
	for (unsigned int i = 0; i < p->nr; i++) {
		if (p->ops[i].temp_set)
			uringblk_range_set_delete(d->dev, p->ops[i].exec.rsid);
		free(p->ops[i].reply);
	}
	free(p->ops);
	memset(p, 0, sizeof(*p));
}

/* Under d->lock: the commands of entry @e, appended to @p. */
static CS_STATUS plan_entry(struct cs_drive *d, const struct cs_batch_entry *e,
			    struct cs_plan *p)
{
	const CsCopyMemRequest *cr;
	const CsStorageRequest *sr;
	__u32 lbs = d->id.logical_block_size, per;
	struct cs_bop *op;
	__u64 off, done;
	CS_STATUS st;
	bool temp;

	switch (batch_kind(e->req->ReqType)) {
	case CS_REQ_STORAGE:
		sr = &e->req->u.StorageIo;
		st = cs_storage_check(d, sr, &off, &per);
		for (done = 0; st == CS_SUCCESS && done < sr->u.BlockIo.NumBlocks;) {
			op = plan_add(p, CS_REQ_STORAGE, e);
			if (!op)
				return CS_OUT_OF_RESOURCES;
			op->range.slba = sr->u.BlockIo.StartLba + done;
			op->range.nlb = sr->u.BlockIo.NumBlocks - done < per ?
					sr->u.BlockIo.NumBlocks - done : per;
			op->slm_off = off + done * lbs;
			op->bytes = (__u64)op->range.nlb * lbs;
			done += op->range.nlb;
		}
		return st;
	case CS_REQ_COPY:
		cr = &e->req->u.CopyMem;
		st = cs_copy_check(d, cr, &off);
		per = d->id.max_mem_xfer;
		for (done = 0; st == CS_SUCCESS && done < cr->Bytes;) {
			op = plan_add(p, CS_REQ_COPY, e);
			if (!op)
				return CS_OUT_OF_RESOURCES;
			op->to_device = cr->Type == CS_COPY_TO_DEVICE;
			op->host = (char *)cr->HostVAddress + done;
			op->slm_off = off + done;
			op->bytes = cr->Bytes - done < per ? cr->Bytes - done : per;
			done += op->bytes;
		}
		return st;
	default:
		op = plan_add(p, CS_REQ_COMPUTE, e);
		if (!op)
			return CS_OUT_OF_RESOURCES;
		op->reply = calloc(1, sizeof(*op->reply));
		if (!op->reply)
			return CS_OUT_OF_RESOURCES;
		st = cs_compute_prepare(d, &e->req->u.Compute, &op->exec, &temp);
		op->temp_set = temp;
		return st;
	}
}

static CS_STATUS op_status(const struct cs_bop *op)
{
	if (!op->done)
		return CS_NOT_DONE;
	switch (op->kind) {
	case CS_REQ_STORAGE:
		return op->res < 0 ? cs_status_from_drive(CS_OP_STORAGE, op->res, op->sc) :
				     CS_SUCCESS;
	case CS_REQ_COPY:
		return op->res < 0 ? cs_status_from_drive(CS_OP_MEM, op->res, op->sc) :
				     CS_SUCCESS;
	default:
		/* -ECANCELED: never ran, the reply is untouched */
		return cs_compute_status(op->res < 0 ? op->res : 0, op->sc, op->reply);
	}
}

/* Under d->lock: submit @p as one submission (linked if @link) and reap it. */
static CS_STATUS plan_submit(struct cs_drive *d, struct cs_plan *p, bool link)
{
	int fd = uringblk_chr_fd(d->dev), ret;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	unsigned int i, got;

	ret = io_uring_queue_init(p->nr, &ring, IORING_SETUP_SQE128 |
				  IORING_SETUP_CQE32);
	if (ret < 0)
		return cs_status_from_errno(CS_OP_MEM, ret);
	for (i = 0; i < p->nr; i++) {
		struct cs_bop *op = &p->ops[i];

		sqe = io_uring_get_sqe(&ring);
		switch (op->kind) {
		case CS_REQ_STORAGE:
			uringblk_prep_mem_copy(sqe, fd, op->slm_off, &op->range, 1);
			break;
		case CS_REQ_COPY:
			if (op->to_device)
				uringblk_prep_mem_write(sqe, fd, op->slm_off,
							op->host, op->bytes);
			else
				uringblk_prep_mem_read(sqe, fd, op->slm_off,
						       op->host, op->bytes);
			break;
		default:
			uringblk_prep_execute(sqe, fd, &op->exec, op->reply,
					      sizeof(*op->reply));
			break;
		}
		/* after the prep helpers, which clear the SQE header */
		sqe->user_data = i;
		if (link && i + 1 < p->nr)
			sqe->flags |= IOSQE_IO_LINK;
	}
	ret = io_uring_submit(&ring);
	for (got = 0; ret > 0 && got < (unsigned int)ret; got++) {
		if (io_uring_wait_cqe(&ring, &cqe))
			break;
		if (cqe->user_data < p->nr) {
			struct cs_bop *op = &p->ops[cqe->user_data];

			op->res = cqe->res;
			/*
			 * big_cqe[0] of a failure is its status (ABI 1.9), but
			 * EXECUTE's -EOVERFLOW keeps r0 there
			 */
			op->sc = cqe->res < 0 && cqe->res != -EOVERFLOW ?
				 (__u16)cqe->big_cqe[0] : 0;
			op->done = true;
		}
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
	return ret < 0 ? cs_status_from_errno(CS_OP_MEM, ret) : CS_SUCCESS;
}

/* every entry in order, each its own commands: the fallback */
static CS_STATUS run_one_by_one(struct cs_drive *d, const struct cs_batch *b,
				__u64 *cv)
{
	const struct cs_batch_entry *e;
	CS_STATUS st = CS_SUCCESS;

	for (e = b->head; e && st == CS_SUCCESS; e = e->next)
		st = cs_run(d, batch_kind(e->req->ReqType),
			    batch_payload(e->req), cv);
	return st;
}

CS_STATUS cs_run_batch(struct cs_drive *d, const struct cs_batch *b, __u64 *cv)
{
	const struct cs_batch_entry *e, *last = NULL;
	struct cs_drive *bd;
	struct cs_plan p = { 0 };
	CS_STATUS st, first = CS_SUCCESS;
	unsigned int i;

	st = cs_batch_drive(b, &bd);
	if (st != CS_SUCCESS)
		return st;
	if (bd != d)
		return CS_INVALID_ARG;
	cs_drive_lock(d);
	for (e = b->head; e && st == CS_SUCCESS; e = e->next) {
		st = plan_entry(d, e, &p);
		last = e;
	}
	if (st == CS_SUCCESS && p.nr > CS_BATCH_MAX_SQES) {
		plan_free(d, &p);
		pthread_mutex_unlock(&d->lock);
		return run_one_by_one(d, b, cv);
	}
	if (st == CS_SUCCESS)
		st = plan_submit(d, &p, b->mode != CS_BATCH_PARALLEL);
	/* the first command that failed says why; the rest were cancelled */
	for (i = 0; st == CS_SUCCESS && i < p.nr; i++) {
		first = op_status(&p.ops[i]);
		if (first != CS_SUCCESS)
			st = first;
	}
	/* the last entry's value: its bytes, or its program's r0 */
	*cv = 0;
	for (i = 0; st == CS_SUCCESS && i < p.nr; i++) {
		if (p.ops[i].entry != last)
			continue;
		if (p.ops[i].kind == CS_REQ_COMPUTE)
			*cv = p.ops[i].reply->r0;
		else
			*cv += p.ops[i].bytes;
	}
	plan_free(d, &p);
	pthread_mutex_unlock(&d->lock);
	return st;
}

CS_STATUS csAllocBatchRequest(CS_BATCH_MODE Mode, int MaxReqs,
			      CS_BATCH_HANDLE *BatchHandle)
{
	struct cs_batch *b;

	if (!BatchHandle || MaxReqs < 0)
		return CS_INVALID_ARG;
	/* every mode runs its entries in order: a valid schedule for all */
	if (Mode != CS_BATCH_SERIAL && Mode != CS_BATCH_PARALLEL &&
	    Mode != CS_BATCH_HYBRID)
		return CS_INVALID_OPTION;
	b = calloc(1, sizeof(*b));
	if (!b)
		return CS_OUT_OF_RESOURCES;
	b->magic = CS_BATCH_MAGIC;
	b->mode = Mode;
	*BatchHandle = b;
	return CS_SUCCESS;
}

CS_STATUS csFreeBatchRequest(CS_BATCH_HANDLE BatchHandle)
{
	struct cs_batch_entry *e, *n;

	if (!BatchHandle || BatchHandle->magic != CS_BATCH_MAGIC)
		return CS_INVALID_HANDLE;
	for (e = BatchHandle->head; e; e = n) {
		n = e->next;
		free(e);
	}
	BatchHandle->magic = 0;
	free(BatchHandle);
	return CS_SUCCESS;
}

/*
 * Before / After: the entry goes in front of Before, or behind After (if
 * both, they must be neighbours, After first); both 0 puts it first, as
 * the drafts say.  The request is not copied: it must stay valid while
 * the batch is used.
 */
CS_STATUS csAddBatchEntry(CS_BATCH_HANDLE BatchHandle, CsBatchRequest *Req,
			  CS_BATCH_INDEX Before, CS_BATCH_INDEX After,
			  CS_BATCH_INDEX *Curr)
{
	struct cs_batch *b = BatchHandle;
	struct cs_batch_entry **pp, *e;

	if (!b || b->magic != CS_BATCH_MAGIC)
		return CS_INVALID_HANDLE;
	if (!Req || !Curr || Req->ReqType < CS_COPY_AFDM ||
	    Req->ReqType > CS_QUEUE_COMPUTE)
		return CS_INVALID_ARG;
	pp = &b->head;
	if (After) {
		while (*pp && (*pp)->index != After)
			pp = &(*pp)->next;
		if (!*pp)
			return CS_INVALID_ARG;
		pp = &(*pp)->next;
		if (Before && (!*pp || (*pp)->index != Before))
			return CS_INVALID_ARG;
	} else if (Before) {
		while (*pp && (*pp)->index != Before)
			pp = &(*pp)->next;
		if (!*pp)
			return CS_INVALID_ARG;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return CS_OUT_OF_RESOURCES;
	e->index = ++b->last_index;
	e->req = Req;
	e->next = *pp;
	*pp = e;
	*Curr = e->index;
	return CS_SUCCESS;
}

CS_STATUS csQueueBatchRequest(CS_BATCH_HANDLE BatchHandle, void *Context,
			      csQueueCallbackFn CallbackFn,
			      CS_EVT_HANDLE EventHandle, __u64 *CompValue)
{
	struct cs_drive *d;
	CS_STATUS st;

	st = cs_batch_drive(BatchHandle, &d);
	if (st != CS_SUCCESS)
		return st;
	return cs_submit(d, CS_REQ_BATCH, BatchHandle, Context, CallbackFn,
			 EventHandle, CompValue);
}

CS_STATUS csHelperReconfigureBatchEntry(CS_BATCH_HANDLE BatchHandle,
					CS_BATCH_INDEX Entry,
					CsBatchRequest *Req)
{
	struct cs_batch_entry *e;

	if (!BatchHandle || BatchHandle->magic != CS_BATCH_MAGIC)
		return CS_INVALID_HANDLE;
	if (!Req || Req->ReqType < CS_COPY_AFDM ||
	    Req->ReqType > CS_QUEUE_COMPUTE)
		return CS_INVALID_ARG;
	for (e = BatchHandle->head; e; e = e->next) {
		if (e->index == Entry) {
			e->req = Req;
			return CS_SUCCESS;
		}
	}
	return CS_INVALID_ARG;
}

/* MaxReqs is a hint: entries live in a list, nothing to resize */
CS_STATUS csHelperResizeBatchRequest(CS_BATCH_HANDLE BatchHandle, int MaxReqs)
{
	if (!BatchHandle || BatchHandle->magic != CS_BATCH_MAGIC)
		return CS_INVALID_HANDLE;
	return MaxReqs < 0 ? CS_INVALID_ARG : CS_SUCCESS;
}

/* the entries' indexes in run order (for the tests); how many there are */
unsigned int cs_batch_order(const struct cs_batch *b, CS_BATCH_INDEX *out,
			    unsigned int max)
{
	const struct cs_batch_entry *e;
	unsigned int n = 0;

	for (e = b->head; e; e = e->next, n++)
		if (n < max)
			out[n] = e->index;
	return n;
}
