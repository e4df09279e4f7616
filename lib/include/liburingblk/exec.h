/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * <liburingblk/exec.h> - runs: EXEC over an LBA range or a list of extents,
 * EXECUTE over a memory range set; prep helpers for the caller's ring and
 * synchronous calls.
 *
 * Part of <liburingblk.h>, which includes every header of liburingblk.
 */
#ifndef LIBURINGBLK_EXEC_H
#define LIBURINGBLK_EXEC_H

#include <stddef.h>
#include <string.h>
#include <liburingblk/uapi/uringblk.h>
#include <liburingblk/device.h>
#include <liburingblk/prep.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct uringblk_execute_args - what EXECUTE runs over what (a library
 * struct; the driver sees struct uringblk_execute_cdw)
 * @pind:	program index of an active program
 * @rsid:	memory range set id
 * @budget:	instruction budget, as for EXEC (0 = the default)
 * @cparam:	the standard's two parameters: ctx->args[0..1]
 * @arg2:	ctx->args[2]
 * @data_len:	(since 1.6; drive ABI 1.4, URINGBLK_F_EXTENTS) 0 = the whole
 *		set, else the window is the set's first @data_len bytes
 *		(1..the set's length, else -ERANGE): a file copied into a
 *		set of whole blocks, seen up to its size.  A drive before
 *		ABI 1.4 refuses a non-zero one (-EINVAL)
 *
 * The struct grew in 1.6: a program built against 1.5 headers calls
 * uringblk_execute@LIBURINGBLK_1.5, which reads the 1.5 layout.
 */
struct uringblk_execute_args {
	__u32	pind;
	__u32	rsid;
	__u64	budget;
	__u64	cparam[2];
	__u64	arg2;
	__u64	data_len;
};

/* Fill an EXECUTE command payload from @a. */
static inline void uringblk_execute_cmd_init(struct uringblk_cmd *cmd,
					     const struct uringblk_execute_args *a,
					     void *reply, __u32 reply_len)
{
	uringblk_cmd_init(cmd, 0, reply, reply_len);
	cmd->execute.pind = a->pind;
	cmd->execute.rsid = a->rsid;
	cmd->execute.insn_budget = a->budget;
	cmd->execute.cparam[0] = a->cparam[0];
	cmd->execute.cparam[1] = a->cparam[1];
	cmd->execute.arg2 = a->arg2;
	cmd->execute.data_len = a->data_len;
}

/**
 * uringblk_prep_execute() - prepare URINGBLK_CMD_EXECUTE on the caller's ring
 * @sqe:	as for uringblk_prep_exec()
 * @fd:		as for uringblk_prep_exec()
 * @reply:	as for uringblk_prep_exec()
 * @reply_len:	as for uringblk_prep_exec()
 * @a:		what to run over what (copied)
 *
 * The command device must be open for writing.  cqe->res as EXEC's.
 */
static inline void uringblk_prep_execute(struct io_uring_sqe *sqe, int fd,
					 const struct uringblk_execute_args *a,
					 void *reply, __u32 reply_len)
{
	struct uringblk_cmd cmd;

	uringblk_execute_cmd_init(&cmd, a, reply, reply_len);
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_EXECUTE, &cmd);
}

/**
 * uringblk_execute() - run an active program over a memory range set,
 *	synchronously
 * @dev:	as for uringblk_exec()
 * @res:	as for uringblk_exec()
 * @out:	as for uringblk_exec()
 * @out_len:	as for uringblk_exec()
 * @a:		what to run over what
 *
 * Return: as uringblk_exec(); refusals: -EBADF (the handle is read-only),
 * -ERANGE (no such slot, or @a->data_len past the set), -ENOENT (empty
 * slot), -ENOEXEC (not active), -EBADSLT (no such set), -EINVAL, -ENOMEM.
 */
int uringblk_execute(struct uringblk_dev *dev, const struct uringblk_execute_args *a,
		     struct uringblk_exec_result *res, void *out, size_t out_len);

/**
 * struct uringblk_exec_args - what to run where (a library struct; the
 * driver sees the words uringblk_exec_cmd_init() makes of it, struct
 * uringblk_exec_cdw)
 * @prog_id:	program id from uringblk_prog_load()
 * @flags:	0, or URINGBLK_EXEC_F_ZONE_WP (zoned drives): the range lies
 *		in one zone and the program sees only its written part, up
 *		to the write pointer (ctx->lba_count may become 0).  The
 *		drive refuses unknown bits with -EINVAL
 * @lba_start:	first logical block of the range the program may read
 * @lba_count:	number of logical blocks (> 0, inside the device)
 * @budget:	instruction budget; 0 = identify.default_insn_budget, at most
 *		identify.max_insn_budget.  Each instruction slot costs a unit
 *		and helpers units for the work they do (the program ABI
 *		header's "Helpers"): a 1 GiB uringblk_count_pattern() needs 60 M
 *		(first pattern byte absent) to 2 G units (data that nearly
 *		match everywhere), about 140 M over English-like text, and
 *		256 M more on a file-backed drive
 * @args:	ctx->args[0..2] (ctx->args[3] is always 0)
 */
struct uringblk_exec_args {
	__u32	prog_id;
	__u32	flags;
	__u64	lba_start;
	__u64	lba_count;
	__u64	budget;
	__u64	args[3];
};

/**
 * uringblk_exec_cmd_init() - fill an EXEC command payload
 * @cmd:	payload to fill
 * @a:		what to run where
 * @reply:	reply buffer: a struct uringblk_exec_result followed by the
 *		program's output space
 * @reply_len:	its size: sizeof(struct uringblk_exec_result) +
 *		output capacity (at most URINGBLK_MAX_EXEC_OUT)
 */
static inline void uringblk_exec_cmd_init(struct uringblk_cmd *cmd,
					  const struct uringblk_exec_args *a,
					  void *reply, __u32 reply_len)
{
	uringblk_cmd_init(cmd, a->flags, reply, reply_len);
	cmd->exec.prog_id = a->prog_id;
	cmd->exec.lba_start = a->lba_start;
	cmd->exec.lba_count = a->lba_count;
	cmd->exec.insn_budget = a->budget;
	cmd->exec.args[0] = a->args[0];
	cmd->exec.args[1] = a->args[1];
	cmd->exec.args[2] = a->args[2];
}

/**
 * uringblk_prep_exec() - prepare URINGBLK_CMD_EXEC on the caller's ring
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128 (add
 *		IORING_SETUP_CQE32 to get the full 64-bit r0 in
 *		cqe->big_cqe[0]; the result struct has it in any case)
 * @fd:		the command device
 * @a:		what to run where (copied: may go away after this call)
 * @reply:	a struct uringblk_exec_result followed by the output space;
 *		8-byte aligned, valid until the CQE arrives.  The output is
 *		at uringblk_exec_reply_out(@reply) - no copy is made
 * @reply_len:	sizeof(struct uringblk_exec_result) + output capacity
 *
 * cqe->res will be r0 (if it completed with r0 <= INT32_MAX), -EOVERFLOW
 * (completed with a larger r0), or a negative errno: the one that stopped
 * the run (the result's abort_code is then set) or why the drive refused
 * the command (the result is then not written).
 */
static inline void uringblk_prep_exec(struct io_uring_sqe *sqe, int fd,
				      const struct uringblk_exec_args *a,
				      void *reply, __u32 reply_len)
{
	struct uringblk_cmd cmd;

	uringblk_exec_cmd_init(&cmd, a, reply, reply_len);
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_EXEC, &cmd);
}

/**
 * uringblk_exec_reply_out() - the output part of an EXEC reply buffer
 * @reply:	reply buffer as passed to uringblk_prep_exec()
 *
 * Return: the first output byte, just after the result struct.
 */
static inline void *uringblk_exec_reply_out(void *reply)
{
	return (char *)reply + sizeof(struct uringblk_exec_result);
}

/**
 * uringblk_exec() - run a program over an LBA range, synchronously
 * @dev:	open handle
 * @a:		what to run where
 * @res:	receives the result struct (zeroed if the drive refused the
 *		command before running anything)
 * @out:	receives the program's output: res->out_len bytes, at most
 *		@out_len; the rest of @out is left alone.  NULL if @out_len
 *		is 0
 * @out_len:	output capacity offered to the program (ctx->out_len);
 *		values above URINGBLK_MAX_EXEC_OUT are cut to it
 *
 * Sleeps until the run is over.  The drive writes the result struct and
 * the output into one reply buffer; with @out_len > 0 that is a buffer
 * kept in @dev, from which the output is then copied to @out (only the
 * bytes the program produced: at most 1 MiB, cheap next to the scan).
 * To avoid the copy, or to run EXECs concurrently, use
 * uringblk_prep_exec() on your own ring.
 *
 * Return: 0 if the run completed (its r0, all 64 bits, is res->r0); the
 * negative errno that stopped the run (res->abort_code says why, see
 * uringblk_prog_abort_name(); res->insns, bytes_scanned and the output
 * so far are valid); or the errno of a refused command: -ENOENT (no such
 * program), -ERANGE (range empty or outside the device), -EINVAL (budget
 * above the maximum, flags), -ENOMEM.
 */
int uringblk_exec(struct uringblk_dev *dev, const struct uringblk_exec_args *a,
		  struct uringblk_exec_result *res, void *out, size_t out_len);

/**
 * uringblk_exec_ext_cmd_init() - fill an EXEC payload over a list of
 *	extents (since 1.6; drive ABI 1.4, URINGBLK_F_EXTENTS)
 * @cmd:	payload to fill
 * @a:		the program, budget, args and flags as for an EXEC over a
 *		range; lba_start and lba_count are not used (the flag
 *		URINGBLK_EXEC_F_EXTENTS is added to a->flags)
 * @ext:	the extents, read by the drive when the command is issued:
 *		valid until the CQE arrives
 * @nr:		1..identify.max_exec_extents
 * @reply:	as for uringblk_exec_cmd_init()
 * @reply_len:	as for uringblk_exec_cmd_init()
 */
static inline void uringblk_exec_ext_cmd_init(struct uringblk_cmd *cmd,
					      const struct uringblk_exec_args *a,
					      const struct uringblk_extent *ext,
					      __u32 nr, void *reply,
					      __u32 reply_len)
{
	uringblk_cmd_init(cmd, a->flags | URINGBLK_EXEC_F_EXTENTS, reply,
			  reply_len);
	cmd->exec_ext.prog_id = a->prog_id;
	cmd->exec_ext.ext_addr = (__u64)(unsigned long)ext;
	cmd->exec_ext.nr_ext = nr;
	cmd->exec_ext.insn_budget = a->budget;
	cmd->exec_ext.args[0] = a->args[0];
	cmd->exec_ext.args[1] = a->args[1];
	cmd->exec_ext.args[2] = a->args[2];
}

/**
 * uringblk_prep_exec_extents() - prepare an EXEC over a list of extents on
 *	the caller's ring (since 1.6)
 * @sqe:	as for uringblk_prep_exec()
 * @fd:		as for uringblk_prep_exec()
 * @reply:	as for uringblk_prep_exec()
 * @reply_len:	as for uringblk_prep_exec()
 * @a:		as for uringblk_exec_ext_cmd_init() (copied)
 * @ext:	@nr extents (struct uringblk_extent: lba, len in bytes, flags
 *		0 or URINGBLK_EXTENT_F_ZERO for zeroes); the program sees
 *		them end to end as one stream of their lengths summed
 *		(ctx->data_len; lba_start and lba_count are 0).  Valid until
 *		the CQE arrives
 * @nr:		1..identify.max_exec_extents
 *
 * cqe->res as for uringblk_prep_exec(); the refusals of the extents are
 * uringblk_exec_extents()'s.
 */
static inline void uringblk_prep_exec_extents(struct io_uring_sqe *sqe, int fd,
					      const struct uringblk_exec_args *a,
					      const struct uringblk_extent *ext,
					      __u32 nr, void *reply,
					      __u32 reply_len)
{
	struct uringblk_cmd cmd;

	uringblk_exec_ext_cmd_init(&cmd, a, ext, nr, reply, reply_len);
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_EXEC, &cmd);
}

/**
 * uringblk_exec_extents() - run a program over a list of extents,
 *	synchronously (since 1.6)
 * @dev:	as for uringblk_exec()
 * @res:	as for uringblk_exec()
 * @out:	as for uringblk_exec()
 * @out_len:	as for uringblk_exec()
 * @a:		program, budget, args, flags (lba_start, lba_count unused)
 * @ext:	the extents, end to end: a file's bytes in file order
 * @nr:		1..identify.max_exec_extents
 *
 * Return: as uringblk_exec(); refusals: -EINVAL (@nr 0, an extent of
 * length 0, unknown extent flags, a zero extent with an LBA, lengths
 * summing past 2^64 - 1, URINGBLK_EXEC_F_ZONE_WP, or a drive before ABI
 * 1.4: check identify.features & URINGBLK_F_EXTENTS), -E2BIG (more than
 * identify.max_exec_extents), -ERANGE (an extent outside the drive),
 * -EFAULT (@ext unreadable), -ENOENT (no such program), -ENOMEM.
 */
int uringblk_exec_extents(struct uringblk_dev *dev,
			  const struct uringblk_exec_args *a,
			  const struct uringblk_extent *ext, unsigned int nr,
			  struct uringblk_exec_result *res, void *out,
			  size_t out_len);

/**
 * struct uringblk_exec_extents_args - what uringblk_exec_extents_args()
 *	runs over which extents (since 1.11)
 * @size:	sizeof(struct uringblk_exec_extents_args) as the caller was
 *		built (the rule of struct uringblk_prog_load_args)
 * @flags:	0 (reserved for options)
 * @exec:	program, budget, args, flags (lba_start, lba_count unused)
 * @ext:	as for uringblk_exec_extents()
 * @nr:		as for uringblk_exec_extents()
 * @out:	as for uringblk_exec()
 * @out_len:	as for uringblk_exec()
 */
struct uringblk_exec_extents_args {
	__u32					size;
	__u32					flags;
	const struct uringblk_exec_args		*exec;
	const struct uringblk_extent		*ext;
	unsigned int				nr;
	void					*out;
	size_t					out_len;
};

/**
 * uringblk_exec_extents_args() - uringblk_exec_extents() with its options
 *	in a struct that can grow (since 1.11)
 * @dev:	as for uringblk_exec()
 * @args:	which run over which extents (@args->size set)
 * @res:	as for uringblk_exec()
 *
 * Return: as uringblk_exec_extents(); -EINVAL (@args NULL, its size below
 * that of 1.11's struct, or flags not 0) or -E2BIG (a larger struct whose
 * bytes past the ones this library knows are not 0), before anything is
 * written.
 */
int uringblk_exec_extents_args(struct uringblk_dev *dev,
			       const struct uringblk_exec_extents_args *args,
			       struct uringblk_exec_result *res);

#ifdef __cplusplus
}
#endif

#endif /* LIBURINGBLK_EXEC_H */
