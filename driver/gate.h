/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gate's interface (cmd.c), for what sits behind it on the command
 * device: the command sets of /dev/uringblkcN (cmd.h) and the NVMe face's
 * passthrough (nvme*.c).  An open file of the device and its namespace
 * nodes, the gate's scratch in a URING_CMD's pdu, the completion and the
 * request ops of a URING_CMD (req.h), and the client's memory under
 * dev->lock.  This is io_uring's side of the driver: the model (req.h,
 * exec*.c, the zoned layer, SLM) includes none of it.
 */
#ifndef URINGBLK_GATE_H
#define URINGBLK_GATE_H

#include "compat.h"	/* io_uring_cmd: <linux/io_uring/cmd.h> on 6.8+ */
#include "req.h"
#include "uringblk.h"

/*
 * The model's view of an io_uring issue (req.h): it may not sleep under
 * IO_URING_F_NONBLOCK, and the flags come back to the front end's
 * ->complete() for io_uring_cmd_done().
 */
static inline struct uringblk_issue uringblk_issue_of(unsigned int issue_flags)
{
	return (struct uringblk_issue){
		.nowait	= issue_flags & IO_URING_F_NONBLOCK,
		.cookie	= issue_flags,
	};
}

/**
 * struct uringblk_cfile - one open file of /dev/uringblkcN (cmd.c) or of a
 * namespace node /dev/uringblkcNnM (nvme_ns.c)
 * @dev:	its drive (the open file pins the cdev, so the struct)
 * @execs:	EXECs and EXECUTEs in flight: at most max_execs_per_file
 *		(io_uring holds the file until each one's CQE)
 * @nsid:	the node's namespace: 1 for /dev/uringblkcN, else M
 */
struct uringblk_cfile {
	struct uringblk_dev	*dev;
	atomic_t		execs;
	u32			nsid;
};

static inline struct uringblk_cfile *uringblk_cmd_file(struct io_uring_cmd *ioucmd)
{
	return ioucmd->file->private_data;
}

/*
 * cmd.c.  The gate's scratch in io_uring_cmd.pdu while a command is being
 * issued: issue_flags of this issue (IO_URING_F_NONBLOCK: a handler that
 * would block may return -EAGAIN to be issued again from io-wq), and res2,
 * which a handler completing inline may set (cqe->big_cqe[0]); with the
 * timing model on, the arrival time and the deadline a handler computed
 * (timing.c), which the gate waits for, and the latency histogram a timed
 * command is recorded in when its CQE is posted (uringblk_cmd_lat()).  A
 * handler returning -EIOCBQUEUED may reuse the pdu.
 */
struct uringblk_cmd_pdu {
	u64		res2;
	unsigned int	issue_flags;
	u8		lat_op;		/* URINGBLK_LAT_* to record at the CQE, or _NR_OPS */
	u64		t0;		/* arrival, if the timing model is on, else 0 */
	u64		deadline;	/* set by a handler the model times, else 0 */
};

static inline struct uringblk_cmd_pdu *uringblk_cmd_pdu(struct io_uring_cmd *ioucmd)
{
	BUILD_BUG_ON(sizeof(struct uringblk_cmd_pdu) > sizeof(ioucmd->pdu));
	return (struct uringblk_cmd_pdu *)ioucmd->pdu;
}

void uringblk_cmd_lat(struct uringblk_dev *dev, struct io_uring_cmd *ioucmd,
		      unsigned int op, u64 start_ns);
void uringblk_cmd_complete(struct io_uring_cmd *ioucmd, int ret, u64 res2,
			   unsigned int issue_flags);
/* cmd.c: a request's ->to_task() and ->gone() for a URING_CMD (req.h) */
struct uringblk_req;
void uringblk_cmd_req_to_task(struct uringblk_req *req,
			      void (*fn)(struct uringblk_req *req, struct uringblk_issue is));
bool uringblk_cmd_req_gone(struct uringblk_req *req);

/*
 * The client's memory under dev->lock.  Removal takes dev->lock for write,
 * so no handler may wait on a page fault there: the client decides how
 * long one lasts (userfaultfd, a FUSE-backed mapping).  Handlers copy with
 * these, which never fault a page in.  When one fails it records the
 * range in the gate's copy of the command @c, and the handler returns
 * -EFAULT having changed nothing that doing it again would not redo; the
 * gate then drops the lock, faults the range in, and issues the command
 * again.  A range that cannot be faulted in is -EFAULT.  Never sleep.
 * Return: 0 or -EFAULT.
 */
int uringblk_copy_from_client(const struct uringblk_cmd *c, void *dst, u64 uaddr,
			      size_t len);
int uringblk_copy_to_client(const struct uringblk_cmd *c, u64 uaddr,
			    const void *src, size_t len);
int uringblk_clear_client(const struct uringblk_cmd *c, u64 uaddr, size_t len);
/*
 * The same for a handler's own nofault copy: the whole range the gate
 * should fault in (the rest of a transfer done piece by piece, so that a
 * retry faults nothing in again).  Return: -EFAULT.
 */
int uringblk_client_fault(const struct uringblk_cmd *c, u64 uaddr, size_t len,
			  bool write);
/*
 * PROG_LOAD's message for the client's log buffer (prog_load.log_addr,
 * log_len): the gate writes it once dev->lock is dropped.  Never sleeps.
 */
#define URINGBLK_CMD_LOG_MAX	384
#define URINGBLK_LOG_MAX	4096	/* prog_load.log_len */
void uringblk_cmd_log(const struct uringblk_cmd *c, const char *msg);

#endif /* URINGBLK_GATE_H */
