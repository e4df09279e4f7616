/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model-level request: what a front end (the command device's gate,
 * the NVMe face) hands the drive model for a command that the model
 * completes itself, so the model never knows which front end sent it.
 * nvmet's struct nvmet_req with its ->execute and nvmet_req_complete() is
 * the model: the transport builds the request and decides what a
 * completion looks like on its wire; the model only says
 * complete(status, result).  EXEC and Execute Program take it (exec*.c;
 * their decoded arguments and calls are at the end of this file), every
 * NVMe I/O command set's ->io() takes it (nvme.h: a Read or Write's bio
 * completes through it), and the timing model holds a command to its
 * deadline as one (uringblk_timing_req_defer(), timing.c);
 * Documentation/dev/architecture.md,
 * "The request", says which calls still take their front end's handle.
 * The request names no transport: how a command comes back to its
 * submitter's task, and whether its client is gone, are the front end's
 * ops, so the model includes nothing of io_uring's URING_CMD.
 */
#ifndef URINGBLK_REQ_H
#define URINGBLK_REQ_H

#include <linux/types.h>

struct uringblk_dev;
struct uringblk_exec_result;
struct uringblk_req;

/**
 * struct uringblk_issue - the context a model call or a completion runs in
 * @nowait:	nothing may sleep: the model takes no mutex, waits for no
 *		memory and no lock it cannot try, and returns -EAGAIN where it
 *		would (the front end issues the command again where it may
 *		block: the command device from io-wq, the controller from
 *		its workqueue)
 * @atomic:	with @nowait: the caller may not sleep at all (a blk-mq
 *		->queue_rq(), the controller's, runs under RCU), so no bio is
 *		submitted either (submit_bio() may wait for a tag).  io_uring's
 *		non-blocking issue is @nowait alone: a bio may wait for a tag
 *		there, as a block device's read does.
 * @cookie:	the front end's, passed back to its ->complete() as it came
 *		(the command device gate's issue flags); the model never
 *		reads it
 *
 * Passed by value: the front end builds one for its call into the model
 * and for each way back (->to_task()'s callback), so the model knows
 * whether it may sleep and nothing of the transport.
 */
struct uringblk_issue {
	bool		nowait;
	bool		atomic;
	unsigned int	cookie;
};

/**
 * struct uringblk_req_ops - how a front end completes and answers a request
 * @complete:	post the request's completion.  @status is 0 (it ran: @result
 *		is the command's value, a program's r0) or a -errno or a
 *		uringblk_st() status (driver/status.h) the front end translates
 *		to its own form (the gate's errno and big_cqe[0], an NVMe
 *		status); @result is passed whatever @status.  Called exactly
 *		once for a request the model accepted, after the model let go
 *		of everything the request held (a client that sees the
 *		completion may act on the drive at once); in the submitter's
 *		task for a request with @to_task (from the model's callback
 *		that @to_task ran, or in the issue itself: @is is that
 *		context's), in the caller's task for one waited for.
 *		Must not sleep.
 * @reply:	write the run's reply (@res, then @out_len bytes of @out) to
 *		the client's buffer with @nofault (never fault a page in: the
 *		issue holds dev->lock) or, from the worker, with the
 *		submitter's mm in use.  Return: whether all of it was written.
 *		NULL: the request has no reply buffer (its result travels in
 *		the completion alone).
 * @copy_in:	read @len bytes at @addr of the client's memory into @dst
 *		(EXEC's list of extents) while the issue holds dev->lock:
 *		never fault a page in; @nowait: never sleep either.  Return:
 *		0, -EFAULT (the front end may fault the range in and issue
 *		the command again) or, @nowait, -EAGAIN.  NULL for a request
 *		with nothing to read.
 * @to_task:	run @fn(@req, is) in the submitter's task (or, if it is
 *		exiting, where its transport runs such work then: for
 *		io_uring, task work or its fallback kworker), with that
 *		context's struct uringblk_issue for @complete: how a run the worker
 *		finished, or a completion the timing model held to its
 *		deadline, comes back to be completed.  Any context; does not
 *		sleep.  @req is the model's copy (the run's state, the timing
 *		model's hold), which lives until @fn has completed it; the
 *		model calls @to_task at most once per request, after its issue
 *		returned -EIOCBQUEUED, and from then on @fn alone completes
 *		it.  NULL: the front end waits for the request in its own
 *		task (an ioctl), so the model runs it to its end in the
 *		caller (uringblk_exec_run_sync()) and never defers it.
 * @gone:	whether nobody can take the completion any more (io_uring:
 *		the ring the command came by is closing), or the front end
 *		aborts its commands (the controller's reset), so a run in
 *		flight stops (-EINTR).  Any context; does not sleep.  NULL:
 *		the client lasts as long as the request (a caller that waits).
 * @kernel:	the request is the kernel's, not a process's (the
 *		controller's blk-mq request, nvme_ctrl.c, issued by whatever
 *		task runs the queue): its run holds no task and no mm, and
 *		no process's end stops it; @reply must be NULL.
 */
struct uringblk_req_ops {
	void	(*complete)(struct uringblk_req *req, int status, u64 result,
			    struct uringblk_issue is);
	bool	(*reply)(struct uringblk_req *req, const struct uringblk_exec_result *res,
			 const void *out, u32 out_len, bool nofault);
	int	(*copy_in)(struct uringblk_req *req, void *dst, u64 addr, size_t len,
			   bool nowait);
	void	(*to_task)(struct uringblk_req *req,
			   void (*fn)(struct uringblk_req *req, struct uringblk_issue is));
	bool	(*gone)(struct uringblk_req *req);
	bool	kernel;
};

/**
 * struct uringblk_req - one command, as the model sees it
 * @ops:	the front end's completion, data movement and way back to
 *		the submitter's task
 * @handle:	the front end's own handle of the command, for its ops
 *		alone (the URING_CMD, for both front ends' URING_CMDs
 *		today); the model never reads it
 * @file_execs:	the open file's count of runs in flight that the run is
 *		admitted against (max_execs_per_file), or NULL: the drive's
 *		limit only
 * @addr:	the client's reply buffer, for @ops->reply (the front end's
 *		handle: a user address for both front ends today)
 * @len:	its length in bytes; 0 when @ops->reply is NULL
 * @priv:	the front end's own, for its ops (the gate's copy of the
 *		command for ->copy_in() during the issue; where a waited-for
 *		request's completion is stored)
 *
 * Ownership: the front end builds it (on its stack is fine) and passes it
 * to the model call; the model copies it into what it keeps for the
 * command (a run's state, the timing model's hold), so the front end's
 * copy is dead once the call returns, and the ops get the model's copy.
 * The model calls @ops->complete() once for every request it accepted
 * (its call returned -EIOCBQUEUED), and never for one it refused (a
 * -errno or status returned: the front end completes that itself).  The
 * front end's handle stays the front end's until the call returns; after
 * -EIOCBQUEUED the front end touches it only in its ops, and its
 * transport's own space (the URING_CMD's pdu) is @ops->to_task()'s.
 */
struct uringblk_req {
	const struct uringblk_req_ops	*ops;
	void				*handle;
	atomic_t			*file_execs;
	u64				addr;
	u32				len;
	void				*priv;
};

/**
 * struct uringblk_execute_req - Execute Program's arguments, decoded
 * @pind:	the program's slot
 * @rsid:	the memory range set the run reads
 * @budget:	instruction budget units, 0 for the default
 * @args:	ctx->args[0..2]: the standard's CPARAM1, CPARAM2, and uringblk's third
 * @data_len:	0 for the whole set, else only its first @data_len bytes
 */
struct uringblk_execute_req {
	u32	pind;
	u32	rsid;
	u64	budget;
	u64	args[3];
	u64	data_len;
};

/**
 * struct uringblk_exec_req - EXEC's arguments, decoded
 * @prog_id:	the stored program
 * @flags:	URINGBLK_EXEC_F_ZONE_WP, URINGBLK_EXEC_F_EXTENTS
 * @lba_start:	the granted range's first block (not F_EXTENTS)
 * @lba_count:	its blocks
 * @ext_addr:	F_EXTENTS: the client's list of struct uringblk_extent,
 *		read by the request's ->copy_in() (req.h)
 * @nr_ext:	its entries
 * @budget:	instruction budget units, 0 for the default
 * @args:	ctx->args[0..2]
 */
struct uringblk_exec_req {
	u32	prog_id;
	u32	flags;
	u64	lba_start;
	u64	lba_count;
	u64	ext_addr;
	u64	nr_ext;
	u64	budget;
	u64	args[3];
};

/* exec.c: the run model's calls, with decoded arguments and a request */
int uringblk_prog_exec(struct uringblk_dev *dev, const struct uringblk_req *req,
		       const struct uringblk_exec_req *x, struct uringblk_issue is);
int uringblk_prog_execute(struct uringblk_dev *dev, const struct uringblk_req *req,
			  const struct uringblk_execute_req *x, struct uringblk_issue is);

#endif /* URINGBLK_REQ_H */
