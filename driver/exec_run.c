// SPDX-License-Identifier: GPL-2.0
/*
 * The run of an EXEC or EXECUTE: where it runs (inline in the issuing
 * task, or on a worker), its engine's calls, the timing model's hooks, and
 * the reply carried back to its front end.  exec.c checks the two model
 * calls' arguments and hands their runs here; exec_cache.c admits them
 * and keeps their run states; exec_grant.c feeds a run device data a page
 * at a time; exec.h has the run state they share.
 *
 * An EXEC's life.  Most programs a lookup needs run for microseconds, as
 * long as a 4 KiB read takes to complete in queue_rq, so an EXEC starts
 * like one, inline, in the task that issued it (the gate holds dev->lock
 * for read):
 *   1. issue (uringblk_prog_exec()): validate; take a run state from the
 *      per-CPU cache; run the program with a slice of exec_inline_units
 *      budget units and ops that never sleep (exec_inline_ops).  If it
 *      ends within the slice, write the reply straight into the
 *      submitter's memory, complete the request (->complete(): the gate
 *      posts the CQE) and return -EIOCBQUEUED: no allocation, no
 *      workqueue, no task work.
 *   2. handoff: if the slice runs out, or a page must be read from a
 *      backend that sleeps (the file backend), the run yields: the VM
 *      saves its whole state in the run state (prog_vm.h, "Yield and
 *      resume"), the submitter takes references on the device, its task
 *      and its mm, and queues the run on uringblk_exec_wq.  So a long scan
 *      costs the submitter one slice, never the scan.
 *   3. worker (exec_work()): take dev->lock for read, resume the run with
 *      ops that may sleep, write the reply with kthread_use_mm() on the
 *      submitter's mm, and the request's ->to_task() (task work for a
 *      URING_CMD of either front end) brings it back to the submitter's
 *      task, where exec_done() completes it.
 * The worker also writes the reply of an inline run when the reply buffer
 * is not resident: the issue path never takes a page fault, since it
 * holds dev->lock, which removal waits for, and on a nowait issue
 * (struct uringblk_issue, req.h) it must not sleep either (step 1 copies
 * with copy_to_user_nofault()).  On a nowait issue an EXEC that needs
 * memory it cannot get without sleeping (a cold cache, an output buffer
 * larger than the cached one) returns -EAGAIN, and the front end issues
 * it again where it may block: the gate's rule.
 *
 * The worker writes the reply itself, rather than leaving it to task work:
 * when the submitting thread exits, io_uring runs task work after
 * exit_mm() or from a fallback kworker, where copy_to_user() has no mm,
 * yet the process and its buffer live on.
 *
 * What stops a run: device removal (dev->removing, seen at the next
 * reschedule point, or before a queued run resumes: -ENODEV; removal waits
 * on dev->lock, so at most for a slice), and the end of the submitting
 * process (a fatal signal or exit_group(), seen in its signal_struct), after
 * which nobody can read the reply: -EINTR; so does the end of the client
 * its front end knows (the request's ->gone(): the ring it came by
 * closing, its io_ring_ctx dying).  Not the end of the submitting
 * thread: a thread may submit and exit while another thread of the process
 * reaps the CQE, and with IOSQE_ASYNC (or a punted issue) the submitter is
 * an io-wq worker, which exits with its thread or when idle; the reply goes
 * to the mm, which lives as long as the process.
 *
 * The run knows no front end: it has the request (req.h) its front end
 * built, and writes the reply and completes through the request's ops
 * (exec_write_reply(), exec_complete(); ->to_task() and ->gone() say how
 * it comes back to its submitter and whether that one is gone).  NVMe
 * Execute Program by
 * URING_CMD (nvme_cp_io.c) is an EXECUTE whose request has no reply
 * buffer: the same admission (its namespace node's open file counts it
 * against max_execs_per_file), inline slice, worker and stops, its
 * completion in NVMe's form by its front end's op, and the same timing
 * model: no output crosses the link, only the link latency.  So is
 * Execute Program through the drive's controller of nvme-core
 * (nvme_ctrl.c), whose request is the kernel's (->kernel): its run holds
 * no task or mm and only removal, ->gone() (a reset) or its budget stop
 * it.  A request
 * without ->to_task() (NVMe Execute Program by ioctl) is waited for
 * (uringblk_exec_run_sync()): the run is EXECUTE's in the caller's task,
 * which waits, killable and without dev->lock, for its compute unit and
 * its deadline on the model's own queue and timers (timing_sync.c).
 *
 * EXECUTE takes the same path.  Its "device data" is the set's window,
 * already mapped (rs->window), so its map op hands out pointers into it
 * and never sleeps or yields: it runs inline up to the slice like an EXEC
 * on the memory backend.  The set is also the program's mem region.
 *
 * Every run goes through its program's engine (engine.h: the
 * interpreter, native code, kernel BPF), which says whether it may start
 * inline (may_run_inline) and how it goes on after a yield (resume).
 * Device-defined programs (prog_native.c) run native code on the same env (the
 * same map ops, read policy, budget
 * and reschedule points).  Native code cannot resume after a yield, only
 * start again, so the issue starts it inline only when a bound of its
 * work fits in the slice; otherwise, or if it yields anyway (its first
 * map needs a sleep), the worker starts it (again) from the beginning.
 *
 * Kernel-BPF programs (kbpf.c) always run
 * on the worker, from start to end: they may sleep and cannot yield.
 *
 * The timing model (timing.c), when it is on: a run takes a compute
 * unit before it starts (uringblk_exec_start()), or waits for one, parked with the
 * references a handoff takes, until the unit is handed to it and the
 * worker starts it (exec_timed_start()).  Both paths measure the run
 * (exec_run()), and once the reply is written exec_timed_end() gives the
 * run's modelled end and deadline to the model; if the deadline is still
 * ahead, its timer posts the CQE through exec_done() (exec_timed_fire()).
 *
 * Accounting is the same on both paths: prog_runs when the program
 * starts; then exactly one of a latency sample (ran to its end, reply
 * written) or a prog_aborts_* counter; and exactly one of prog_runs_inline
 * (it ended in the issuing task) or prog_runs_worker (the worker started,
 * resumed or stopped it).
 */
#include <linux/kthread.h>
#include <linux/local_lock.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "config.h"
#include "engine.h"
#include "exec.h"
#include "req.h"
#include "sandbox/prog_vm.h"
#include "slm.h"
#include "stats.h"
#include "uringblk.h"

/*
 * Budget units an EXEC may run in the issuing task before it moves to the
 * worker: the VM's default reschedule interval, under 50 us of work
 * natively whatever the program does (prog_vm.h, "Budget").  0: every run
 * goes to the worker (the path before inline runs; tests compare the two).
 */
static unsigned int exec_inline_units = URINGBLK_PROG_RESCHED_DEFAULT;

/*
 * The slice runs in the submitter's task with no reschedule point: bound
 * it (16x the default, well under a millisecond of work natively), so
 * that no setting turns an EXEC into a long non-preemptible stretch.
 */
#define EXEC_INLINE_UNITS_MAX	(16U * URINGBLK_PROG_RESCHED_DEFAULT)

static int exec_inline_units_set(const char *val, const struct kernel_param *kp)
{
	return uringblk_param_set_uint_max(val, kp, EXEC_INLINE_UNITS_MAX,
					   "the slice runs with no reschedule point");
}

static const struct kernel_param_ops exec_inline_units_ops = {
	.set	= exec_inline_units_set,
	.get	= param_get_uint,
};
module_param_cb(exec_inline_units, &exec_inline_units_ops, &exec_inline_units, 0644);
MODULE_PARM_DESC(exec_inline_units,
		 "budget units an EXEC runs in the submitting task before the worker continues it (0: always the worker; default 16384, at most 262144)");

/*
 * The inline slice of a run issued now: read once per command, as its
 * env's resched_every and uringblk_exec_start()'s slice.
 */
u32 uringblk_exec_slice(void)
{
	return READ_ONCE(exec_inline_units);
}

static struct workqueue_struct *uringblk_exec_wq;

/*
 * Should the run stop?  task->signal is the thread group's, shared with
 * its io-wq workers, and stays valid as long as a task_struct reference,
 * even after the submitting thread is gone; a fatal signal or exit_group()
 * sets SIGNAL_GROUP_EXIT in it at once.  An mm without users (the process
 * exec()ed or is gone) can take no reply.  No mm at all: a run waited for
 * by a kernel thread (the NVMe controller's ->queue_rq() in a kworker,
 * nvme_ctrl.c), whose reply is the completion's.
 */
static int exec_stopped(struct uringblk_exec *ex, struct task_struct *task,
			struct mm_struct *mm)
{
	if (READ_ONCE(ex->dev->removing))
		return -ENODEV;
	/* The submitting process ends; the kernel's requests have none. */
	if (!ex->req.ops->kernel &&
	    ((READ_ONCE(task->signal->flags) & SIGNAL_GROUP_EXIT) ||
	     (mm && !atomic_read(&mm->mm_users))))
		return -EINTR;
	/* Its client is gone (a ring closed): nobody takes the completion. */
	if (ex->req.ops->gone && ex->req.ops->gone(&ex->req))
		return -EINTR;
	return 0;
}

/*
 * Worker reschedule point: yield the CPU, and stop if asked to.  For the
 * timing model, time given to other tasks here is not the run's: the
 * measured run time is the CPU time it used (the kernel preempts a
 * kthread at such points only, unless it is built with full preemption).
 */
static int exec_resched(void *priv)
{
	struct uringblk_exec *ex = priv;

	if (ex->timed) {
		u64 t = ktime_get_ns();

		cond_resched();
		ex->off_cpu_ns += ktime_get_ns() - t;
	} else {
		cond_resched();
	}
	return exec_stopped(ex, ex->task, ex->mm);
}

/*
 * Inline: the first reschedule point ends the slice (env.resched_every),
 * so the run yields to the worker, unless it must stop anyway.
 */
static int exec_resched_inline(void *priv)
{
	struct uringblk_exec *ex = priv;

	return exec_stopped(ex, current, current->mm) ?: URINGBLK_PROG_YIELD;
}

/* [worker or inline][EXEC or EXECUTE] */
static const struct uringblk_prog_env_ops exec_ops = {
	.map		= uringblk_exec_map,
	.unmap		= uringblk_exec_unmap,
	.resched	= exec_resched,
};

static const struct uringblk_prog_env_ops exec_inline_ops = {
	.map		= uringblk_exec_map_nowait,
	.unmap		= uringblk_exec_unmap,
	.resched	= exec_resched_inline,
};

static const struct uringblk_prog_env_ops execute_ops = {
	.map		= uringblk_execute_map,
	.resched	= exec_resched,
};

static const struct uringblk_prog_env_ops execute_inline_ops = {
	.map		= uringblk_execute_map,
	.resched	= exec_resched_inline,
};

/*
 * Count a run.  Every run counted in prog_runs ends in exactly one of: a
 * latency sample (ran to its end, reply written: ex->ok) or one of the
 * prog_aborts_* counters, a reply that could not be written counting as a
 * fault; so the exec histogram moves as prog_runs minus the aborts.  A run
 * stopped by removal before it started is in neither.
 */
static void exec_account(struct uringblk_exec *ex, u64 reply_bytes, bool copied)
{
	struct uringblk_pcpu_stats __percpu *s = ex->dev->stats;

	this_cpu_add(s->prog_insns, ex->res.insns);
	this_cpu_add(s->prog_bytes_scanned, ex->res.bytes_scanned);
	this_cpu_add(s->prog_bytes_to_host, reply_bytes);
	this_cpu_add(s->bytes_to_host, reply_bytes);
	if (!ex->ran)
		return;
	switch (ex->res.abort_code) {
	case URINGBLK_PROG_OK:
		if (copied)
			ex->ok = true;
		else
			this_cpu_inc(s->prog_aborts_fault);
		break;
	case URINGBLK_PROG_ABORT_BUDGET:
		this_cpu_inc(s->prog_aborts_budget);
		break;
	case URINGBLK_PROG_ABORT_MEM:
	case URINGBLK_PROG_ABORT_RANGE:
		this_cpu_inc(s->prog_aborts_bounds);
		break;
	default:
		this_cpu_inc(s->prog_aborts_fault);
		break;
	}
}

/*
 * Write the reply (result, then output) by the front end's means
 * (req.h, ->reply()), never faulting if @nofault.  A request without a
 * reply buffer has its result in its completion alone: nothing to write.
 * Return: whether it was written.
 */
static bool exec_write_reply(struct uringblk_exec *ex, bool nofault)
{
	const struct uringblk_prog_result *r = &ex->res;
	struct uringblk_exec_result out = {
		.r0		= r->ret,
		.error		= r->err,
		.abort_code	= r->abort_code,
		.abort_pc	= r->abort_pc,
		.out_len	= r->out_used,
		.insns		= r->insns,
		.bytes_scanned	= r->bytes_scanned,
	};

	if (!ex->req.ops->reply)
		return true;
	return ex->req.ops->reply(&ex->req, &out, ex->env.out, r->out_used, nofault);
}

/* Bytes of the reply that cross the link to the client: none without a buffer. */
static u64 exec_reply_bytes(const struct uringblk_exec *ex)
{
	if (!ex->req.ops->reply)
		return 0;
	return sizeof(struct uringblk_exec_result) + ex->res.out_used;
}

/*
 * A stopped run's status: the program's own fault has a vendor specific
 * one per abort code; an I/O error or a stop from outside (a signal, a
 * removal) is the errno's.
 */
static int exec_abort_status(const struct uringblk_prog_result *r)
{
	switch (r->abort_code) {
	case URINGBLK_PROG_ABORT_BUDGET:
	case URINGBLK_PROG_ABORT_MEM:
	case URINGBLK_PROG_ABORT_RANGE:
	case URINGBLK_PROG_ABORT_ARG:
	case URINGBLK_PROG_ABORT_DEPTH:
		return uringblk_st(URINGBLK_SC_PROG_ABORT_BUDGET - 1 + r->abort_code);
	default:
		return r->err;
	}
}

/*
 * Count the ended run and set ex->ret, the status its completion gets: 0
 * when it ran to its end (r0 is ex->res.ret), else why not.
 */
static void exec_finish(struct uringblk_exec *ex, bool copied)
{
	const struct uringblk_prog_result *r = &ex->res;

	if (!copied) {
		exec_account(ex, 0, false);
		ex->ret = -EFAULT;
		return;
	}
	exec_account(ex, exec_reply_bytes(ex), true);
	ex->ret = r->err ? exec_abort_status(r) : 0;
}

/* From the worker (a kthread, so it may borrow the mm); may sleep. */
static void exec_reply_mm(struct uringblk_exec *ex)
{
	bool copied;

	if (!ex->req.ops->reply) {	/* nothing to write: r0 is in the completion */
		exec_finish(ex, true);
		return;
	}
	/*
	 * No users left: the whole process is gone, nobody reads the reply.
	 * Another process holding the ring may still reap the CQE: it says
	 * what stopped the run, the submitter's end (-EINTR), not a fault.
	 */
	if (!mmget_not_zero(ex->mm)) {
		exec_finish(ex, false);
		ex->ret = -EINTR;
		return;
	}
	kthread_use_mm(ex->mm);
	copied = exec_write_reply(ex, false);
	kthread_unuse_mm(ex->mm);
	mmput(ex->mm);
	exec_finish(ex, copied);
}

/**
 * uringblk_exec_release() - give up a prepared run that did not start
 * @ex:		from uringblk_exec_prepare()
 *
 * Drop what the run holds and return its memory to the cache.  Never sleeps.
 */
void uringblk_exec_release(struct uringblk_exec *ex)
{
	uringblk_exec_unadmit(ex->dev, ex->req.file_execs);
	uringblk_prog_run_put(ex->prog, ex->rs);
	if (ex->rs)
		uringblk_rset_put(ex->rs);
	uringblk_exec_free(ex);
}

/*
 * Complete a finished run through its front end (latency sample first)
 * and drop the run.
 * The run ends before its CQE says so: a client that has seen the CQE may
 * PROG_UNLOAD or deactivate the program at once.  The other order left
 * those a window of -EBUSY, wide when the CQE is reaped by another thread
 * or posted from io_uring's fallback kworker for an exiting submitter.
 */
static void exec_complete(struct uringblk_exec *ex, struct uringblk_issue is)
{
	uringblk_exec_unadmit(ex->dev, ex->req.file_execs);
	uringblk_prog_run_put(ex->prog, ex->rs);
	if (ex->ok)	/* only successful runs, as for every operation */
		uringblk_lat_record(ex->dev, URINGBLK_LAT_EXEC, ex->start_ns);
	/* the front end's form: r0 is passed whatever the status (req.h) */
	ex->req.ops->complete(&ex->req, ex->ret, ex->res.ret, is);
	if (ex->rs)
		uringblk_rset_put(ex->rs);
	uringblk_exec_free(ex);
}

/*
 * In the submitter's task (the request's ->to_task()): complete a run the
 * worker finished, or one the timing model held (an inline one holds its
 * task, not its mm).
 */
static void exec_done(struct uringblk_req *req, struct uringblk_issue is)
{
	struct uringblk_exec *ex = container_of(req, struct uringblk_exec, req);
	struct uringblk_dev *dev = ex->dev;

	if (ex->mm)
		mmdrop(ex->mm);
	if (ex->task)
		put_task_struct(ex->task);
	exec_complete(ex, is);
	uringblk_dev_put(dev);
}

/* The timing model: the run's deadline came (any context). */
static void exec_timed_fire(struct uringblk_tdefer *d)
{
	struct uringblk_exec *ex = container_of(d, struct uringblk_exec, td);

	ex->req.ops->to_task(&ex->req, exec_done);
}

/* The timing model: a compute unit for this parked run (any context). */
static void exec_timed_start(struct uringblk_tdefer *d)
{
	struct uringblk_exec *ex = container_of(d, struct uringblk_exec, td);

	queue_work(uringblk_exec_wq, &ex->work);
}

/*
 * The run ended and its reply is written: hand its times to the model.
 * Return: true if the model's timer completes the EXEC (with a drive
 * reference of its own); false if the caller completes it now.
 */
static bool exec_timed_end(struct uringblk_exec *ex)
{
	struct uringblk_dev *dev = ex->dev;
	/*
	 * The reply crosses the link (none without a reply buffer: r0 rides
	 * in the completion); an EXECUTE reads SLM, not the media.
	 */
	u64 reply = exec_reply_bytes(ex);
	u64 media = ex->rs ? 0 : uringblk_exec_media_bytes(ex);
	const bool take = !ex->held;	/* inline: take what a handoff holds */

	if (take) {
		kref_get(&dev->ref);
		/* no mm: the reply is written; the kernel's requests: no task */
		if (!ex->req.ops->kernel)
			ex->task = get_task_struct(current);
	}
	ex->td.task = ex->task;
	if (uringblk_timing_run_end(dev, &ex->td, ex->run_ns - min(ex->off_cpu_ns, ex->run_ns),
				    media, reply))
		return true;
	ex->td.task = NULL;
	if (take) {
		if (ex->task)
			put_task_struct(ex->task);
		ex->task = NULL;
		uringblk_dev_put(dev);
	}
	return false;
}

/* Start the run (before it started) or go on with it, on its engine. */
static void exec_run(struct uringblk_exec *ex)
{
	const struct uringblk_engine *eng = ex->prog->engine;
	struct uringblk_dev *dev = ex->dev;
	u64 t0 = ex->timed ? ktime_get_ns() : 0;
	int ret;

	if (!ex->ran) {
		this_cpu_inc(dev->stats->prog_runs);
		if (ex->rs)
			this_cpu_inc(dev->stats->executes);
		else
			uringblk_reader_start(dev, &ex->reader, ex->rd_pos,
					      ex->rd_len);
		ex->ran = true;
		ret = eng->run(ex->prog, &ex->st, &ex->env, &ex->res);
	} else {
		ret = eng->resume(ex->prog, &ex->st, &ex->env, &ex->res);
	}
	uringblk_exec_unmap(ex, NULL);
	/* No read ahead in flight once the caller lets go of dev->lock. */
	uringblk_exec_ra_stop(ex);
	ex->yielded = ret == URINGBLK_PROG_YIELDED;
	if (ex->timed)
		ex->run_ns += ktime_get_ns() - t0;
}

/* The worker: start or resume the run, write the reply.  May sleep. */
static void exec_work(struct work_struct *work)
{
	struct uringblk_exec *ex = container_of(work, struct uringblk_exec, work);
	struct uringblk_dev *dev = ex->dev;

	down_read(&dev->lock);
	/* Otherwise the run ended inline and only its reply is left. */
	if (!ex->ran || ex->yielded) {
		/*
		 * The drive going, or the submitter (a queued run is started
		 * without a unit when its process ends: timing.c)
		 */
		int stop = exec_stopped(ex, ex->task, ex->mm);

		if (stop) {
			if (ex->ran) {
				uringblk_prog_stop(&ex->st, stop, &ex->res);
			} else {
				ex->res.err = stop;
				ex->res.abort_code = URINGBLK_PROG_ABORT_STOPPED;
			}
			ex->yielded = false;
		} else {
			ex->env.ops = ex->rs ? &execute_ops : &exec_ops;
			ex->env.resched_every = 0;	/* the VM's default */
			exec_run(ex);
			/* These ops never yield; should the VM still, do not hang. */
			if (unlikely(ex->yielded)) {
				uringblk_prog_stop(&ex->st, -EIO, &ex->res);
				ex->yielded = false;
			}
		}
		if (ex->ran)
			this_cpu_inc(dev->stats->prog_runs_worker);
	}
	up_read(&dev->lock);
	exec_reply_mm(ex);
	if (ex->timed && exec_timed_end(ex))
		return;
	ex->req.ops->to_task(&ex->req, exec_done);
}

/* What a run continued by the worker holds, from the submitter's task. */
static void exec_hold(struct uringblk_exec *ex, struct uringblk_dev *dev)
{
	kref_get(&dev->ref);
	ex->held = true;
	INIT_WORK(&ex->work, exec_work);
	if (ex->req.ops->kernel)
		return;		/* no submitter: no task, no mm */
	ex->task = get_task_struct(current);
	ex->mm = current->mm;
	mmgrab(ex->mm);
}

/* Hand the EXEC to the worker, from the submitter's task. */
static int exec_handoff(struct uringblk_exec *ex, struct uringblk_dev *dev)
{
	exec_hold(ex, dev);
	queue_work(uringblk_exec_wq, &ex->work);
	return -EIOCBQUEUED;
}

/*
 * The timing model has no free compute unit: the run waits for one,
 * holding what a handoff holds; the worker starts it when the unit is
 * handed to it (exec_timed_start()), or now if one freed meanwhile.
 */
static int exec_park(struct uringblk_exec *ex, struct uringblk_dev *dev)
{
	exec_hold(ex, dev);
	ex->td.task = ex->task;	/* its end ends the wait (timing.c) */
	if (uringblk_timing_cu_wait(dev, &ex->td))
		queue_work(uringblk_exec_wq, &ex->work);
	return -EIOCBQUEUED;
}

/*
 * The run's writable globals: the cached ones if they fit, else an
 * allocation, which on a nowait issue is -EAGAIN (the front end issues
 * the EXEC again where it may sleep), as for a big output buffer.
 * Programs without writable globals take neither.
 */
static int exec_globals_alloc(struct uringblk_exec *ex,
			      const struct uringblk_prog *prog, bool nowait)
{
	u32 rw = prog->data_len + prog->bss_len;

	if (rw <= EXEC_GLOBALS_CACHED)
		return 0;
	if (nowait)
		return -EAGAIN;
	ex->globals_big = kmalloc(rw, EXEC_GFP);
	return ex->globals_big ? 0 : -ENOMEM;
}

/*
 * The globals region of the run (prog_vm.h): the program's .rodata is
 * shared by all its runs, never written; .data and .bss go to the run's
 * own buffer, which the VM fills from the image and zeroes at the start.
 */
static void exec_globals_env(struct uringblk_exec *ex,
			     const struct uringblk_prog *prog)
{
	struct uringblk_prog_env *env = &ex->env;

	if (prog->rodata_len) {
		env->rodata = prog->globals;
		env->rodata_len = prog->rodata_len;
	}
	if (prog->data_len + prog->bss_len) {
		env->data = prog->globals + prog->rodata_len;
		env->data_len = prog->data_len;
		env->globals_rw = ex->globals_big ?: ex->globals;
		env->rw_len = prog->data_len + prog->bss_len;
	}
}

/**
 * uringblk_exec_prepare() - admit a run and take its run state
 * @dev:	the drive
 * @req:	the request (its file_execs counts the run in flight)
 * @prog:	the program, a run of it taken by uringblk_prog_*_get()
 * @rs:		EXECUTE: the memory range set (a reference), else NULL
 * @nowait:	the issue must not sleep (struct uringblk_issue)
 * @out_len:	output bytes the reply buffer takes
 *
 * The admission, the run state and the reply: what EXEC and EXECUTE take
 * alike, after their own arguments.  On success ex has the program (and
 * set) and must be run or handed over (uringblk_exec_setup() first); on
 * failure both were dropped.
 * Return: the run state, or an ERR_PTR (-EBUSY, -ENOMEM, -EAGAIN).
 */
struct uringblk_exec *uringblk_exec_prepare(struct uringblk_dev *dev,
					    const struct uringblk_req *req,
					    struct uringblk_prog *prog,
					    struct uringblk_rset *rs, bool nowait,
					    u32 *out_len)
{
	struct uringblk_exec *ex;
	int ret;

	ret = uringblk_exec_admit(dev, req->file_execs);
	if (ret)
		goto out_put;
	ex = uringblk_exec_alloc(nowait);
	if (!ex) {
		ret = nowait ? -EAGAIN : -ENOMEM;
		goto out_unadmit;
	}
	ex->out_big = NULL;
	ex->globals_big = NULL;
	ex->ext_big = NULL;
	ret = exec_globals_alloc(ex, prog, nowait);
	if (ret)
		goto out_free;
	if (*out_len > EXEC_OUT_CACHED) {
		/* A big reply: neither its allocation nor its run is quick. */
		if (nowait) {
			ret = -EAGAIN;
			goto out_free;
		}
		ex->out_big = kvmalloc(*out_len, EXEC_GFP);
		if (!ex->out_big) {
			ret = -ENOMEM;
			goto out_free;
		}
	}
	ex->prog = prog;
	ex->rs = rs;
	return ex;

out_free:
	uringblk_exec_free(ex);
out_unadmit:
	uringblk_exec_unadmit(dev, req->file_execs);
out_put:
	uringblk_prog_run_put(prog, rs);
	if (rs)
		uringblk_rset_put(rs);
	return ERR_PTR(ret);
}

/**
 * uringblk_exec_start() - run the prepared EXEC or EXECUTE inline, or hand it over
 * @ex:		prepared (uringblk_exec_prepare()), set up, its grant and env set
 * @slice:	budget units it may run inline (uringblk_exec_slice()), 0: none
 * @is:		the issue's context (req.h)
 *
 * Context: dev->lock held for read, in the issuing task; never sleeps
 * inline (the ops it runs with never do).
 * Return: -EIOCBQUEUED: the CQE is posted now or later.
 */
int uringblk_exec_start(struct uringblk_exec *ex, u32 slice, struct uringblk_issue is)
{
	struct uringblk_dev *dev = ex->dev;

	/* inline first: ops that never sleep (the worker sets its own) */
	ex->env.ops = ex->rs ? &execute_inline_ops : &exec_inline_ops;
	exec_globals_env(ex, ex->prog);
	atomic64_inc(&ex->prog->runs);
	/* The timing model: a compute unit first, or wait for one. */
	if (ex->timed && !uringblk_timing_cu_get(dev, &ex->td))
		return exec_park(ex, dev);
	if (!slice)
		return exec_handoff(ex, dev);	/* inline runs are off */
	/* native code must fit the slice; kernel BPF never starts here */
	if (!ex->prog->engine->may_run_inline(ex->prog, &ex->env, ex->nr_ext,
					      slice))
		return exec_handoff(ex, dev);

	exec_run(ex);
	if (ex->yielded)
		return exec_handoff(ex, dev);
	this_cpu_inc(dev->stats->prog_runs_inline);
	/*
	 * Never a fault here, blocking issue or not: dev->lock is held, and
	 * removal waits for it.  The worker writes a reply that is not
	 * resident, without the lock.
	 */
	if (!exec_write_reply(ex, true))
		return exec_handoff(ex, dev);	/* only the reply is left */
	exec_finish(ex, true);
	if (ex->timed && exec_timed_end(ex))
		return -EIOCBQUEUED;	/* the model posts the CQE later */
	exec_complete(ex, is);
	return -EIOCBQUEUED;
}

/* A run waited for: its compute unit came, or its deadline (any context). */
static void exec_sync_wake(struct uringblk_tdefer *d)
{
	complete(&container_of(d, struct uringblk_exec, td)->sync_done);
}

/*
 * The timing model, for a run waited for: a compute unit, or a killable
 * wait for one without dev->lock (the unit may be held for a long modelled
 * time; removal takes the lock for write, then starts queued runs).
 * Return: 0, or why the run must not start (-EINTR, -ENODEV), no unit held.
 */
static int exec_sync_unit(struct uringblk_exec *ex)
{
	struct uringblk_dev *dev = ex->dev;
	int stop;

	if (uringblk_timing_cu_get(dev, &ex->td))
		return 0;
	up_read(&dev->lock);
	stop = uringblk_timing_cu_wait_sync(dev, &ex->td, &ex->sync_done);
	down_read(&dev->lock);
	if (stop)
		return stop;
	stop = exec_stopped(ex, ex->task, ex->mm);	/* the drive went meanwhile */
	if (stop)
		uringblk_timing_cu_put_sync(dev, &ex->td);
	return stop;
}

/**
 * uringblk_exec_run_sync() - run a prepared EXECUTE to its end, in the caller
 * @ex:		prepared for a request without ->to_task() (req.h), set up,
 *		its env set
 *
 * For a front end that waits for the run (NVMe Execute Program by ioctl):
 * the worker's ops in the caller's task, which may sleep.  With the timing
 * model on, the run takes a compute unit first (or waits for one), and
 * the caller then sleeps until its modelled deadline, as an EXECUTE's CQE
 * waits (timing_sync.c); both waits drop dev->lock, are killable, and end
 * at once on removal.  A run that ran pays the model whatever its end; one
 * stopped before it started pays nothing.  A removal or the caller's
 * fatal signal stops it.  Releases @ex, then completes the request
 * (req.h): status 0 and r0, or the run's status/-errno.  The request has
 * no reply buffer.
 * Context: dev->lock held for read (dropped and taken again around the
 * waits).  Return: -EIOCBQUEUED (completed).
 */
int uringblk_exec_run_sync(struct uringblk_exec *ex)
{
	struct uringblk_dev *dev = ex->dev;
	struct uringblk_req req;
	int ret, stop = 0;
	u64 r0;

	exec_globals_env(ex, ex->prog);
	atomic64_inc(&ex->prog->runs);
	ex->task = current;	/* not referenced: the caller waits */
	ex->mm = current->mm;
	ex->env.ops = &execute_ops;
	ex->env.resched_every = 0;
	if (ex->timed)
		stop = exec_sync_unit(ex);
	if (stop) {
		ex->res.err = stop;
		ex->res.abort_code = URINGBLK_PROG_ABORT_STOPPED;
	} else {
		exec_run(ex);
		if (unlikely(ex->yielded))	/* these ops never yield: do not hang */
			uringblk_prog_stop(&ex->st, -EIO, &ex->res);
		this_cpu_inc(dev->stats->prog_runs_worker);
	}
	exec_finish(ex, true);	/* no reply buffer: r0 goes in the completion */
	if (ex->timed && ex->ran) {
		/* the completion carries r0 alone: the link latency, no data */
		up_read(&dev->lock);
		uringblk_timing_end_sync(dev, &ex->td, &ex->sync_done,
					 ex->run_ns - min(ex->off_cpu_ns, ex->run_ns),
					 exec_reply_bytes(ex));
		down_read(&dev->lock);
	}
	if (ex->ok)
		uringblk_lat_record(dev, URINGBLK_LAT_EXEC, ex->start_ns);
	req = ex->req;
	ret = ex->ret;
	r0 = ex->res.ret;
	uringblk_exec_release(ex);
	req.ops->complete(&req, ret, r0, (struct uringblk_issue){});
	return -EIOCBQUEUED;
}

/**
 * uringblk_exec_setup() - the parts of the run state the two commands set alike
 * @ex:		from uringblk_exec_prepare()
 * @dev:	the drive
 * @req:	the request (req.h), copied into the run state: its completion
 *		and reply buffer; without ->to_task(), a run its front end
 *		waits for (uringblk_exec_run_sync())
 * @start_ns:	uringblk_lat_start() at issue
 */
void uringblk_exec_setup(struct uringblk_exec *ex, struct uringblk_dev *dev,
			 const struct uringblk_req *req, u64 start_ns)
{
	const bool waited = !req->ops->to_task;

	ex->req = *req;
	ex->dev = dev;
	ex->task = NULL;
	ex->mm = NULL;
	ex->held = false;
	ex->ext = ex->ext_inline;
	ex->nr_ext = 0;
	ex->ext_cur = 0;
	ex->rd_pos = 0;
	ex->rd_len = 0;
	ex->page = NULL;
	ex->ra = NULL;
	ex->ra_next = U64_MAX;
	ex->res = (struct uringblk_prog_result) {};
	ex->ret = 0;
	ex->start_ns = start_ns;
	ex->ran = false;
	ex->yielded = false;
	ex->ok = false;
	ex->run_ns = 0;
	ex->off_cpu_ns = 0;
	/* Every run pays the model; one waited for is woken. */
	ex->timed = uringblk_timing_on(dev);
	if (ex->timed) {
		uringblk_timing_run_init(dev, &ex->td);
		ex->td.start = waited ? exec_sync_wake : exec_timed_start;
		ex->td.fire = waited ? exec_sync_wake : exec_timed_fire;
		ex->td.media = uringblk_exec_media_end;
		if (waited)
			init_completion(&ex->sync_done);
	}
}

int uringblk_exec_init(void)
{
	/* Unbound: concurrent EXECs spread over all CPUs. */
	uringblk_exec_wq = alloc_workqueue("uringblk_exec", WQ_UNBOUND, 0);
	return uringblk_exec_wq ? 0 : -ENOMEM;
}

/* Waits for runs still finishing (their code is in this module), then
 * empties the cache.
 */
void uringblk_exec_exit(void)
{
	destroy_workqueue(uringblk_exec_wq);
	uringblk_exec_cache_drain();
}
