// SPDX-License-Identifier: GPL-2.0
/*
 * The runs command set of the command device: EXEC and EXECUTE, as the
 * gate (cmd.c) hands them over, checked against its table.  Each handler
 * decodes its words (uAPI header) into the model's arguments and builds
 * the request (req.h) the run completes through: the CQE in the gate's
 * form, the reply written into the client's buffer, the extents list read
 * from its memory.  The model calls themselves, uringblk_prog_exec() and
 * uringblk_prog_execute(), are exec.c's and know no front end; NVMe's
 * Execute Program is nvme_cp_io.c's.
 */
#include <linux/fs.h>
#include <linux/io_uring.h>
#include <linux/uaccess.h>

#include "cmd.h"
#include "compat.h"
#include "req.h"
#include "uringblk.h"

/*
 * The command device's form of a run's completion (req.h): a run that
 * ended has r0 as cqe->res (-EOVERFLOW past INT_MAX) and in big_cqe[0];
 * else the status, by the gate's table.
 */
static void exec_cmd_complete(struct uringblk_req *req, int status, u64 r0,
			      struct uringblk_issue is)
{
	int ret = status;

	if (!status)
		ret = r0 > INT_MAX ? -EOVERFLOW : (int)r0;
	uringblk_cmd_complete(req->handle, ret, ret >= 0 || ret == -EOVERFLOW ? r0 : 0,
			      is.cookie);
}

/* The reply into the client's buffer at req->addr: the result, then the output. */
static bool exec_cmd_reply(struct uringblk_req *req, const struct uringblk_exec_result *res,
			   const void *out, u32 out_len, bool nofault)
{
	void __user *reply = u64_to_user_ptr(req->addr);

	if (nofault)
		return !copy_to_user_nofault(reply, res, sizeof(*res)) &&
		       !copy_to_user_nofault(reply + sizeof(*res), out, out_len);
	return !copy_to_user(reply, res, sizeof(*res)) &&
	       !copy_to_user(reply + sizeof(*res), out, out_len);
}

/*
 * EXEC's list of extents, from the client's memory (req->priv: the gate's
 * copy of the command, where a copy that would fault is recorded for the
 * gate to fault in outside dev->lock and issue it again).  Under
 * IO_URING_F_NONBLOCK a page that is not resident is -EAGAIN: io-wq
 * issues the EXEC again, blocking.
 */
static int exec_cmd_copy_in(struct uringblk_req *req, void *dst, u64 addr, size_t len,
			    bool nowait)
{
	if (nowait)
		return copy_from_user_nofault(dst, u64_to_user_ptr(addr), len) ? -EAGAIN : 0;
	return uringblk_copy_from_client(req->priv, dst, addr, len) ? -EFAULT : 0;
}

static const struct uringblk_req_ops exec_cmd_req_ops = {
	.complete	= exec_cmd_complete,
	.reply		= exec_cmd_reply,
	.copy_in	= exec_cmd_copy_in,
	.to_task	= uringblk_cmd_req_to_task,
	.gone		= uringblk_cmd_req_gone,
};

/* The gate's request for a run: its URING_CMD, its file, its reply buffer. */
static struct uringblk_req exec_cmd_req(const struct uringblk_cmd *c,
					struct io_uring_cmd *ioucmd)
{
	return (struct uringblk_req) {
		.ops		= &exec_cmd_req_ops,
		.handle		= ioucmd,
		.file_execs	= &uringblk_cmd_file(ioucmd)->execs,
		.addr		= c->addr,
		.len		= c->len,
		.priv		= (void *)c,
	};
}

/*
 * EXEC: decode the words for uringblk_prog_exec(), which checks them in
 * the errno order the uAPI gives.  Context: dev->lock held for read.
 */
static int uringblk_cmd_exec(struct uringblk_dev *dev,
			     const struct uringblk_cmd *c,
			     struct io_uring_cmd *ioucmd)
{
	const struct uringblk_req req = exec_cmd_req(c, ioucmd);
	const bool extents = c->flags & URINGBLK_EXEC_F_EXTENTS;
	const struct uringblk_exec_req x = {
		.prog_id	= c->exec.prog_id,
		.flags		= c->flags,
		/* F_EXTENTS: the same words are the exec_ext view */
		.lba_start	= extents ? 0 : c->exec.lba_start,
		.lba_count	= extents ? 0 : c->exec.lba_count,
		.ext_addr	= extents ? c->exec_ext.ext_addr : 0,
		.nr_ext		= extents ? c->exec_ext.nr_ext : 0,
		.budget		= c->exec.insn_budget,
		.args		= { c->exec.args[0], c->exec.args[1], c->exec.args[2] },
	};

	if (c->exec.prog_id > U32_MAX)
		return -EINVAL;
	return uringblk_prog_exec(dev, &req, &x,
				  uringblk_issue_of(uringblk_cmd_pdu(ioucmd)->issue_flags));
}

/*
 * EXECUTE: decode the words (uAPI "The computational storage model") for
 * uringblk_prog_execute().  Context: dev->lock held for read.
 */
static int uringblk_cmd_execute(struct uringblk_dev *dev,
				const struct uringblk_cmd *c,
				struct io_uring_cmd *ioucmd)
{
	const struct uringblk_req req = exec_cmd_req(c, ioucmd);
	const struct uringblk_execute_req x = {
		.pind		= c->execute.pind,
		.rsid		= c->execute.rsid,
		.budget		= c->execute.insn_budget,
		.args		= { c->execute.cparam[0], c->execute.cparam[1],
				    c->execute.arg2 },
		.data_len	= c->execute.data_len,
	};

	if (!(ioucmd->file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (c->execute.pind > U32_MAX || c->execute.rsid > U32_MAX)
		return -EINVAL;
	return uringblk_prog_execute(dev, &req, &x,
				     uringblk_issue_of(uringblk_cmd_pdu(ioucmd)->issue_flags));
}

/*
 * EXEC's and EXECUTE's views of the command words, on the words the uAPI
 * header documents.  EXEC has two (F_EXTENTS: exec_ext) of one size, so
 * the gate's mask for EXEC covers both.
 */
static_assert(URINGBLK_CDW_WORD(exec.prog_id) == 0);
static_assert(URINGBLK_CDW_WORD(exec.lba_start) == 1);
static_assert(URINGBLK_CDW_WORD(exec.lba_count) == 2);
static_assert(URINGBLK_CDW_WORD(exec.insn_budget) == 3);
static_assert(URINGBLK_CDW_WORD(exec.args) == 4);
static_assert(sizeof_field(struct uringblk_cmd, exec) ==
	      sizeof_field(struct uringblk_cmd, cdw));
static_assert(URINGBLK_CDW_WORD(exec_ext.prog_id) == 0);
static_assert(URINGBLK_CDW_WORD(exec_ext.ext_addr) == 1);
static_assert(URINGBLK_CDW_WORD(exec_ext.nr_ext) == 2);
static_assert(URINGBLK_CDW_WORD(exec_ext.insn_budget) == 3);
static_assert(URINGBLK_CDW_WORD(exec_ext.args) == 4);
static_assert(sizeof_field(struct uringblk_cmd, exec_ext) ==
	      sizeof_field(struct uringblk_cmd, exec));
static_assert(URINGBLK_CDW_WORD(execute.pind) == 0);
static_assert(URINGBLK_CDW_WORD(execute.rsid) == 1);
static_assert(URINGBLK_CDW_WORD(execute.insn_budget) == 2);
static_assert(URINGBLK_CDW_WORD(execute.cparam) == 3);
static_assert(URINGBLK_CDW_WORD(execute.arg2) == 5);
static_assert(URINGBLK_CDW_WORD(execute.data_len) == 6);
static_assert(sizeof(struct uringblk_extent) == 24);

static const struct uringblk_cmd_desc uringblk_exec_cmds[] = {
	/*
	 * exec_run.c: a short run completes inline, without sleeping.  With
	 * F_EXTENTS the same words are the exec_ext view (same size).
	 */
	{ URINGBLK_CMD_EXEC,        URINGBLK_EXEC_F_ZONE_WP | URINGBLK_EXEC_F_EXTENTS,
	  URINGBLK_CDW_USED(exec), false, true, uringblk_cmd_exec },
	/* EXEC's path over a memory range set */
	{ URINGBLK_CMD_EXECUTE,     0, URINGBLK_CDW_USED(execute), false, true,
	  uringblk_cmd_execute },
};

/* IDENTIFY's run fields: the reply, the budget, the extents of a grant. */
static void uringblk_exec_identify(struct uringblk_dev *dev,
				   struct uringblk_identify *id)
{
	id->features |= URINGBLK_F_EXTENTS;
	id->max_exec_out = URINGBLK_MAX_EXEC_OUT;
	id->default_insn_budget = URINGBLK_DEFAULT_BUDGET;
	id->max_insn_budget = URINGBLK_MAX_BUDGET;
	id->max_exec_extents = URINGBLK_MAX_EXEC_EXTENTS;
}

const struct uringblk_cmd_set uringblk_cmd_set_exec = {
	.name		= "runs",
	.cmds		= uringblk_exec_cmds,
	.nr_cmds	= ARRAY_SIZE(uringblk_exec_cmds),
	.identify	= uringblk_exec_identify,
};
