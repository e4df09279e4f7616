/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gate's contract with the command sets.  cmd.c is the gate: it
 * checks what every command shares (SQE128, the command's set, the ABI,
 * reserved words and flags, permissions) and completes it; it knows no
 * command.  Each command set owns, in its own file, its table of
 * commands, the static_asserts that pin its named views of the command
 * words to the uAPI, its handlers and its share of IDENTIFY:
 *   admin    IDENTIFY, GET_STATS                     cmd_admin.c
 *   programs PROG_LOAD, _UNLOAD, _LIST, _ACTIVATE     cmd_prog.c
 *   runs     EXEC, EXECUTE                           cmd_exec.c
 *   zones    REPORT_ZONES, ZONE_MGMT, ZONE_APPEND    cmd_zone.c
 *   SLM      MEM_READ, _WRITE, _COPY, RANGE_SET_*    cmd_slm.c
 * and is listed once in cmd.c's uringblk_cmd_sets[].
 */
#ifndef URINGBLK_CMD_H
#define URINGBLK_CMD_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include "compat.h"	/* io_uring_cmd: <linux/io_uring/cmd.h> on 6.8+ */
#include <linux/kernel.h>
#include <linux/stddef.h>

#include "gate.h"
#include "uringblk.h"

/**
 * struct uringblk_cmd_desc - what the gate needs to know about a command
 * @cmd_op:	the URINGBLK_CMD_* value
 * @flags:	flag bits the command accepts; others are -EINVAL
 * @cdw_used:	bit i set: cdw[i] carries an argument; others must be zero.
 *		Always URINGBLK_CDW_USED(view) of the command's named view
 *		in the uAPI header, or 0 for a command without one
 * @no_buf:	the command takes no user buffer: addr and len must be zero
 * @nowait:	the handler honours IO_URING_F_NONBLOCK (never sleeps then;
 *		returns -EAGAIN where it would).  Other commands sleep
 *		(copies to user memory, GFP_KERNEL, mutexes, file I/O), so a
 *		non-blocking issue of one is -EAGAIN at once
 * @handler:	runs with dev->lock held for read and the payload validated;
 *		returns cqe->res (>= 0), -errno, or -EIOCBQUEUED after
 *		arranging to complete @ioucmd later; touches the client's
 *		memory only through uringblk_copy_from_client() and friends
 * @need_write:	the command changes the drive's state (device memory): a
 *		command device not opened for writing gets -EBADF, checked
 *		after the reserved fields
 */
struct uringblk_cmd_desc {
	u32	cmd_op;
	u32	flags;
	u32	cdw_used;
	bool	no_buf;
	bool	nowait;
	int	(*handler)(struct uringblk_dev *dev, const struct uringblk_cmd *c,
			   struct io_uring_cmd *ioucmd);
	bool	need_write;
};

/*
 * The words of cdw[] a command's named view (a member of the union in
 * struct uringblk_cmd) covers, as a cdw_used mask.  Derived from the layout
 * so that the gate cannot disagree with it: a field added to a view is
 * accepted by the gate, and a word no view covers stays refused.  Every
 * view starts at cdw[0] (it is a union member); a partial last word counts
 * as used.
 */
#define URINGBLK_CDW_USED(view)						\
	GENMASK(DIV_ROUND_UP(sizeof_field(struct uringblk_cmd, view),	\
			     sizeof(u64)) - 1, 0)

/* Where a named field sits, in words from cdw[0]; for the ABI checks below. */
#define URINGBLK_CDW_WORD(field)					\
	((offsetof(struct uringblk_cmd, field) -			\
	  offsetof(struct uringblk_cmd, cdw)) / sizeof(u64))

/**
 * struct uringblk_cmd_set - one command set, as the gate sees it
 * @name:	for messages
 * @cmds:	its commands: cmd_op values no other set has
 * @nr_cmds:	entries of @cmds
 * @identify:	optional: fill its fields and feature bits of IDENTIFY,
 *		after the admin set's (which a set may clear, as a zoned
 *		drive clears discard).  Under dev->lock; never sleeps
 */
struct uringblk_cmd_set {
	const char			*name;
	const struct uringblk_cmd_desc	*cmds;
	unsigned int			nr_cmds;
	void	(*identify)(struct uringblk_dev *dev, struct uringblk_identify *id);
};

/* The sets, each in the file that owns it. */
extern const struct uringblk_cmd_set uringblk_cmd_set_admin;	/* cmd_admin.c */
extern const struct uringblk_cmd_set uringblk_cmd_set_prog;	/* cmd_prog.c */
extern const struct uringblk_cmd_set uringblk_cmd_set_exec;	/* cmd_exec.c */
extern const struct uringblk_cmd_set uringblk_cmd_set_zone;	/* cmd_zone.c, or cmd.c's stub */
extern const struct uringblk_cmd_set uringblk_cmd_set_slm;	/* cmd_slm.c */

/* cmd.c: the gate's services to the sets */
void uringblk_cmd_identify_sets(struct uringblk_dev *dev, struct uringblk_identify *id);
int uringblk_put_reply(const struct uringblk_cmd *c, const void *src,
		       size_t size, size_t min_len);
/*
 * The answer of a command that has acted (ZONE_APPEND's LBA, once the data
 * landed), for @uaddr in the client's memory: written now if the page is
 * there, else by the gate once dev->lock is dropped, where it may fault
 * the page in; only an address that cannot take it then makes the
 * command -EFAULT.  The handler cannot retry: doing it again would act
 * again.  One per command.  Never sleeps.
 */
void uringblk_put_answer(const struct uringblk_cmd *c, u64 uaddr, u64 val);

#endif /* URINGBLK_CMD_H */
