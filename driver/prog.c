// SPDX-License-Identifier: GPL-2.0
/*
 * Programs: the per-device program store and the PROG_LOAD, PROG_UNLOAD,
 * PROG_LIST and EXEC commands.  The sandbox itself (validator,
 * interpreter, helpers) is prog_verify.c, prog_interp.c, prog_helpers.c;
 * this file is its embedder: it feeds a run device data a page at a time
 * and carries the result back to io_uring.
 *
 * An EXEC's life:
 *   submitter (uring_cmd, dev->lock held for read): validate the command,
 *     take references on the program and the device, queue the run on
 *     uringblk_exec_wq, return -EIOCBQUEUED.
 *   worker (uringblk_exec_work): take dev->lock for read, run the program
 *     against the backend; then copy the result and the output into the
 *     submitter's address space (kthread_use_mm() on its mm), count, and
 *     io_uring_cmd_complete_in_task().
 *   task work (uringblk_exec_done): post the CQE, free.
 * The copy is not left to the task work: when the submitting thread exits,
 * io_uring runs that after exit_mm() or from a fallback kworker, where
 * copy_to_user() has no mm, yet the process and its buffer live on.
 * Removal sets dev->removing and waits on dev->lock for write; a run sees
 * the flag at its next reschedule point and stops with -ENODEV, so removal
 * never waits for a whole budget.
 *
 * What else stops a run: the end of the submitting process (a fatal signal
 * or exit_group(), seen in its signal_struct), after which nobody can read
 * the reply: -EINTR.  Not the end of the submitting thread: a thread may
 * submit and exit while another thread of the process reaps the CQE, and
 * with IOSQE_ASYNC (or a punted issue) the submitter is an io-wq worker,
 * which exits with its thread or when idle; the reply goes to the mm,
 * which lives as long as the process.
 */
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "compat.h"
#include "prog_vm.h"
#include "uringblk.h"

#define URINGBLK_LOG_MAX	4096

/**
 * struct uringblk_prog - a validated program
 * @ref:	the store holds one reference, each EXEC in flight one more
 * @id:		its id in dev->progs
 * @insn_cnt:	number of instructions in @insns
 * @runs:	EXECs started
 * @name:	as given at load, NUL-terminated
 * @insns:	the instructions; immutable once stored
 */
struct uringblk_prog {
	struct kref	ref;
	u32		id;
	u32		insn_cnt;
	atomic64_t	runs;
	char		name[URINGBLK_PROG_NAME_LEN + 1];
	struct bpf_insn	insns[];
};

/**
 * struct uringblk_exec - one EXEC in flight
 * @work:	runs the program on uringblk_exec_wq
 * @ioucmd:	the io_uring command to complete
 * @dev:	device reference
 * @prog:	program reference
 * @task:	the submitter (maybe an io-wq worker); its process's end stops the run
 * @mm:		its address space, where the reply goes (mmgrab()ed)
 * @base:	device byte offset of the granted range
 * @reply:	user address of the reply buffer (result, then output)
 * @env:	the run's inputs
 * @res:	the run's outcome
 * @st:		the run's memory (stack, frames...), too big for a stack
 * @page:	page behind the current data window, or NULL
 * @reader:	the run as a reader of the drive, for the read policy
 *		(its injected fault is chosen when the run starts)
 * @ret:	cqe->res, once the reply is written
 * @start_ns:	uringblk_lat_start() at issue
 * @ran:	the program started (counted in prog_runs)
 * @ok:		it ran to its end and the reply was written (latency recorded)
 */
struct uringblk_exec {
	struct work_struct		work;
	struct io_uring_cmd		*ioucmd;
	struct uringblk_dev		*dev;
	struct uringblk_prog		*prog;
	struct task_struct		*task;
	struct mm_struct		*mm;
	u64				base;
	u64				reply;
	struct uringblk_prog_env	env;
	struct uringblk_prog_result	res;
	struct uringblk_prog_state	*st;
	struct page			*page;
	struct uringblk_reader		reader;
	int				ret;
	u64				start_ns;
	bool				ran;
	bool				ok;
};

static struct workqueue_struct *uringblk_exec_wq;

static void uringblk_prog_release(struct kref *ref)
{
	kvfree(container_of(ref, struct uringblk_prog, ref));
}

static void uringblk_prog_put(struct uringblk_prog *prog)
{
	kref_put(&prog->ref, uringblk_prog_release);
}

/* Find a program and take a reference on it, or NULL. */
static struct uringblk_prog *uringblk_prog_get(struct uringblk_dev *dev, u32 id)
{
	struct uringblk_prog *prog;

	mutex_lock(&dev->prog_lock);
	prog = xa_load(&dev->progs, id);
	if (prog)
		kref_get(&prog->ref);
	mutex_unlock(&dev->prog_lock);
	return prog;
}

/* Copy the validator's message to the client's log buffer, if it gave one. */
static int uringblk_put_log(const struct uringblk_cmd *c, const char *msg)
{
	u64 addr = c->prog_load.log_addr;
	u32 len = min_t(u64, c->prog_load.log_len, URINGBLK_LOG_MAX);
	size_t n;

	if (!addr || !len)
		return 0;
	n = min_t(size_t, strlen(msg) + 1, len);
	if (copy_to_user(u64_to_user_ptr(addr), msg, n))
		return -EFAULT;
	/* Always NUL-terminate what the client sees. */
	if (n == len && put_user('\0', (char __user *)u64_to_user_ptr(addr + len - 1)))
		return -EFAULT;
	return 0;
}

/*
 * PROG_LOAD: copy, validate, store.  May sleep.
 * Context: dev->lock held for read.
 */
int uringblk_cmd_prog_load(struct uringblk_dev *dev, const struct uringblk_cmd *c,
			  struct io_uring_cmd *ioucmd)
{
	struct uringblk_prog *prog;
	u32 cnt = c->len / sizeof(struct bpf_insn);
	char msg[128] = "";
	u32 id;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (c->prog_load.log_len > URINGBLK_LOG_MAX)
		return -EINVAL;
	if (c->len % sizeof(struct bpf_insn) || !cnt) {
		snprintf(msg, sizeof(msg), "program length %u is not a positive multiple of %zu",
			 c->len, sizeof(struct bpf_insn));
		ret = -EINVAL;
		goto out_log;
	}
	if (cnt > URINGBLK_PROG_MAX_INSNS) {
		snprintf(msg, sizeof(msg), "program has %u instructions, the limit is %u",
			 cnt, URINGBLK_PROG_MAX_INSNS);
		ret = -E2BIG;
		goto out_log;
	}

	prog = kvzalloc(struct_size(prog, insns, cnt), GFP_KERNEL);
	if (!prog)
		return -ENOMEM;
	kref_init(&prog->ref);
	prog->insn_cnt = cnt;
	memcpy(prog->name, c->prog_load.name, URINGBLK_PROG_NAME_LEN);
	if (copy_from_user(prog->insns, u64_to_user_ptr(c->addr), c->len)) {
		ret = -EFAULT;
		goto out_free;
	}
	ret = uringblk_prog_verify(prog->insns, cnt, msg, sizeof(msg));
	if (ret)
		goto out_free;

	mutex_lock(&dev->prog_lock);
	if (dev->nr_progs >= URINGBLK_MAX_PROGS) {
		snprintf(msg, sizeof(msg), "the device already holds %u programs",
			 URINGBLK_MAX_PROGS);
		ret = -ENOSPC;
	} else {
		ret = xa_alloc_cyclic(&dev->progs, &id, prog, xa_limit_31b,
				      &dev->next_prog_id, GFP_KERNEL);
		if (ret >= 0) {
			prog->id = id;
			dev->nr_progs++;
			ret = 0;
		}
	}
	mutex_unlock(&dev->prog_lock);
	if (ret)
		goto out_free;

	this_cpu_inc(dev->stats->prog_loads);
	uringblk_put_log(c, "ok");
	return id;

out_free:
	kvfree(prog);
out_log:
	/* The errno is the answer; a faulting log buffer must not hide it. */
	if (msg[0])
		uringblk_put_log(c, msg);
	return ret;
}

/* PROG_UNLOAD.  Context: dev->lock held for read. */
int uringblk_cmd_prog_unload(struct uringblk_dev *dev, const struct uringblk_cmd *c,
			  struct io_uring_cmd *ioucmd)
{
	struct uringblk_prog *prog;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (c->prog_unload.prog_id > U32_MAX)
		return -EINVAL;
	mutex_lock(&dev->prog_lock);
	prog = c->prog_unload.prog_id ?
	       xa_erase(&dev->progs, c->prog_unload.prog_id) : NULL;
	if (prog)
		dev->nr_progs--;
	mutex_unlock(&dev->prog_lock);
	if (!prog)
		return -ENOENT;
	uringblk_prog_put(prog);	/* running EXECs hold their own */
	return 0;
}

/* PROG_LIST.  May sleep.  Context: dev->lock held for read. */
int uringblk_cmd_prog_list(struct uringblk_dev *dev, const struct uringblk_cmd *c,
			  struct io_uring_cmd *ioucmd)
{
	const size_t isz = sizeof(struct uringblk_prog_info);
	struct uringblk_prog_info *info;
	struct uringblk_prog *prog;
	unsigned long id;
	u32 max = c->len / isz, n = 0;
	int ret = 0;

	if (max > URINGBLK_MAX_PROGS)
		return -E2BIG;
	if (c->len % isz || !max)
		return -EINVAL;
	if (c->prog_list.after_id > U32_MAX)
		return -EINVAL;

	info = kcalloc(max, isz, GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	mutex_lock(&dev->prog_lock);
	xa_for_each_start(&dev->progs, id, prog, c->prog_list.after_id + 1) {
		if (n == max)
			break;
		info[n].id = prog->id;
		info[n].insn_cnt = prog->insn_cnt;
		memcpy(info[n].name, prog->name, URINGBLK_PROG_NAME_LEN);
		info[n].runs = atomic64_read(&prog->runs);
		n++;
	}
	mutex_unlock(&dev->prog_lock);
	if (n && copy_to_user(u64_to_user_ptr(c->addr), info, n * isz))
		ret = -EFAULT;
	kfree(info);
	return ret ?: n;
}

/* ---- the embedder side of a run ---- */

static void uringblk_exec_unmap(void *priv, const void *win)
{
	struct uringblk_exec *ex = priv;

	if (ex->page) {
		put_page(ex->page);
		ex->page = NULL;
	}
}

/*
 * Hand the VM up to one page of device data, as far as the read policy
 * (uringblk_read_check()) allows.  The page reference keeps
 * the window valid even if a discard erases the page meanwhile; holes
 * read as the shared zero page.  May sleep (the run may).
 */
static long uringblk_exec_map(void *priv, u64 off, u64 len, const void **win)
{
	struct uringblk_exec *ex = priv;
	u64 pos = ex->base + off;
	u32 n = min_t(u64, len, PAGE_SIZE - offset_in_page(pos));
	struct page *page;
	s64 ok;

	uringblk_exec_unmap(ex, NULL);
	/* The read policy, as for a block READ: it may shorten the window. */
	ok = uringblk_read_check(ex->dev, &ex->reader, pos, n);
	if (ok < 0)
		return ok;
	n = ok;
	page = ex->dev->ops->get_page(ex->dev, pos);
	if (IS_ERR(page))
		return PTR_ERR(page);
	if (page) {
		ex->page = page;
		*win = page_address(page) + offset_in_page(pos);
	} else {
		*win = page_address(ZERO_PAGE(0)) + offset_in_page(pos);
	}
	return n;
}

/*
 * Reschedule point: yield, and stop for removal or the end of the
 * submitting process (see the top of this file).  ex->task->signal is the
 * thread group's, shared with its io-wq workers, and stays valid as long
 * as our task_struct reference, even after the submitting thread is gone;
 * a fatal signal or exit_group() sets SIGNAL_GROUP_EXIT in it at once.  An
 * mm without users (the process exec()ed or is gone) can take no reply.
 */
static int uringblk_exec_resched(void *priv)
{
	struct uringblk_exec *ex = priv;

	cond_resched();
	if (READ_ONCE(ex->dev->removing))
		return -ENODEV;
	if ((READ_ONCE(ex->task->signal->flags) & SIGNAL_GROUP_EXIT) ||
	    !atomic_read(&ex->mm->mm_users))
		return -EINTR;
	return 0;
}

static const struct uringblk_prog_env_ops uringblk_exec_env_ops = {
	.map		= uringblk_exec_map,
	.unmap		= uringblk_exec_unmap,
	.resched	= uringblk_exec_resched,
};

static void uringblk_exec_free(struct uringblk_exec *ex)
{
	kvfree(ex->env.out);
	kvfree(ex->st);
	mmdrop(ex->mm);
	put_task_struct(ex->task);
	uringblk_prog_put(ex->prog);
	uringblk_dev_put(ex->dev);
	kfree(ex);
}

static struct uringblk_exec **uringblk_exec_pdu(struct io_uring_cmd *ioucmd)
{
	BUILD_BUG_ON(sizeof(struct uringblk_exec *) > sizeof(ioucmd->pdu));
	return (struct uringblk_exec **)ioucmd->pdu;
}

/*
 * Count a run.  Every run counted in prog_runs ends in exactly one of: a
 * latency sample (ran to its end, reply written: ex->ok) or one of the
 * prog_aborts_* counters, a reply that could not be written counting as a
 * fault; so the exec histogram moves as prog_runs minus the aborts.  A run
 * stopped by removal before it started is in neither.
 */
static void uringblk_exec_account(struct uringblk_exec *ex, u64 reply_bytes,
				  bool copied)
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
 * Write the reply (result, then output) into the submitter's address space
 * and count the run.  Returns cqe->res.  Runs on uringblk_exec_wq (a
 * kthread, so it may borrow the mm); may sleep.
 */
static int uringblk_exec_put_reply(struct uringblk_exec *ex)
{
	struct uringblk_prog_result *r = &ex->res;
	struct uringblk_exec_result out = {
		.r0		= r->ret,
		.error		= r->err,
		.abort_code	= r->abort_code,
		.abort_pc	= r->abort_pc,
		.out_len	= r->out_used,
		.insns		= r->insns,
		.bytes_scanned	= r->bytes_scanned,
	};
	void __user *reply = u64_to_user_ptr(ex->reply);
	bool copied = false;

	/* No users left: the whole process is gone, nobody reads the reply. */
	if (mmget_not_zero(ex->mm)) {
		kthread_use_mm(ex->mm);
		copied = !copy_to_user(reply, &out, sizeof(out)) &&
			 !copy_to_user(reply + sizeof(out), ex->env.out, r->out_used);
		kthread_unuse_mm(ex->mm);
		mmput(ex->mm);
	}
	if (!copied) {
		uringblk_exec_account(ex, 0, false);
		return -EFAULT;
	}
	uringblk_exec_account(ex, sizeof(out) + r->out_used, true);
	if (r->err)
		return r->err;
	return r->ret > INT_MAX ? -EOVERFLOW : (int)r->ret;
}

/* Task work: post the CQE.  Whatever context io_uring runs it in. */
static void uringblk_exec_done(struct io_uring_cmd *ioucmd, unsigned int issue_flags)
{
	struct uringblk_exec *ex = *uringblk_exec_pdu(ioucmd);

	if (ex->ok)	/* only successful runs, as for every operation */
		uringblk_lat_record(ex->dev, URINGBLK_LAT_EXEC, ex->start_ns);
	uringblk_cmd_done(ioucmd, ex->ret, ex->res.err ? 0 : ex->res.ret, issue_flags);
	uringblk_exec_free(ex);
}

/* The run itself, on uringblk_exec_wq.  Process context; may sleep. */
static void uringblk_exec_work(struct work_struct *work)
{
	struct uringblk_exec *ex = container_of(work, struct uringblk_exec, work);
	struct uringblk_dev *dev = ex->dev;

	down_read(&dev->lock);
	if (READ_ONCE(dev->removing)) {
		ex->res.err = -ENODEV;
		ex->res.abort_code = URINGBLK_PROG_ABORT_STOPPED;
	} else {
		this_cpu_inc(dev->stats->prog_runs);
		uringblk_reader_start(dev, &ex->reader, ex->base, ex->env.ctx.data_len);
		ex->ran = true;
		uringblk_prog_run(ex->st, ex->prog->insns, &ex->env, &ex->res);
		uringblk_exec_unmap(ex, NULL);
	}
	up_read(&dev->lock);
	ex->ret = uringblk_exec_put_reply(ex);
	io_uring_cmd_complete_in_task(ex->ioucmd, uringblk_exec_done);
}

/*
 * EXEC: check everything that can be checked now, then run asynchronously.
 * May sleep.  Context: dev->lock held for read.
 */
int uringblk_cmd_exec(struct uringblk_dev *dev, const struct uringblk_cmd *c,
		      struct io_uring_cmd *ioucmd)
{
	const u64 start_ns = uringblk_lat_start(dev);
	const u64 nr_blocks = dev->cfg.capacity / dev->cfg.block_size;
	const u64 start = c->exec.lba_start;
	u64 count = c->exec.lba_count;
	u64 budget = c->exec.insn_budget ?: URINGBLK_DEFAULT_BUDGET;
	struct uringblk_exec *ex;
	u32 out_len;

	if (c->exec.prog_id > U32_MAX || c->exec.insn_budget > URINGBLK_MAX_BUDGET)
		return -EINVAL;
	if (!count || start >= nr_blocks || count > nr_blocks - start)
		return -ERANGE;
	/* Only the written part of a zone: zoned.c cuts count (may be 0). */
	if (c->flags & URINGBLK_EXEC_F_ZONE_WP) {
		int ret = uringblk_zone_exec_range(dev, start, &count);

		if (ret)
			return ret;
	}
	if (c->len < sizeof(struct uringblk_exec_result))
		return -EINVAL;
	out_len = c->len - sizeof(struct uringblk_exec_result);
	if (out_len > URINGBLK_MAX_EXEC_OUT)
		return -E2BIG;
	/* Fail now, not after the run, if the reply cannot be written. */
	if (!access_ok(u64_to_user_ptr(c->addr), c->len))
		return -EFAULT;

	ex = kzalloc(sizeof(*ex), GFP_KERNEL);
	if (!ex)
		return -ENOMEM;
	ex->prog = uringblk_prog_get(dev, c->exec.prog_id);
	if (!ex->prog) {
		kfree(ex);
		return -ENOENT;
	}
	ex->st = kvmalloc(sizeof(*ex->st), GFP_KERNEL);
	ex->env.out = out_len ? kvmalloc(out_len, GFP_KERNEL) : NULL;
	if (!ex->st || (out_len && !ex->env.out)) {
		kvfree(ex->env.out);
		kvfree(ex->st);
		uringblk_prog_put(ex->prog);
		kfree(ex);
		return -ENOMEM;
	}
	atomic64_inc(&ex->prog->runs);
	kref_get(&dev->ref);
	ex->dev = dev;
	ex->task = get_task_struct(current);
	ex->mm = current->mm;
	mmgrab(ex->mm);
	ex->ioucmd = ioucmd;
	ex->start_ns = start_ns;
	ex->base = start * dev->cfg.block_size;
	ex->reply = c->addr;
	ex->env.ops = &uringblk_exec_env_ops;
	ex->env.priv = ex;
	ex->env.ctx.lba_start = start;
	ex->env.ctx.lba_count = count;
	ex->env.ctx.data_len = count * dev->cfg.block_size;
	ex->env.ctx.block_size = dev->cfg.block_size;
	ex->env.ctx.args[0] = c->exec.args[0];
	ex->env.ctx.args[1] = c->exec.args[1];
	ex->env.ctx.args[2] = c->exec.args[2];
	ex->env.out_len = out_len;
	ex->env.budget = budget;
	ex->env.map_cost = dev->ops->prog_page_cost;

	*uringblk_exec_pdu(ioucmd) = ex;
	INIT_WORK(&ex->work, uringblk_exec_work);
	queue_work(uringblk_exec_wq, &ex->work);
	return -EIOCBQUEUED;
}

void uringblk_prog_dev_init(struct uringblk_dev *dev)
{
	mutex_init(&dev->prog_lock);
	xa_init_flags(&dev->progs, XA_FLAGS_ALLOC1);
	dev->next_prog_id = 1;
}

/* Drop the store's references; running EXECs keep theirs. */
void uringblk_prog_dev_exit(struct uringblk_dev *dev)
{
	struct uringblk_prog *prog;
	unsigned long id;

	mutex_lock(&dev->prog_lock);
	xa_for_each(&dev->progs, id, prog) {
		xa_erase(&dev->progs, id);
		uringblk_prog_put(prog);
	}
	dev->nr_progs = 0;
	mutex_unlock(&dev->prog_lock);
	xa_destroy(&dev->progs);
}

int uringblk_prog_init(void)
{
	/* Unbound: concurrent EXECs spread over all CPUs. */
	uringblk_exec_wq = alloc_workqueue("uringblk_exec", WQ_UNBOUND, 0);
	return uringblk_exec_wq ? 0 : -ENOMEM;
}

/* Waits for runs still finishing: their code is in this module. */
void uringblk_prog_exit(void)
{
	destroy_workqueue(uringblk_exec_wq);
}
