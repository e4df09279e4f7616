// SPDX-License-Identifier: GPL-2.0
/*
 * Programs: the per-device program store, its slots, and the PROG_LOAD,
 * PROG_UNLOAD, PROG_LIST and PROG_ACTIVATE commands.  Running one is
 * exec.c (EXEC, EXECUTE; exec_run.c runs it); the sandbox itself
 * (validator, interpreter, helpers, device-defined programs' native code)
 * is driver/sandbox/; kernel-BPF programs (taken by fd) are kbpf.c's.
 *
 * Slots (uAPI "Program slots"): pind 1..URINGBLK_MAX_PROGS hold
 * downloaded programs, dev->slots[pind - 1]; pind URINGBLK_DD_PIND_BASE + n
 * holds device-defined program n, dev->dd_slots[n], id
 * URINGBLK_DD_ID_BASE + n, registered when the drive is created and there
 * until it goes.  Every program is also in dev->progs by id.
 *
 * A stored program is immutable but for its run state (prog->lock) and
 * reference-counted: the store holds one reference, each run in flight
 * one more.  Lookups are lockless (RCU); writers of the store take
 * dev->prog_lock, then the program's lock to change its run state.  A run
 * starts only under the program's lock and only while the program is
 * stored, so PROG_UNLOAD (-EBUSY while a run is in flight) and
 * deactivation (-EBUSY while an EXECUTE is) see every run that may start.
 */
#include <linux/capability.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include "cmd.h"
#include "compat.h"
#include "engine.h"
#include "prog.h"
#include "sandbox/prog_native.h"
#include "sandbox/prog_vm.h"
#include "uringblk.h"

/*
 * After a grace period: a lockless lookup may still be looking at it.
 * What its engine holds (a kernel-BPF program) is no longer reachable from
 * here, and no run holds it (each run holds a reference), so it can go at
 * once.
 */
static void uringblk_prog_release(struct kref *ref)
{
	struct uringblk_prog *prog = container_of(ref, struct uringblk_prog, ref);

	if (prog->engine->release)
		prog->engine->release(prog);
	kvfree_rcu(prog, rcu);
}

static void uringblk_prog_put(struct uringblk_prog *prog)
{
	kref_put(&prog->ref, uringblk_prog_release);
}

/*
 * Start a run of @prog, found under RCU: it must still be stored (and
 * active, for EXECUTE).  Takes a reference and counts the run in flight.
 * Never sleeps.
 */
static int uringblk_prog_start(struct uringblk_prog *prog, bool execute)
{
	int ret = 0;

	if (!kref_get_unless_zero(&prog->ref))
		return -ENOENT;
	spin_lock(&prog->lock);
	if (!prog->stored) {
		ret = -ENOENT;
	} else if (execute && !prog->active) {
		ret = -ENOEXEC;
	} else {
		prog->in_flight++;
		if (execute)
			prog->executing++;
	}
	spin_unlock(&prog->lock);
	if (ret)
		uringblk_prog_put(prog);
	return ret;
}

/*
 * EXEC: the program with id @id, active or not, downloaded or
 * device-defined; NULL if there is none.  Lockless, so that an EXEC issued
 * with IO_URING_F_NONBLOCK never sleeps.
 */
struct uringblk_prog *uringblk_prog_run_get(struct uringblk_dev *dev, u32 id)
{
	struct uringblk_prog *prog;

	rcu_read_lock();
	prog = xa_load(&dev->progs, id);
	if (prog && uringblk_prog_start(prog, false))
		prog = NULL;
	rcu_read_unlock();
	return prog;
}

/*
 * The slot of @pind, or NULL if no slot has that index.  Under RCU or
 * dev->prog_lock.
 */
static struct uringblk_prog __rcu **uringblk_slot(struct uringblk_dev *dev, u64 pind)
{
	if (pind >= 1 && pind <= URINGBLK_MAX_PROGS)
		return &dev->slots[pind - 1];
	if (pind >= URINGBLK_DD_PIND_BASE &&
	    pind - URINGBLK_DD_PIND_BASE < dev->nr_dd_progs)
		return &dev->dd_slots[pind - URINGBLK_DD_PIND_BASE];
	return NULL;
}

/*
 * EXECUTE: the active program in slot @pind; ERR_PTR -ERANGE (no such
 * slot), -ENOENT (empty) or -ENOEXEC (not active).  Lockless, as above.
 */
struct uringblk_prog *uringblk_prog_execute_get(struct uringblk_dev *dev, u64 pind)
{
	struct uringblk_prog __rcu **slot = uringblk_slot(dev, pind);
	struct uringblk_prog *prog;
	int ret;

	if (!slot)
		return ERR_PTR(-ERANGE);
	rcu_read_lock();
	prog = rcu_dereference(*slot);
	ret = prog ? uringblk_prog_start(prog, true) : -ENOENT;
	rcu_read_unlock();
	return ret ? ERR_PTR(ret) : prog;
}

/* A run taken by uringblk_prog_*_get() ended.  Never sleeps. */
void uringblk_prog_run_put(struct uringblk_prog *prog, bool execute)
{
	spin_lock(&prog->lock);
	prog->in_flight--;
	if (execute)
		prog->executing--;
	spin_unlock(&prog->lock);
	uringblk_prog_put(prog);
}

/**
 * uringblk_prog_alloc() - a new program, not stored, one reference
 * @insn_cnt:	room for this many instructions (0 for a native or kernel-BPF one)
 * @name:	URINGBLK_PROG_NAME_LEN bytes of name
 *
 * Charged to the caller's memory cgroup.  May sleep.
 * Return: the program (its instructions zeroed), or NULL.
 */
struct uringblk_prog *uringblk_prog_alloc(u32 insn_cnt, const char *name)
{
	struct uringblk_prog *prog;

	prog = kvzalloc(struct_size(prog, insns, insn_cnt), GFP_KERNEL_ACCOUNT);
	if (!prog)
		return NULL;
	kref_init(&prog->ref);
	spin_lock_init(&prog->lock);
	prog->insn_cnt = insn_cnt;
	memcpy(prog->name, name, URINGBLK_PROG_NAME_LEN);
	return prog;
}

/* A program uringblk_prog_alloc() gave that was never stored. */
void uringblk_prog_free(struct uringblk_prog *prog)
{
	kvfree(prog);
}

/*
 * Put a validated program into slot @pind (0: the lowest free one) under
 * a new id.  The statuses Invalid Program Index, Program Index Not
 * Downloadable, Program In Use, Insufficient Program Resources, with the
 * reason in @msg.  Context: dev->prog_lock held.
 */
static int uringblk_prog_store(struct uringblk_dev *dev, struct uringblk_prog *prog,
			       u64 pind, char *msg, size_t msg_size)
{
	struct uringblk_prog __rcu **slot = NULL;
	int ret;

	lockdep_assert_held(&dev->prog_lock);
	if (!pind) {
		for (u32 i = 0; i < URINGBLK_MAX_PROGS && !slot; i++)
			if (!rcu_access_pointer(dev->slots[i]))
				slot = &dev->slots[i];
		if (!slot) {
			snprintf(msg, msg_size, "the device already holds %u programs",
				 URINGBLK_MAX_PROGS);
			return uringblk_st(URINGBLK_SC_INSUFFICIENT_PROG_RES);
		}
		pind = slot - dev->slots + 1;
	} else if (pind >= URINGBLK_DD_PIND_BASE &&
		   pind - URINGBLK_DD_PIND_BASE < dev->nr_dd_progs) {
		snprintf(msg, msg_size, "slot %llu holds a device-defined program", pind);
		return uringblk_st(URINGBLK_SC_PROG_NOT_DOWNLOADABLE);
	} else if (pind > URINGBLK_MAX_PROGS) {
		snprintf(msg, msg_size, "no slot %llu: downloaded programs go in 1..%u",
			 pind, URINGBLK_MAX_PROGS);
		return uringblk_st(URINGBLK_SC_INVALID_PROG_INDEX);
	} else {
		slot = &dev->slots[pind - 1];
		if (rcu_access_pointer(*slot)) {
			snprintf(msg, msg_size, "slot %llu is taken", pind);
			return uringblk_st(URINGBLK_SC_PROG_IN_USE);
		}
	}
	/* Ids are never reused: below the device-defined ones, then no more. */
	if (dev->next_prog_id >= URINGBLK_DD_ID_BASE) {
		snprintf(msg, msg_size, "the device has used up its program ids");
		return uringblk_st(URINGBLK_SC_INSUFFICIENT_PROG_RES);
	}
	prog->id = dev->next_prog_id;
	prog->pind = pind;
	prog->stored = true;
	ret = xa_insert(&dev->progs, prog->id, prog, GFP_KERNEL);
	if (ret)
		return ret;
	dev->next_prog_id++;
	dev->nr_progs++;
	rcu_assign_pointer(*slot, prog);
	return 0;
}

/**
 * uringblk_prog_add() - store a program the drive can run
 * @dev:	the drive
 * @prog:	the program, its engine chosen and its code checked by it
 *		(the interpreter's validator, the kernel's verifier)
 * @pind:	its slot, 0 for the lowest free one
 * @msg:	receives the reason of a refusal
 * @msg_size:	its size
 *
 * Return: the program's id (> 0), or -errno or a status
 * (uringblk_prog_store()); on failure @prog is still the caller's.
 * Context: dev->lock held for read.  May sleep.
 */
int uringblk_prog_add(struct uringblk_dev *dev, struct uringblk_prog *prog,
		      u64 pind, char *msg, size_t msg_size)
{
	int ret;

	/* a slot an NVMe Load Program is loading in pieces is not free */
	ret = uringblk_nvme_cp_claim(dev, &pind);
	if (ret) {
		snprintf(msg, msg_size, "slot %llu: an NVMe Load Program is under way there",
			 pind);
		return ret;
	}
	ret = uringblk_prog_add_staged(dev, prog, pind, msg, msg_size);
	uringblk_nvme_cp_release();
	return ret;
}

/**
 * uringblk_prog_add_staged() - uringblk_prog_add() without the claim
 * @dev:	the drive
 * @prog:	the program, checked by its engine
 * @pind:	its slot (an NVMe Load Program's, whose last piece is in)
 * @msg:	receives the reason of a refusal
 * @msg_size:	its size
 *
 * For nvme_cp.c, which holds the claim (nvme_cp_mutex) already.
 * Return: as uringblk_prog_add().  Context: dev->lock held for read.
 */
int uringblk_prog_add_staged(struct uringblk_dev *dev, struct uringblk_prog *prog,
			     u64 pind, char *msg, size_t msg_size)
{
	int ret;
	u32 id;

	mutex_lock(&dev->prog_lock);
	ret = uringblk_prog_store(dev, prog, pind, msg, msg_size);
	id = prog->id;	/* not after the unlock: an unload may free prog */
	mutex_unlock(&dev->prog_lock);
	if (ret)
		return ret;
	this_cpu_inc(dev->stats->prog_loads);
	return id;
}

/**
 * uringblk_prog_add_interp() - validate an eBPF program and store it
 * @dev:	the drive
 * @prog:	the program, its instructions (and global data) in place
 * @pind:	its slot, 0 for the lowest free one
 * @msg:	receives the reason of a refusal (the validator's, or the store's)
 * @msg_size:	its size
 *
 * The interpreter's validator (driver/sandbox/) refuses what is unsafe;
 * then uringblk_prog_add().  Every front end's load of an eBPF program
 * goes through here.  Return: the program's id (> 0), the validator's
 * -errno (-EINVAL, -E2BIG...), or what uringblk_prog_add() returns; on
 * failure @prog is still the caller's.  Context: dev->lock held for read.
 * May sleep.
 */
int uringblk_prog_add_interp(struct uringblk_dev *dev, struct uringblk_prog *prog,
			     u64 pind, char *msg, size_t msg_size)
{
	int ret;

	prog->engine = &uringblk_engine_interp;
	ret = uringblk_prog_verify(prog->insns, prog->insn_cnt, msg, msg_size);
	if (ret)
		return ret;
	return uringblk_prog_add(dev, prog, pind, msg, msg_size);
}

/* The same for an NVMe Load Program's last piece: its claim is held. */
int uringblk_prog_add_interp_staged(struct uringblk_dev *dev, struct uringblk_prog *prog,
				    u64 pind, char *msg, size_t msg_size)
{
	int ret;

	prog->engine = &uringblk_engine_interp;
	ret = uringblk_prog_verify(prog->insns, prog->insn_cnt, msg, msg_size);
	if (ret)
		return ret;
	return uringblk_prog_add_staged(dev, prog, pind, msg, msg_size);
}

/*
 * PROG_LOAD F_BPF_FD: a kernel-BPF program, verified by the kernel
 * (kbpf.c takes it and checks what the drive needs), into a slot.
 * May sleep.  Context: dev->lock held for read.
 */
static int uringblk_prog_load_kbpf(struct uringblk_dev *dev,
				   const struct uringblk_cmd *c)
{
	struct uringblk_prog *prog;
	struct bpf_prog *bp;
	char msg[URINGBLK_CMD_LOG_MAX] = "";	/* the engine's reason fits */
	int ret;

	if (c->flags & URINGBLK_PROG_LOAD_F_IMAGE) {
		snprintf(msg, sizeof(msg), "F_BPF_FD and F_IMAGE exclude each other");
		ret = -EINVAL;
		goto out_log;
	}
	bp = uringblk_kbpf_get(c, msg, sizeof(msg));
	if (IS_ERR(bp)) {
		ret = PTR_ERR(bp);
		goto out_log;
	}
	prog = uringblk_prog_alloc(0, c->prog_load.name);
	if (!prog) {
		uringblk_kbpf_put(bp);
		return -ENOMEM;
	}
	prog->engine = &uringblk_engine_kbpf;
	prog->bpf = bp;
	prog->insn_cnt = bp->len;

	ret = uringblk_prog_add(dev, prog, c->prog_load.pind, msg, sizeof(msg));
	if (ret < 0) {
		uringblk_kbpf_put(bp);
		kvfree(prog);
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
 * PROG_LOAD: copy, validate, store.  May sleep.
 * Context: dev->lock held for read.
 */
static int prog_load(struct uringblk_dev *dev, const struct uringblk_cmd *c)
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
		return uringblk_prog_load_kbpf(dev, c);
	if (c->flags & URINGBLK_PROG_LOAD_F_IMAGE) {
		/* instructions and global data: prog_image.c */
		prog = uringblk_prog_image_copy(c, msg, sizeof(msg));
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
	kvfree(prog);
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
	int ret = prog_load(dev, c);

	return ret == -E2BIG ? uringblk_st(URINGBLK_SC_PROG_TOO_BIG) : ret;
}

/**
 * uringblk_prog_unload() - remove a downloaded program from its slot
 * @dev:	the drive
 * @id:		the program's id
 *
 * Return: 0, or the status No Program (no program @id), Program Index Not
 * Downloadable (a device-defined one: the drive's, not the client's) or
 * Program In Use (active, or a run in flight).  Context: dev->lock held
 * for read.  May sleep.
 */
int uringblk_prog_unload(struct uringblk_dev *dev, u32 id)
{
	struct uringblk_prog *prog;
	int ret = 0;

	mutex_lock(&dev->prog_lock);
	prog = id ? xa_load(&dev->progs, id) : NULL;
	if (!prog) {
		ret = uringblk_st(URINGBLK_SC_NO_PROGRAM);
	} else if (prog->pind >= URINGBLK_DD_PIND_BASE) {
		ret = uringblk_st(URINGBLK_SC_PROG_NOT_DOWNLOADABLE);
	} else {
		/* A run starts only under prog->lock while stored. */
		spin_lock(&prog->lock);
		if (prog->active || prog->in_flight)
			ret = uringblk_st(URINGBLK_SC_PROG_IN_USE);
		else
			prog->stored = false;
		spin_unlock(&prog->lock);
	}
	if (!ret) {
		xa_erase(&dev->progs, id);
		RCU_INIT_POINTER(dev->slots[prog->pind - 1], NULL);
		dev->nr_progs--;
	}
	mutex_unlock(&dev->prog_lock);
	if (!ret)
		uringblk_prog_put(prog);
	return ret;
}

/**
 * uringblk_prog_pind_check() - may a program be downloaded into slot @pind?
 * @dev:	the drive
 * @pind:	the slot (the standard's program index)
 *
 * What uringblk_prog_store() would answer before it stores, for a front
 * end that takes a program in pieces and should refuse the first one.
 * Return: 0, or the status Invalid Program Index, Program Index Not
 * Downloadable or Program In Use (the slot holds a program).  Never sleeps.
 */
int uringblk_prog_pind_check(struct uringblk_dev *dev, u64 pind)
{
	struct uringblk_prog __rcu **slot = uringblk_slot(dev, pind);

	if (!slot)
		return uringblk_st(URINGBLK_SC_INVALID_PROG_INDEX);
	if (pind >= URINGBLK_DD_PIND_BASE)
		return uringblk_st(URINGBLK_SC_PROG_NOT_DOWNLOADABLE);
	if (rcu_access_pointer(*slot))
		return uringblk_st(URINGBLK_SC_PROG_IN_USE);
	return 0;
}

/**
 * uringblk_prog_unload_pind() - remove the downloaded program in a slot
 * @dev:	the drive
 * @pind:	the slot
 *
 * uringblk_prog_unload() of the program slot @pind holds now (ids are
 * never reused, so a program that left the slot meanwhile is No Program,
 * never another one).  Return: 0, or the status Invalid Program Index,
 * No Program (an empty slot), Program Index Not Downloadable, Program In
 * Use.  Context: dev->lock held for read.  May sleep.
 */
int uringblk_prog_unload_pind(struct uringblk_dev *dev, u64 pind)
{
	struct uringblk_prog __rcu **slot = uringblk_slot(dev, pind);
	struct uringblk_prog *prog;
	u32 id = 0;

	if (!slot)
		return uringblk_st(URINGBLK_SC_INVALID_PROG_INDEX);
	if (pind >= URINGBLK_DD_PIND_BASE)
		return uringblk_st(URINGBLK_SC_PROG_NOT_DOWNLOADABLE);
	rcu_read_lock();
	prog = rcu_dereference(*slot);
	if (prog)
		id = prog->id;
	rcu_read_unlock();
	return uringblk_prog_unload(dev, id);	/* id 0: No Program */
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
		info[n].pind = prog->pind;
		if (READ_ONCE(prog->active))
			info[n].flags |= URINGBLK_PROG_INFO_F_ACTIVE;
		prog->engine->info(prog, &info[n]);	/* type, its flags, bpf_id */
		info[n].globals_len = prog->rodata_len + prog->data_len +
				      prog->bss_len;
		info[n].combine = prog->combine;
		n++;
	}
	mutex_unlock(&dev->prog_lock);
	if (n && uringblk_copy_to_client(c, c->addr, info, n * isz))
		ret = -EFAULT;
	kfree(info);
	return ret ?: n;
}

/**
 * uringblk_prog_activate() - activate or deactivate the program in a slot
 * @dev:	the drive
 * @pind:	the slot
 * @activate:	true to activate, false to deactivate (either is a no-op
 *		when the program is already so)
 *
 * Activation changes only under dev->prog_lock, so dev->nr_active is
 * exact; the flag itself also under prog->lock, which an EXECUTE takes to
 * start.
 *
 * Return: 0, or the status Invalid Program Index, No Program (an empty
 * slot), Maximum Programs Activated, or Program In Use (deactivating a
 * program an EXECUTE is running).  Context: dev->lock held for read.  May
 * sleep.
 */
int uringblk_prog_activate(struct uringblk_dev *dev, u64 pind, bool activate)
{
	struct uringblk_prog __rcu **slot;
	struct uringblk_prog *prog;
	int ret = 0;

	slot = uringblk_slot(dev, pind);
	if (!slot)
		return uringblk_st(URINGBLK_SC_INVALID_PROG_INDEX);
	mutex_lock(&dev->prog_lock);
	prog = rcu_dereference_protected(*slot, lockdep_is_held(&dev->prog_lock));
	if (!prog) {
		ret = uringblk_st(URINGBLK_SC_NO_PROGRAM);
	} else if (activate) {
		if (prog->active)
			goto out;
		if (dev->nr_active >= URINGBLK_MAX_ACTIVE_PROGS) {
			ret = uringblk_st(URINGBLK_SC_MAX_PROGS_ACTIVATED);
			goto out;
		}
		spin_lock(&prog->lock);
		prog->active = true;
		spin_unlock(&prog->lock);
		dev->nr_active++;
	} else {
		if (!prog->active)
			goto out;
		spin_lock(&prog->lock);
		if (prog->executing)
			ret = uringblk_st(URINGBLK_SC_PROG_IN_USE);
		else
			prog->active = false;
		spin_unlock(&prog->lock);
		if (!ret)
			dev->nr_active--;
	}
out:
	mutex_unlock(&dev->prog_lock);
	return ret;
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
 * debugfs "holders": the programs this drive holds that keep the module
 * loaded (kernel-BPF ones: engine.c says how).  May sleep.
 */
void uringblk_prog_show_holders(struct uringblk_dev *dev, struct seq_file *m)
{
	struct uringblk_prog *prog;
	unsigned long id;

	mutex_lock(&dev->prog_lock);
	xa_for_each(&dev->progs, id, prog)
		if (prog->engine->show_holder)
			prog->engine->show_holder(dev, prog, m);
	mutex_unlock(&dev->prog_lock);
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

/*
 * The device-defined programs (prog_native.c), each in its slot from
 * URINGBLK_DD_PIND_BASE with id URINGBLK_DD_ID_BASE + n, active.  May sleep.
 */
static int uringblk_prog_add_native(struct uringblk_dev *dev)
{
	u32 n = uringblk_nr_native_progs;

	BUILD_BUG_ON(URINGBLK_DD_PIND_BASE <= URINGBLK_MAX_PROGS);
	if (!n)
		return 0;
	/* They start active and count towards the limit. */
	if (WARN_ON_ONCE(n > URINGBLK_MAX_ACTIVE_PROGS))
		n = URINGBLK_MAX_ACTIVE_PROGS;
	dev->dd_slots = kcalloc(n, sizeof(*dev->dd_slots), GFP_KERNEL);
	if (!dev->dd_slots)
		return -ENOMEM;
	for (u32 i = 0; i < n; i++) {
		const struct uringblk_native_prog *np = &uringblk_native_progs[i];
		char name[URINGBLK_PROG_NAME_LEN] = {};
		struct uringblk_prog *prog;
		int ret;

		strscpy_pad(name, np->name, sizeof(name));
		prog = uringblk_prog_alloc(0, name);
		if (!prog)
			return -ENOMEM;
		prog->engine = &uringblk_engine_native;
		prog->native = np;
		prog->combine = np->combine;
		prog->id = URINGBLK_DD_ID_BASE + i;
		prog->pind = URINGBLK_DD_PIND_BASE + i;
		prog->stored = true;
		prog->active = true;
		ret = xa_insert(&dev->progs, prog->id, prog, GFP_KERNEL);
		if (ret) {
			kvfree(prog);
			return ret;
		}
		RCU_INIT_POINTER(dev->dd_slots[i], prog);
		dev->nr_dd_progs = i + 1;
		dev->nr_active++;
	}
	return 0;
}

/* Before the drive is visible.  May sleep. */
int uringblk_prog_dev_init(struct uringblk_dev *dev)
{
	int ret;

	mutex_init(&dev->prog_lock);
	xa_init(&dev->progs);
	dev->next_prog_id = 1;
	ret = uringblk_prog_add_native(dev);
	if (ret)
		uringblk_prog_dev_exit(dev);
	return ret;
}

/* Drop the store's references; runs still in flight keep theirs. */
void uringblk_prog_dev_exit(struct uringblk_dev *dev)
{
	struct uringblk_prog *prog;
	unsigned long id;

	mutex_lock(&dev->prog_lock);
	xa_for_each(&dev->progs, id, prog) {
		xa_erase(&dev->progs, id);
		spin_lock(&prog->lock);
		prog->stored = false;
		spin_unlock(&prog->lock);
		uringblk_prog_put(prog);
	}
	for (u32 i = 0; i < URINGBLK_MAX_PROGS; i++)
		RCU_INIT_POINTER(dev->slots[i], NULL);
	for (u32 i = 0; i < dev->nr_dd_progs; i++)
		RCU_INIT_POINTER(dev->dd_slots[i], NULL);
	dev->nr_progs = 0;
	dev->nr_active = 0;
	mutex_unlock(&dev->prog_lock);
	xa_destroy(&dev->progs);
	/* Lockless lookups may still read the array: free it after them. */
	synchronize_rcu();
	kfree(dev->dd_slots);
	dev->dd_slots = NULL;
	dev->nr_dd_progs = 0;
}
