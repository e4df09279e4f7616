// SPDX-License-Identifier: GPL-2.0
/*
 * The model's two run calls: uringblk_prog_exec() runs a stored program
 * (prog.c) against a granted LBA range or list of extents (EXEC), and
 * uringblk_prog_execute() a slot's active program over a memory range
 * set's window of SLM (EXECUTE, NVMe's Execute Program; slm.c).  Each
 * takes its arguments decoded and the request (req.h) its front end built
 * (the command device's cmd_exec.c, NVMe's nvme_cp_io.c), checks them in
 * the errno order the uAPI gives, takes its program (and set), builds the
 * run's inputs and hands the run to exec_run.c, which runs it inline or on
 * a worker and completes it through the request.  The grant is
 * exec_grant.c's; exec.h has the run state the files share.  The sandbox
 * itself (validator, interpreter, helpers) is driver/sandbox/; the engines
 * behind a run are engine.c's.
 */
#include <linux/uaccess.h>

#include "exec.h"
#include "prog.h"
#include "req.h"
#include "sandbox/prog_vm.h"
#include "slm.h"
#include "stats.h"
#include "uringblk.h"

/*
 * The first @len bytes of the set as the program's mem region (the VM
 * fills ctx->mem, mem_len).
 */
static void exec_env_mem(struct uringblk_prog_env *env, struct uringblk_rset *rs,
			 u64 len)
{
	env->mem = rs->window;
	env->mem_len = len;
}

/* The reply buffer's checks, common to EXEC and EXECUTE (req.h: addr, len). */
static int exec_check_reply(const struct uringblk_req *req, u32 *out_len)
{
	if (req->len < sizeof(struct uringblk_exec_result))
		return -EINVAL;
	*out_len = req->len - sizeof(struct uringblk_exec_result);
	if (*out_len > URINGBLK_MAX_EXEC_OUT)
		return -E2BIG;
	/* Fail now, not after the run, if the reply cannot be written. */
	if (!access_ok(u64_to_user_ptr(req->addr), req->len))
		return -EFAULT;
	return 0;
}

/* EXEC's words before anything is taken: the range, or the list's size. */
static int exec_check_grant(struct uringblk_dev *dev, const struct uringblk_exec_req *x,
			    u64 *count)
{
	const u64 nr_blocks = dev->cfg.capacity / dev->cfg.block_size;
	const u64 start = x->lba_start;

	if (x->flags & URINGBLK_EXEC_F_EXTENTS) {
		/* a file's extents have no zone to cut at */
		if ((x->flags & URINGBLK_EXEC_F_ZONE_WP) || !x->nr_ext)
			return -EINVAL;
		if (x->nr_ext > URINGBLK_MAX_EXEC_EXTENTS)
			return -E2BIG;
		return 0;
	}
	if (!*count || start >= nr_blocks || *count > nr_blocks - start)
		return -ERANGE;
	/* Only the written part of a zone: zoned_lba.c cuts count (may be 0). */
	if (x->flags & URINGBLK_EXEC_F_ZONE_WP)
		return uringblk_zone_exec_range(dev, start, count);
	return 0;
}

/*
 * uringblk_exec_prepare()'s refusal as the command's result: its -EBUSY is
 * the runs limit, which has a status of its own.  (A status never travels
 * in an ERR_PTR: it is below -MAX_ERRNO, so IS_ERR() would not see it.)
 */
static int exec_prepare_status(const struct uringblk_exec *ex)
{
	int ret = PTR_ERR(ex);

	return ret == -EBUSY ? uringblk_st(URINGBLK_SC_RUNS_LIMIT) : ret;
}

/**
 * uringblk_prog_exec() - EXEC: a stored program over a granted range or list of extents
 * @dev:	the drive
 * @req:	the request (req.h): how it completes, its reply buffer, how
 *		the list of extents is read from the client (->copy_in()),
 *		its way back to the submitter's task (->to_task(): an EXEC
 *		is never waited for)
 * @x:		the decoded arguments
 * @is:		the issue's context (req.h; @is.nowait: nothing may sleep)
 *
 * Check everything that can be checked now, run inline if the program is
 * short, else hand it over (exec_run.c says how).  Errnos in order: the
 * budget (-EINVAL), the range (-ERANGE) or the list's size (-EINVAL,
 * -E2BIG), the reply buffer, the program (-ENOENT), the limits of runs in
 * flight (the runs limit's status) and memory (-ENOMEM), then the extents
 * themselves (-EFAULT, -EINVAL, -ERANGE).  Context: dev->lock held for
 * read; sleeps only if the issue may block.
 * Return: -EIOCBQUEUED: req->ops->complete() is called once, now or
 * later; else -errno or a status, nothing taken and no completion.
 */
int uringblk_prog_exec(struct uringblk_dev *dev, const struct uringblk_req *req,
		       const struct uringblk_exec_req *x, struct uringblk_issue is)
{
	const bool nowait = is.nowait;
	const bool extents = x->flags & URINGBLK_EXEC_F_EXTENTS;
	const u64 start_ns = uringblk_lat_start(dev);
	const u32 bs = dev->cfg.block_size;
	const u32 slice = uringblk_exec_slice();
	u64 count = x->lba_count;
	struct uringblk_prog *prog;
	struct uringblk_exec *ex;
	u64 data_len;
	u32 out_len;
	int ret;

	if (x->budget > URINGBLK_MAX_BUDGET)
		return -EINVAL;
	ret = exec_check_grant(dev, x, &count);
	if (ret)
		return ret;
	ret = exec_check_reply(req, &out_len);
	if (ret)
		return ret;

	prog = uringblk_prog_run_get(dev, x->prog_id);
	if (!prog)
		return -ENOENT;
	ex = uringblk_exec_prepare(dev, req, prog, NULL, nowait, &out_len);
	if (IS_ERR(ex))
		return exec_prepare_status(ex);
	uringblk_exec_setup(ex, dev, req, start_ns);
	if (extents) {
		ret = uringblk_exec_grant_extents(ex, dev, x->ext_addr, x->nr_ext, nowait,
						  &data_len);
		if (ret) {
			uringblk_exec_release(ex);
			return ret;
		}
	} else {
		data_len = count * bs;
		uringblk_exec_grant_range(ex, x->lba_start * bs, data_len);
	}
	ex->env = (struct uringblk_prog_env) {
		.priv		= ex,
		.ctx		= {
			/* a list of extents is no LBA range: 0, 0 */
			.lba_start	= extents ? 0 : x->lba_start,
			.lba_count	= extents ? 0 : count,
			.data_len	= data_len,
			.block_size	= bs,
			.args		= { x->args[0], x->args[1], x->args[2] },
		},
		.out		= ex->out_big ?: ex->out,
		.out_len	= out_len,
		.budget		= x->budget ?: URINGBLK_DEFAULT_BUDGET,
		.resched_every	= slice,
		.map_cost	= dev->ops->prog_page_cost,
	};
	return uringblk_exec_start(ex, slice, is);
}

/*
 * Execute Program's program and set, before a run is prepared: the active
 * program in the slot, the set, the window's length (the set, or its first
 * data_len bytes: a file's size).  Return: 0, or -errno or a status with
 * nothing taken.
 */
static int execute_take(struct uringblk_dev *dev, const struct uringblk_execute_req *x,
			struct uringblk_prog **progp, struct uringblk_rset **rsp, u64 *len)
{
	struct uringblk_prog *prog;
	struct uringblk_rset *rs;
	int ret;

	prog = uringblk_prog_execute_get(dev, x->pind);
	if (IS_ERR(prog)) {
		ret = PTR_ERR(prog);
		return ret == -ERANGE ? uringblk_st(URINGBLK_SC_INVALID_PROG_INDEX) : ret;
	}
	rs = uringblk_rset_get(dev, x->rsid);
	if (IS_ERR(rs)) {
		uringblk_prog_run_put(prog, true);
		return PTR_ERR(rs);
	}
	if (x->data_len > rs->len) {
		uringblk_prog_run_put(prog, true);
		uringblk_rset_put(rs);
		return uringblk_st(URINGBLK_SC_LBA_RANGE);
	}
	*len = x->data_len ?: rs->len;
	*progp = prog;
	*rsp = rs;
	return 0;
}

/* Execute Program's inputs: the window (@len bytes of the set), the args. */
static void execute_env(struct uringblk_exec *ex, const struct uringblk_execute_req *x,
			u64 len, u32 out_len, u32 slice)
{
	ex->env = (struct uringblk_prog_env) {
		.priv		= ex,
		.ctx		= {
			/* the helpers' granted data is the window itself */
			.data_len	= len,
			.args		= { x->args[0], x->args[1], x->args[2] },
		},
		.out		= ex->out_big ?: ex->out,
		.out_len	= out_len,
		.budget		= x->budget ?: URINGBLK_DEFAULT_BUDGET,
		.resched_every	= slice,
	};
	exec_env_mem(&ex->env, ex->rs, len);
}

/*
 * Execute Program's run, prepared, its inputs set.  In order: the budget
 * (-EINVAL), the reply buffer when the request has one (EXECUTE's), the
 * slot's program and the set (execute_take()), the admission and run
 * state (uringblk_exec_prepare(): the request's file counts the run),
 * then the run state's setup and env.
 * Return: 0 and *@exp, or -errno or a status with nothing taken.
 */
static int execute_begin(struct uringblk_dev *dev, const struct uringblk_req *req,
			 const struct uringblk_execute_req *x,
			 bool nowait, u32 slice, struct uringblk_exec **exp)
{
	const u64 start_ns = uringblk_lat_start(dev);
	struct uringblk_prog *prog;
	struct uringblk_rset *rs;
	struct uringblk_exec *ex;
	u32 out_len = 0;
	u64 len;
	int ret;

	if (x->budget > URINGBLK_MAX_BUDGET)
		return -EINVAL;
	if (req->ops->reply) {
		ret = exec_check_reply(req, &out_len);
		if (ret)
			return ret;
	}
	ret = execute_take(dev, x, &prog, &rs, &len);
	if (ret)
		return ret;
	ex = uringblk_exec_prepare(dev, req, prog, rs, nowait, &out_len);
	if (IS_ERR(ex))
		return exec_prepare_status(ex);
	uringblk_exec_setup(ex, dev, req, start_ns);
	execute_env(ex, x, len, out_len, slice);
	*exp = ex;
	return 0;
}

/**
 * uringblk_prog_execute() - Execute Program: a slot's active program over a set
 * @dev:	the drive
 * @req:	the request (req.h): how it completes, its reply buffer (none:
 *		the result is r0 alone, in the completion), its way back to
 *		the submitter's task (->to_task(); none: the front end waits
 *		for the run in its own task)
 * @x:		the decoded arguments
 * @is:		the issue's context (req.h; @is.nowait: the run state must
 *		be taken without sleeping)
 *
 * The standard's model call behind EXECUTE and NVMe Execute Program (uAPI
 * "The computational storage model"), on EXEC's path, the one for every
 * front end.  A request with ->to_task() is admitted against the drive's
 * max_execs and its file's max_execs_per_file, started inline up to a
 * slice and continued by the worker (exec_run.c), so the issue never
 * waits for the run; one without is counted against max_execs alone and
 * run to its end here on the worker's ops, the caller held to the timing
 * model's deadline as a CQE is (uringblk_exec_run_sync()).  With the
 * timing model on every run pays a compute unit (parked without one), the
 * modelled run and the link.  Context: dev->lock held for read (a run
 * waited for drops and retakes it while it waits); sleeps only if the
 * issue may block.
 * Return: -EIOCBQUEUED: the run is under way or done, and req->ops->complete()
 * is called once, with status 0 and r0, or a stopped run's status; else
 * -errno (-EAGAIN: a non-blocking issue needs memory it cannot get without
 * sleeping) or a status, nothing taken and no completion: Invalid Program
 * Index, No Program, Program Not Activated, Invalid Memory Range Set
 * Identifier, the runs limit, LBA Out of Range for a data_len past the set.
 */
int uringblk_prog_execute(struct uringblk_dev *dev, const struct uringblk_req *req,
			  const struct uringblk_execute_req *x, struct uringblk_issue is)
{
	const bool waited = !req->ops->to_task;
	const u32 slice = waited ? 0 : uringblk_exec_slice();
	struct uringblk_exec *ex;
	int ret;

	ret = execute_begin(dev, req, x, is.nowait, slice, &ex);
	if (ret)
		return ret;
	if (waited)
		return uringblk_exec_run_sync(ex);
	return uringblk_exec_start(ex, slice, is);
}
