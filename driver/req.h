/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model-level request: what a front end (the command device's gate,
 * the NVMe face) hands the drive model for a command that the model
 * completes itself, so the model never knows which front end sent it.
 * nvmet's struct nvmet_req with its ->execute and nvmet_req_complete() is
 * the model: the transport builds the request and decides what a
 * completion looks like on its wire; the model only says
 * complete(status, result).  Today EXEC and Execute Program take it
 * (exec*.c), and the timing model holds a command to its deadline as one
 * (uringblk_timing_req_defer(), timing.c); Documentation/dev/architecture.md,
 * "The request", says which calls still take their front end's handle.
 */
#ifndef URINGBLK_REQ_H
#define URINGBLK_REQ_H

#include <linux/types.h>

struct io_uring_cmd;
struct uringblk_exec_result;
struct uringblk_req;

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
 *		task for a request with @ioucmd (io_uring task work, or the
 *		issue itself: @issue_flags are that context's), in the
 *		caller's task for one waited for.  Must not sleep.
 * @reply:	write the run's reply (@res, then @out_len bytes of @out) to
 *		the client's buffer with @nofault (never fault a page in: the
 *		issue holds dev->lock) or, from the worker, with the
 *		submitter's mm in use.  Return: whether all of it was written.
 *		NULL: the request has no reply buffer (its result travels in
 *		the completion alone).
 */
struct uringblk_req_ops {
	void	(*complete)(struct uringblk_req *req, int status, u64 result,
			    unsigned int issue_flags);
	bool	(*reply)(struct uringblk_req *req, const struct uringblk_exec_result *res,
			 const void *out, u32 out_len, bool nofault);
};

/**
 * struct uringblk_req - one command, as the model sees it
 * @ops:	the front end's completion and data movement
 * @ioucmd:	the URING_CMD a run comes back to the submitter's task by
 *		(io_uring_cmd_complete_in_task()), the one transport both
 *		front ends share today; NULL for a request its front end
 *		waits for in its own task (an ioctl)
 * @file_execs:	the open file's count of runs in flight that the run is
 *		admitted against (max_execs_per_file), or NULL: the drive's
 *		limit only
 * @addr:	the client's reply buffer, for @ops->reply (the front end's
 *		handle: a user address for both front ends today)
 * @len:	its length in bytes; 0 when @ops->reply is NULL
 * @priv:	the front end's own, for its ops (where a waited-for
 *		request's completion is stored)
 *
 * Ownership: the front end builds it (on its stack is fine) and passes it
 * to the model call; the model copies it into what it keeps for the
 * command (a run's state), so the front end's copy is dead once the call
 * returns.  The model calls @ops->complete() once for every request it
 * accepted (its call returned -EIOCBQUEUED), and never for one it refused
 * (a -errno or status returned: the front end completes that itself).
 */
struct uringblk_req {
	const struct uringblk_req_ops	*ops;
	struct io_uring_cmd		*ioucmd;
	atomic_t			*file_execs;
	u64				addr;
	u32				len;
	void				*priv;
};

#endif /* URINGBLK_REQ_H */
