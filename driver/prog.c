// SPDX-License-Identifier: GPL-2.0
/*
 * Programs: the per-device program store and the PROG_LOAD, PROG_UNLOAD
 * and PROG_LIST commands.  Running one is exec.c (EXEC); the sandbox
 * itself is prog_verify.c, prog_interp.c, prog_helpers.c.
 *
 * A stored program is immutable and reference-counted: the store holds
 * one reference, each EXEC in flight one more, so unloading never waits
 * for a run.  Lookups are lockless (RCU), writers of the store take
 * dev->prog_lock.
 */
#include <linux/capability.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include "compat.h"
#include "prog_vm.h"
#include "uringblk.h"

#define URINGBLK_LOG_MAX	4096

/* After a grace period: uringblk_prog_get() may still be looking at it. */
static void uringblk_prog_release(struct kref *ref)
{
	struct uringblk_prog *prog = container_of(ref, struct uringblk_prog, ref);

	kvfree_rcu(prog, rcu);
}

void uringblk_prog_put(struct uringblk_prog *prog)
{
	kref_put(&prog->ref, uringblk_prog_release);
}

/*
 * Find a program and take a reference on it, or NULL.  Lockless, so that
 * an EXEC issued with IO_URING_F_NONBLOCK never sleeps: the store's
 * xarray is RCU-safe, and a program being unloaded (its count already
 * zero) is simply not found.
 */
struct uringblk_prog *uringblk_prog_get(struct uringblk_dev *dev, u32 id)
{
	struct uringblk_prog *prog;

	rcu_read_lock();
	prog = xa_load(&dev->progs, id);
	if (prog && !kref_get_unless_zero(&prog->ref))
		prog = NULL;
	rcu_read_unlock();
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
	if (c->flags & URINGBLK_PROG_LOAD_F_IMAGE) {
		/* instructions and global data: prog_image.c */
		prog = uringblk_prog_image_copy(c, msg, sizeof(msg));
		if (IS_ERR(prog)) {
			ret = PTR_ERR(prog);
			goto out_log;
		}
		cnt = prog->insn_cnt;
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
verify:
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
		info[n].globals_len = prog->rodata_len + prog->data_len +
				      prog->bss_len;
		n++;
	}
	mutex_unlock(&dev->prog_lock);
	if (n && copy_to_user(u64_to_user_ptr(c->addr), info, n * isz))
		ret = -EFAULT;
	kfree(info);
	return ret ?: n;
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
