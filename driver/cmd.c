// SPDX-License-Identifier: GPL-2.0
/*
 * The command device /dev/uringblkcN and its io_uring URING_CMD gate.
 *
 * The gate knows no command.  It finds a command's descriptor in the
 * command set that owns it (cmd.h: each set's table lives with its
 * handlers), checks what every command shares, holds dev->lock around the
 * handler and completes the command; IDENTIFY asks every set for its
 * share (uringblk_cmd_identify_sets()).
 *
 * Linux 6.1 block devices have no uring_cmd hook, so, like NVMe's
 * /dev/ngXnY and ublk's /dev/ublkcN, each drive gets a character device
 * whose file_operations.uring_cmd takes the drive's commands.  The same
 * device speaks NVMe passthrough (nvme.c): its ioctls, and the
 * NVME_URING_CMD_* cmd_ops, which the gate hands to nvme.c before any
 * check of its own (their _IOC_TYPE is 'N', never the drive's).
 *
 * Every command goes through the same gate, in this order, so that the
 * errno a client sees depends only on the first thing wrong with it
 * (NVME_URING_CMD_IO and _ADMIN leave it first, for nvme.c's own order):
 *   ring without SQE128 -> -EOPNOTSUPP   (the payload is not even there)
 *   unknown cmd_op (in no set) -> -ENOTTY
 *   device removed      -> -ENODEV
 *   wrong ABI major     -> -EPROTO
 *   reserved field, unused cdw word or unknown flag set, or addr/len set
 *   for a command that takes no buffer -> -EINVAL
 *   a command that changes device memory on a file not open for writing
 *                       -> -EBADF
 * then the command's own checks (buffer length, permissions, copy).
 *
 * The gate holds dev->lock for read around the handler, and removal takes
 * it for write, so a handler never waits on the client's memory: it
 * copies with uringblk_copy_from_client() and friends, which never fault
 * a page in.  A copy that would have faulted fails the handler (-EFAULT,
 * nothing changed); the gate faults that range in with the lock dropped,
 * however long the client makes it take (userfaultfd, FUSE), and issues
 * the command again, up to URINGBLK_FAULT_RETRIES times.
 */
#include <linux/bitops.h>
#include <linux/blkdev.h>
#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/highmem.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "cmd.h"
#include "compat.h"
#include "compat_internals.h"
#include "nvme.h"
#include "req.h"
#include "stats.h"
#include "uringblk.h"

static dev_t uringblk_chr_base;
static struct class *uringblk_class;

/*
 * The frame every named view sits in; each command set pins its own
 * views to their words next to its table (URINGBLK_CDW_WORD()).
 */
static_assert(sizeof(struct uringblk_cmd) == 80);
static_assert(offsetof(struct uringblk_cmd, cdw) == 24);

/*
 * The gate's copy of a command, and where in the client's memory the
 * handler's copy failed (uringblk_copy_from_client() and friends), for
 * the gate to fault in outside dev->lock.  Handlers see only @c.
 */
struct uringblk_gate {
	struct uringblk_cmd	c;
	u64			fault_addr;
	u64			fault_len;	/* 0: no copy failed */
	bool			fault_write;
	bool			log_set;	/* @log is for the client */
	char			log[URINGBLK_CMD_LOG_MAX];
	u64			answer_addr;	/* 0: none left to write */
	u64			answer;
};

/* Times the gate faults a range in and issues the command again. */
#define URINGBLK_FAULT_RETRIES	8

int uringblk_client_fault(const struct uringblk_cmd *c, u64 uaddr, size_t len,
			  bool write)
{
	/* Only the gate calls handlers: @c is its gate's. */
	struct uringblk_gate *g = container_of(c, struct uringblk_gate, c);

	/* The first one: a handler may copy more on its way out (its errno). */
	if (!g->fault_len) {
		g->fault_addr = uaddr;
		g->fault_len = len;
		g->fault_write = write;
	}
	return -EFAULT;
}

void uringblk_cmd_log(const struct uringblk_cmd *c, const char *msg)
{
	struct uringblk_gate *g = container_of(c, struct uringblk_gate, c);

	strscpy(g->log, msg, sizeof(g->log));
	g->log_set = true;
}

/*
 * The message to the client's log buffer, NUL-terminated, truncated to
 * log_len.  Outside dev->lock, so it may fault; a log buffer that faults
 * does not change the command's result (the errno is the answer).
 */
static void uringblk_put_log(const struct uringblk_gate *g)
{
	char __user *ubuf = u64_to_user_ptr(g->c.prog_load.log_addr);
	u32 len = min_t(u64, g->c.prog_load.log_len, URINGBLK_LOG_MAX);
	size_t n = min_t(size_t, strlen(g->log) + 1, len);

	if (!ubuf || !len || copy_to_user(ubuf, g->log, n))
		return;
	if (n == len)
		put_user('\0', ubuf + len - 1);
}

void uringblk_put_answer(const struct uringblk_cmd *c, u64 uaddr, u64 val)
{
	struct uringblk_gate *g = container_of(c, struct uringblk_gate, c);

	if (copy_to_user_nofault(u64_to_user_ptr(uaddr), &val, sizeof(val))) {
		g->answer_addr = uaddr;
		g->answer = val;
	}
}

int uringblk_copy_from_client(const struct uringblk_cmd *c, void *dst, u64 uaddr,
			      size_t len)
{
	if (!copy_from_user_nofault(dst, u64_to_user_ptr(uaddr), len))
		return 0;
	return uringblk_client_fault(c, uaddr, len, false);
}

int uringblk_copy_to_client(const struct uringblk_cmd *c, u64 uaddr,
			    const void *src, size_t len)
{
	if (!copy_to_user_nofault(u64_to_user_ptr(uaddr), src, len))
		return 0;
	return uringblk_client_fault(c, uaddr, len, true);
}

int uringblk_clear_client(const struct uringblk_cmd *c, u64 uaddr, size_t len)
{
	const void *zero = page_address(ZERO_PAGE(0));

	for (size_t done = 0, n; done < len; done += n) {
		n = min_t(size_t, len - done, PAGE_SIZE);
		if (copy_to_user_nofault(u64_to_user_ptr(uaddr + done), zero, n))
			return uringblk_client_fault(c, uaddr, len, true);
	}
	return 0;
}

/*
 * Fault in the range a handler's copy failed on, outside dev->lock (as
 * long as the client makes it take).  Return: 0, or -EFAULT if it cannot
 * be faulted in (no such mapping, or the wrong protection).  May sleep.
 */
static int uringblk_fault_in(const struct uringblk_gate *g)
{
	char __user *p = u64_to_user_ptr(g->fault_addr);
	size_t left;

	if (!access_ok(p, g->fault_len))
		return -EFAULT;
	left = g->fault_write ? fault_in_writeable(p, g->fault_len) :
				fault_in_readable(p, g->fault_len);
	return left ? -EFAULT : 0;
}

/**
 * uringblk_put_reply() - copy a reply with the extensible-struct rules
 * @c:		the gate's copy of the command: addr, len of the reply buffer
 * @src:	the reply, @size bytes: the driver's version of the struct
 * @size:	bytes of @src
 * @min_len:	the struct's version-0 size
 *
 * The extensible-struct rules of the uAPI header: len above the maximum
 * is -E2BIG, below @min_len -EINVAL; write min(len, size) bytes, zero the
 * rest.  Never faults (uringblk_copy_to_client()).
 * Return: the bytes written, or -errno.
 */
int uringblk_put_reply(const struct uringblk_cmd *c, const void *src,
		       size_t size, size_t min_len)
{
	size_t n = min_t(size_t, c->len, size);

	if (c->len > URINGBLK_MAX_REPLY_LEN)
		return -E2BIG;
	if (c->len < min_len)
		return -EINVAL;
	if (uringblk_copy_to_client(c, c->addr, src, n) ||
	    (c->len > n && uringblk_clear_client(c, c->addr + n, c->len - n)))
		return -EFAULT;
	return n;
}

#ifndef CONFIG_BLK_DEV_ZONED
/*
 * No zoned drive without CONFIG_BLK_DEV_ZONED (cmd_zone.c is not built):
 * the zone commands pass the gate as on a zoned kernel and then answer
 * -EOPNOTSUPP, as they do on a regular drive.
 */
static int uringblk_cmd_zone_enotsup(struct uringblk_dev *dev,
				     const struct uringblk_cmd *c,
				     struct io_uring_cmd *ioucmd)
{
	return -EOPNOTSUPP;
}

static const struct uringblk_cmd_desc uringblk_zone_stub_cmds[] = {
	{ URINGBLK_CMD_REPORT_ZONES, 0, URINGBLK_CDW_USED(report_zones), false, false,
	  uringblk_cmd_zone_enotsup },
	{ URINGBLK_CMD_ZONE_MGMT,   0, URINGBLK_CDW_USED(zone_mgmt), true, false,
	  uringblk_cmd_zone_enotsup },
	{ URINGBLK_CMD_ZONE_APPEND, 0, URINGBLK_CDW_USED(zone_append), false, false,
	  uringblk_cmd_zone_enotsup },
};

const struct uringblk_cmd_set uringblk_cmd_set_zone = {
	.name		= "zones",
	.cmds		= uringblk_zone_stub_cmds,
	.nr_cmds	= ARRAY_SIZE(uringblk_zone_stub_cmds),
};
#endif

/*
 * Every command set the drive speaks (cmd.h says which file owns each).
 * Every command that takes no buffer says so in its set's table, so that
 * one rule covers them all: addr or len set is -EINVAL, as for any unused
 * field.
 */
static const struct uringblk_cmd_set *const uringblk_cmd_sets[] = {
	&uringblk_cmd_set_admin,
	&uringblk_cmd_set_prog,
	&uringblk_cmd_set_exec,
	&uringblk_cmd_set_zone,
	&uringblk_cmd_set_slm,
};

static const struct uringblk_cmd_desc *uringblk_find_cmd(u32 cmd_op)
{
	for (size_t i = 0; i < ARRAY_SIZE(uringblk_cmd_sets); i++) {
		const struct uringblk_cmd_set *set = uringblk_cmd_sets[i];

		for (unsigned int j = 0; j < set->nr_cmds; j++)
			if (set->cmds[j].cmd_op == cmd_op)
				return &set->cmds[j];
	}
	return NULL;
}

/**
 * uringblk_cmd_identify_sets() - every command set's share of IDENTIFY
 * @dev:	the drive
 * @id:		IDENTIFY's reply, the admin set's fields filled
 *
 * Context: under dev->lock, from the admin set's IDENTIFY; never sleeps.
 */
void uringblk_cmd_identify_sets(struct uringblk_dev *dev, struct uringblk_identify *id)
{
	for (size_t i = 0; i < ARRAY_SIZE(uringblk_cmd_sets); i++)
		if (uringblk_cmd_sets[i]->identify)
			uringblk_cmd_sets[i]->identify(dev, id);
}

/* Fields every command must leave zero, given what it uses. */
static int uringblk_check_reserved(const struct uringblk_cmd_desc *d,
				   const struct uringblk_cmd *c)
{
	if (c->rsvd0 || (c->flags & ~d->flags))
		return -EINVAL;
	if (d->no_buf && (c->addr || c->len))
		return -EINVAL;
	for (int i = 0; i < ARRAY_SIZE(c->cdw); i++)
		if (c->cdw[i] && !(d->cdw_used & BIT(i)))
			return -EINVAL;
	return 0;
}

/*
 * The issue of file_operations.uring_cmd (uringblk_uring_cmd()).  Runs
 * in the submitter's task (copies to its memory are direct) or in an
 * io-wq worker sharing its mm.  Sleeps only
 * when the issue may block: io_uring first issues every SQE with
 * IO_URING_F_NONBLOCK, and a command that would sleep then (dev->lock
 * contended by a removal, or a handler without @nowait) returns -EAGAIN,
 * which makes io_uring issue it again from io-wq, where it may block.
 *
 * A result is never returned directly: 6.1's io_uring_cmd() hands a
 * positive return value up as if it were an error code, and on the io-wq
 * path (IOSQE_ASYNC, or a punted request) it is then dropped: the CQE never
 * comes.  Inline, it completes only through the failure path, which breaks
 * linked SQEs.  So every command that finishes here completes through
 * io_uring_cmd_done() and reports -EIOCBQUEUED, as ublk and NVMe do.
 * The one exception is -EAGAIN from a non-blocking issue: io_uring then
 * issues the command again from io-wq, where the handler may block.
 */
/*
 * A request's way back to the submitter's task, for the URING_CMDs of
 * both front ends (req.h, ->to_task()): the model's copy of the request
 * and its callback in the URING_CMD's pdu, which the front end's issue
 * is done with once it returned -EIOCBQUEUED, then io_uring task work
 * (its fallback kworker if the submitting task is exiting).
 */
struct uringblk_cmd_task {
	struct uringblk_req	*req;
	void			(*fn)(struct uringblk_req *req, struct uringblk_issue is);
};

static void uringblk_cmd_task_run(struct io_uring_cmd *ioucmd, unsigned int issue_flags)
{
	struct uringblk_cmd_task *t = (struct uringblk_cmd_task *)ioucmd->pdu;

	t->fn(t->req, uringblk_issue_of(issue_flags));
}

void uringblk_cmd_req_to_task(struct uringblk_req *req,
			      void (*fn)(struct uringblk_req *req, struct uringblk_issue is))
{
	struct io_uring_cmd *ioucmd = req->handle;
	struct uringblk_cmd_task *t = (struct uringblk_cmd_task *)ioucmd->pdu;

	BUILD_BUG_ON(sizeof(*t) > sizeof(ioucmd->pdu));
	t->req = req;
	t->fn = fn;
	io_uring_cmd_complete_in_task(ioucmd, uringblk_cmd_task_run);
}

/* The ring the URING_CMD came by is closing: nobody reaps its CQE (compat.h). */
bool uringblk_cmd_req_gone(struct uringblk_req *req)
{
	return uringblk_cmd_ring_dying(req->handle);
}

/* A gate command's completion, as a request (req.h): status and big_cqe[0]. */
static void uringblk_cmd_req_complete(struct uringblk_req *req, int status, u64 result,
				      struct uringblk_issue is)
{
	uringblk_cmd_complete(req->handle, status, result, is.cookie);
}

static const struct uringblk_req_ops uringblk_cmd_req_ops = {
	.complete	= uringblk_cmd_req_complete,
	.to_task	= uringblk_cmd_req_to_task,
	.gone		= uringblk_cmd_req_gone,
};

/*
 * A handler the timing model times (it left a deadline in the pdu): the
 * model holds the CQE to it.  Return: true if the model completes it.
 */
static bool uringblk_cmd_defer(struct uringblk_dev *dev, struct io_uring_cmd *ioucmd,
			       int ret)
{
	const struct uringblk_cmd_pdu *pdu = uringblk_cmd_pdu(ioucmd);
	const struct uringblk_req req = {
		.ops	= &uringblk_cmd_req_ops,
		.handle	= ioucmd,
	};

	return uringblk_timing_req_defer(dev, &req, pdu->t0, pdu->deadline, ret,
					 pdu->res2, pdu->lat_op);
}

static int uringblk_cmd_issue(struct io_uring_cmd *ioucmd,
			      unsigned int issue_flags)
{
	struct uringblk_dev *dev = uringblk_cmd_file(ioucmd)->dev;
	struct uringblk_cmd_pdu *pdu = uringblk_cmd_pdu(ioucmd);
	const struct uringblk_cmd_desc *d;
	struct uringblk_gate g;
	const struct uringblk_cmd *c = &g.c;
	int ret = 0, tries = 0;
	u64 res2;

	/* The NVMe front end's: its own checks, its own completion. */
	if (uringblk_nvme_is_uring_cmd(ioucmd->cmd_op))
		return uringblk_nvme_uring_cmd(ioucmd, issue_flags);
	/* Without SQE128 only 16 payload bytes exist: do not read 80. */
	d = uringblk_find_cmd(ioucmd->cmd_op);
	if (!(issue_flags & IO_URING_F_SQE128))
		ret = -EOPNOTSUPP;
	/*
	 * The node takes IOPOLL rings for NVMe I/O (uring_cmd_iopoll); the
	 * drive's own commands are not polled I/O (an EXEC may run for
	 * seconds while the ring spins): refused, as io_uring refused them
	 * before the node had uring_cmd_iopoll.
	 */
	else if (issue_flags & IO_URING_F_IOPOLL)
		ret = -EOPNOTSUPP;
	else if (!d)
		ret = -ENOTTY;
	if (ret) {
		uringblk_cmd_complete(ioucmd, ret, 0, issue_flags);
		return -EIOCBQUEUED;
	}

	/*
	 * The SQE lives in memory the client can still write: read it once,
	 * then validate and use only the copy.
	 */
	BUILD_BUG_ON(sizeof(g.c) != 80);
	memcpy(&g.c, uringblk_cmd_payload(ioucmd), sizeof(g.c));
	pdu->issue_flags = issue_flags;
	pdu->t0 = uringblk_timing_on(dev) ? ktime_get_ns() : 0;
again:
	pdu->res2 = 0;
	pdu->deadline = 0;
	pdu->lat_op = URINGBLK_LAT_NR_OPS;
	g.fault_len = 0;
	g.log_set = false;
	g.answer_addr = 0;

	if (issue_flags & IO_URING_F_NONBLOCK) {
		if (!d->nowait || !down_read_trylock(&dev->lock))
			return -EAGAIN;
	} else {
		down_read(&dev->lock);
	}
	if (READ_ONCE(dev->removing)) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (c->abi_major != URINGBLK_ABI_MAJOR) {
		ret = -EPROTO;
		goto out_unlock;
	}
	ret = uringblk_check_reserved(d, c);
	if (!ret && d->need_write && !(ioucmd->file->f_mode & FMODE_WRITE))
		ret = -EBADF;
	if (!ret)
		ret = d->handler(dev, c, ioucmd);
out_unlock:
	up_read(&dev->lock);
	if (ret == -EIOCBQUEUED)
		return ret;	/* the handler completes it later */
	/*
	 * An answer the page was not there for (uringblk_put_answer()): the
	 * page may be faulted in here, also under IO_URING_F_NONBLOCK (the
	 * submitter's own task).  Not uringblk_fault_in() and again: the
	 * command acted.
	 */
	if (g.answer_addr && ret >= 0 &&
	    put_user(g.answer, (u64 __user *)u64_to_user_ptr(g.answer_addr)))
		ret = -EFAULT;
	/*
	 * A copy that would have faulted (uringblk_copy_from_client()): the
	 * fault, outside the lock, and the command again; from io-wq if
	 * this issue may not block.
	 */
	if (ret == -EFAULT && g.fault_len) {
		if (issue_flags & IO_URING_F_NONBLOCK)
			return -EAGAIN;
		if (++tries <= URINGBLK_FAULT_RETRIES && !uringblk_fault_in(&g))
			goto again;
	}
	if (g.log_set)
		uringblk_put_log(&g);
	if (ret == -EAGAIN && (issue_flags & IO_URING_F_NONBLOCK))
		return ret;	/* io_uring issues it again from io-wq */
	/*
	 * A handler the timing model times: the CQE waits for its deadline.
	 * The model holds a copy of the request; at the deadline its
	 * ->to_task() takes the pdu, which nothing here reads once the model
	 * holds the command.
	 */
	res2 = pdu->res2;
	if (unlikely(pdu->deadline) && ret >= 0 &&
	    uringblk_cmd_defer(dev, ioucmd, ret))
		return -EIOCBQUEUED;
	if (unlikely(pdu->lat_op != URINGBLK_LAT_NR_OPS))
		uringblk_lat_record(dev, pdu->lat_op, pdu->t0);
	uringblk_cmd_complete(ioucmd, ret, res2, issue_flags);
	return -EIOCBQUEUED;
}

/* io-wq issues an -EAGAIN again, from a copy of its SQE (compat_internals.h). */
static int uringblk_uring_cmd(struct io_uring_cmd *ioucmd,
			      unsigned int issue_flags)
{
	return uringblk_cmd_issued(ioucmd, uringblk_cmd_issue(ioucmd, issue_flags),
				   issue_flags);
}

/**
 * uringblk_cmd_complete() - post a command's CQE
 * @ioucmd:	the command
 * @ret:	its result: >= 0, -errno or a status (status.h)
 * @res2:	big_cqe[0] (with IORING_SETUP_CQE32): the command's second
 *		result; on failure 0, and then the failure's status goes
 *		there (a failure with a non-zero @res2 is EXEC's -EOVERFLOW,
 *		whose r0 it is)
 * @issue_flags: as io_uring passed them
 *
 * Every CQE of the command device is posted here, so cqe->res is always
 * an errno from driver/status.c's table and big_cqe[0] the status.
 */
void uringblk_cmd_complete(struct io_uring_cmd *ioucmd, int ret, u64 res2,
			   unsigned int issue_flags)
{
	if (ret < 0 && !res2)
		res2 = uringblk_status(ret);
	uringblk_cmd_done(ioucmd, uringblk_status_errno(ret), res2, issue_flags);
}

/**
 * uringblk_cmd_lat() - record a command's latency (uAPI "Latency histograms")
 * @dev:	the drive
 * @ioucmd:	the command, in the gate
 * @op:		its histogram, URINGBLK_LAT_*
 * @start_ns:	uringblk_lat_start() at its start (0: recording was off)
 *
 * A command completing in its issue is recorded now.  One the timing
 * model holds to a deadline (its handler has set it, before calling this)
 * is recorded from its arrival in the gate to its CQE, as a block
 * request is from queue_rq to its end.  Does not sleep.
 */
void uringblk_cmd_lat(struct uringblk_dev *dev, struct io_uring_cmd *ioucmd,
		      unsigned int op, u64 start_ns)
{
	struct uringblk_cmd_pdu *pdu = uringblk_cmd_pdu(ioucmd);

	if (start_ns && pdu->deadline)
		pdu->lat_op = op;
	else
		uringblk_lat_record(dev, op, start_ns);
}

static int uringblk_chr_open(struct inode *inode, struct file *file)
{
	struct uringblk_cfile *uf = kmalloc(sizeof(*uf), GFP_KERNEL_ACCOUNT);

	if (!uf)
		return -ENOMEM;
	/* chrdev_open() pinned the cdev, whose parent is dev->cdev_dev. */
	uf->dev = container_of(inode->i_cdev, struct uringblk_dev, cdev);
	atomic_set(&uf->execs, 0);
	uf->nsid = URINGBLK_NVME_NSID;
	file->private_data = uf;
	return 0;
}

/* The last reference: io_uring holds one until every command's CQE. */
static int uringblk_chr_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static const struct file_operations uringblk_chr_fops = {
	.owner		= THIS_MODULE,
	.open		= uringblk_chr_open,
	.release	= uringblk_chr_release,
	.uring_cmd	= uringblk_uring_cmd,
	.uring_cmd_iopoll = uringblk_nvme_uring_cmd_iopoll,	/* IOPOLL rings (nvme.c) */
	.unlocked_ioctl	= uringblk_nvme_ioctl,	/* NVMe passthrough (nvme.c) */
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static void uringblk_cdev_release(struct device *d)
{
	uringblk_dev_put(container_of(d, struct uringblk_dev, cdev_dev));
}

/**
 * uringblk_cmd_add() - create /dev/uringblkcN for a device, and its
 * namespace nodes /dev/uringblkcNn2, n3 (nvme_ns.c)
 * @dev: the device, its index already assigned
 *
 * Takes a device reference per node, dropped when the last user of that
 * char device (registration or open file) is gone.  May sleep.
 */
int uringblk_cmd_add(struct uringblk_dev *dev)
{
	int ret;

	uringblk_nvme_ns_setup(dev);	/* before any node can take a command */
	cdev_init(&dev->cdev, &uringblk_chr_fops);
	dev->cdev.owner = THIS_MODULE;
	device_initialize(&dev->cdev_dev);
	dev->cdev_dev.class = uringblk_class;
	dev->cdev_dev.devt = MKDEV(MAJOR(uringblk_chr_base), dev->index);
	dev->cdev_dev.release = uringblk_cdev_release;
	kref_get(&dev->ref);

	ret = dev_set_name(&dev->cdev_dev, URINGBLK_CHRDEV_NAME "%d", dev->index);
	if (!ret)
		ret = cdev_device_add(&dev->cdev, &dev->cdev_dev);
	if (ret) {
		put_device(&dev->cdev_dev);	/* drops the reference */
		return ret;
	}
	ret = uringblk_nvme_nodes_add(dev, uringblk_class, uringblk_chr_base);
	if (ret) {
		cdev_device_del(&dev->cdev, &dev->cdev_dev);
		put_device(&dev->cdev_dev);
	}
	return ret;
}

/* Remove the drive's nodes; open files keep working (and get -ENODEV). */
void uringblk_cmd_del(struct uringblk_dev *dev)
{
	uringblk_nvme_nodes_del(dev);
	cdev_device_del(&dev->cdev, &dev->cdev_dev);
	put_device(&dev->cdev_dev);
}

int uringblk_cmd_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&uringblk_chr_base, 0, URINGBLK_NVME_MINORS,
				  URINGBLK_CHRDEV_NAME);
	if (ret)
		return ret;
	uringblk_class = uringblk_class_create(URINGBLK_BLKDEV_NAME);
	if (IS_ERR(uringblk_class)) {
		ret = PTR_ERR(uringblk_class);
		unregister_chrdev_region(uringblk_chr_base, URINGBLK_NVME_MINORS);
		return ret;
	}
	return 0;
}

void uringblk_cmd_exit(void)
{
	class_destroy(uringblk_class);
	unregister_chrdev_region(uringblk_chr_base, URINGBLK_NVME_MINORS);
}
