// SPDX-License-Identifier: GPL-2.0
/*
 * The program command set: PROG_LOAD, PROG_UNLOAD, PROG_LIST and
 * PROG_ACTIVATE, decoded here (the command words, the client's buffers,
 * the command's text channel) and answered by the program store's model
 * calls (prog.c), which the NVMe Computational Programs commands
 * (nvme_cp.c) call too; and the program part of IDENTIFY.  The gate
 * (cmd.c) has checked the payload; the handlers run with dev->lock held
 * for read.
 */
#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/err.h>
#include <linux/slab.h>

#include "cmd.h"
#include "prog.h"
#include "uringblk.h"

/*
 * PROG_LOAD F_BPF_FD: a kernel-BPF program, verified by the kernel
 * (kbpf.c takes it and checks what the drive needs), into a slot.
 * May sleep.  Context: dev->lock held for read.
 */
static int cmd_prog_load_kbpf(struct uringblk_dev *dev, const struct uringblk_cmd *c)
{
	struct uringblk_prog_kbpf k;
	struct bpf_prog *bp;
	char msg[URINGBLK_CMD_LOG_MAX] = "";	/* the engine's reason fits */
	int ret;

	if (c->flags & URINGBLK_PROG_LOAD_F_IMAGE) {
		snprintf(msg, sizeof(msg), "F_BPF_FD and F_IMAGE exclude each other");
		ret = -EINVAL;
		goto out_log;
	}
	if (c->len != sizeof(k)) {
		snprintf(msg, sizeof(msg), "len %u: a struct uringblk_prog_kbpf is %zu bytes",
			 c->len, sizeof(k));
		ret = -EINVAL;
		goto out_log;
	}
	if (uringblk_copy_from_client(c, &k, c->addr, sizeof(k)))
		return -EFAULT;
	bp = uringblk_kbpf_get(&k, msg, sizeof(msg));
	if (IS_ERR(bp)) {
		ret = PTR_ERR(bp);
		goto out_log;
	}
	ret = uringblk_prog_add_kbpf(dev, bp, c->prog_load.name, c->prog_load.pind,
				     msg, sizeof(msg));
	if (ret < 0) {
		uringblk_kbpf_put(bp);
		goto out_log;
	}
	uringblk_cmd_log(c, "ok");
	return ret;

out_log:
	if (msg[0])
		uringblk_cmd_log(c, msg);
	return ret;
}

/*
 * PROG_LOAD F_IMAGE: copy the image's header in, let prog_image.c check it
 * and allocate the program, then copy its instructions and global data.
 * Return: the program (not validated) or an ERR_PTR.  May sleep.
 */
static struct uringblk_prog *cmd_prog_image_copy(const struct uringblk_cmd *c,
						 char *msg, size_t msg_size)
{
	struct uringblk_prog_image img;
	struct uringblk_prog *prog;

	if (c->len != sizeof(img)) {
		snprintf(msg, msg_size, "image length %u is not %zu", c->len,
			 sizeof(img));
		return ERR_PTR(-EINVAL);
	}
	if (uringblk_copy_from_client(c, &img, c->addr, sizeof(img)))
		return ERR_PTR(-EFAULT);
	prog = uringblk_prog_image_alloc(&img, c->prog_load.name, msg, msg_size);
	if (IS_ERR(prog))
		return prog;
	if (uringblk_copy_from_client(c, prog->insns, img.insns,
				      (size_t)img.insn_cnt * sizeof(struct bpf_insn)) ||
	    (prog->globals &&
	     uringblk_copy_from_client(c, &prog->insns[img.insn_cnt], img.globals,
				       (size_t)img.rodata_len + img.data_len))) {
		uringblk_prog_free(prog);
		return ERR_PTR(-EFAULT);
	}
	return prog;
}

/*
 * PROG_LOAD: copy, then the store's validation and store.  May sleep.
 * Context: dev->lock held for read.
 */
static int cmd_prog_load_one(struct uringblk_dev *dev, const struct uringblk_cmd *c)
{
	struct uringblk_prog *prog;
	u32 cnt = c->len / sizeof(struct bpf_insn);
	char msg[128] = "";
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (c->prog_load.log_len > URINGBLK_LOG_MAX)
		return -EINVAL;
	if (c->flags & URINGBLK_PROG_LOAD_F_BPF_FD)
		return cmd_prog_load_kbpf(dev, c);
	if (c->flags & URINGBLK_PROG_LOAD_F_IMAGE) {
		prog = cmd_prog_image_copy(c, msg, sizeof(msg));
		if (IS_ERR(prog)) {
			ret = PTR_ERR(prog);
			goto out_log;
		}
		goto verify;
	}
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

	prog = uringblk_prog_alloc(cnt, c->prog_load.name);
	if (!prog)
		return -ENOMEM;
	if (uringblk_copy_from_client(c, prog->insns, c->addr, c->len)) {
		ret = -EFAULT;
		goto out_free;
	}
verify:
	ret = uringblk_prog_add_interp(dev, prog, c->prog_load.pind, msg, sizeof(msg));
	if (ret < 0)
		goto out_free;
	uringblk_cmd_log(c, "ok");
	return ret;

out_free:
	uringblk_prog_free(prog);
out_log:
	/* The errno is the answer; a faulting log buffer must not hide it. */
	if (msg[0])
		uringblk_cmd_log(c, msg);
	return ret;
}

/*
 * PROG_LOAD.  Every -E2BIG of a load (instructions, global data, the
 * kernel verifier's walk) is the standard's Program Too Big.
 */
static int uringblk_cmd_prog_load(struct uringblk_dev *dev,
				  const struct uringblk_cmd *c,
				  struct io_uring_cmd *ioucmd)
{
	int ret = cmd_prog_load_one(dev, c);

	return ret == -E2BIG ? uringblk_st(URINGBLK_SC_PROG_TOO_BIG) : ret;
}

/* PROG_UNLOAD.  Context: dev->lock held for read. */
static int uringblk_cmd_prog_unload(struct uringblk_dev *dev,
				    const struct uringblk_cmd *c,
				    struct io_uring_cmd *ioucmd)
{
	u64 id = c->prog_unload.prog_id;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (id > U32_MAX)
		return -EINVAL;
	return uringblk_prog_unload(dev, id);
}

/* PROG_LIST.  May sleep.  Context: dev->lock held for read. */
static int uringblk_cmd_prog_list(struct uringblk_dev *dev,
				  const struct uringblk_cmd *c,
				  struct io_uring_cmd *ioucmd)
{
	const size_t isz = sizeof(struct uringblk_prog_info);
	struct uringblk_prog_info *info;
	u32 max = c->len / isz, n;
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
	n = uringblk_prog_list(dev, c->prog_list.after_id, info, max);
	if (n && uringblk_copy_to_client(c, c->addr, info, n * isz))
		ret = -EFAULT;
	kfree(info);
	return ret ?: n;
}

/* PROG_ACTIVATE.  Context: dev->lock held for read. */
static int uringblk_cmd_prog_activate(struct uringblk_dev *dev,
				      const struct uringblk_cmd *c,
				      struct io_uring_cmd *ioucmd)
{
	u64 action = c->prog_activate.action;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (action != URINGBLK_PROG_ACT_ACTIVATE &&
	    action != URINGBLK_PROG_ACT_DEACTIVATE)
		return -EINVAL;
	return uringblk_prog_activate(dev, c->prog_activate.pind,
				      action == URINGBLK_PROG_ACT_ACTIVATE);
}

/*
 * The program commands' views of the command words, on the words the
 * uAPI header documents (the gate checks the rest are zero).
 */
static_assert(URINGBLK_CDW_WORD(prog_load.log_addr) == 0);
static_assert(URINGBLK_CDW_WORD(prog_load.log_len) == 1);
static_assert(URINGBLK_CDW_WORD(prog_load.name) == 2);
static_assert(sizeof_field(struct uringblk_cmd, prog_load.name) == 4 * sizeof(u64));
static_assert(URINGBLK_CDW_WORD(prog_load.pind) == 6);
static_assert(URINGBLK_CDW_WORD(prog_unload.prog_id) == 0);
static_assert(URINGBLK_CDW_WORD(prog_list.after_id) == 0);
static_assert(URINGBLK_CDW_WORD(prog_activate.pind) == 0);
static_assert(URINGBLK_CDW_WORD(prog_activate.action) == 1);

static const struct uringblk_cmd_desc uringblk_prog_cmds[] = {
	{ URINGBLK_CMD_PROG_LOAD,   URINGBLK_PROG_LOAD_F_IMAGE | URINGBLK_PROG_LOAD_F_BPF_FD,
	  URINGBLK_CDW_USED(prog_load), false, false,
	  uringblk_cmd_prog_load },
	{ URINGBLK_CMD_PROG_UNLOAD, 0, URINGBLK_CDW_USED(prog_unload), true, false,
	  uringblk_cmd_prog_unload },
	{ URINGBLK_CMD_PROG_LIST,   0, URINGBLK_CDW_USED(prog_list), false, false,
	  uringblk_cmd_prog_list },
	{ URINGBLK_CMD_PROG_ACTIVATE, 0, URINGBLK_CDW_USED(prog_activate), true, false,
	  uringblk_cmd_prog_activate },
};

/*
 * IDENTIFY's program fields: the store's limits, the sandbox's, the
 * engines that can run programs now (kernel BPF only with usable BTF).
 */
static void uringblk_prog_identify(struct uringblk_dev *dev,
				   struct uringblk_identify *id)
{
	id->features |= URINGBLK_F_COMPUTE | URINGBLK_F_RECORDS |
			URINGBLK_F_VEC_I8 | URINGBLK_F_REC_FILTER;
	id->max_progs = URINGBLK_MAX_PROGS;
	id->max_prog_insns = URINGBLK_PROG_MAX_INSNS;
	id->prog_stack_size = URINGBLK_PROG_STACK_SIZE;
	id->max_active_progs = URINGBLK_MAX_ACTIVE_PROGS;
	id->nr_dd_progs = dev->nr_dd_progs;
	id->max_globals = URINGBLK_MAX_GLOBALS;
	id->max_rw_globals = URINGBLK_MAX_RW_GLOBALS;
	id->engines = URINGBLK_ENGINE_INTERP | URINGBLK_ENGINE_NATIVE |
		      uringblk_kbpf_engines();
	if (id->engines & URINGBLK_ENGINE_KBPF)
		id->features |= URINGBLK_F_KBPF;
}

const struct uringblk_cmd_set uringblk_cmd_set_prog = {
	.name		= "programs",
	.cmds		= uringblk_prog_cmds,
	.nr_cmds	= ARRAY_SIZE(uringblk_prog_cmds),
	.identify	= uringblk_prog_identify,
};
