// SPDX-License-Identifier: GPL-2.0
/*
 * Programs: the per-device program store and its slots, the model behind
 * every front end's program commands: the command device's PROG_LOAD,
 * PROG_UNLOAD, PROG_LIST and PROG_ACTIVATE (cmd_prog.c) and NVMe's Load
 * Program and Program Activation Management (nvme_cp.c) decode their
 * commands and call the functions here with plain arguments; a refusal is
 * a -errno or a uringblk_st() status, with its reason in a message the
 * front end passes to its client.  Running one is
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
 *
 * A front end that takes a program in pieces (NVMe's Load Program)
 * reserves its slot first (uringblk_prog_reserve()): every other load
 * finds a reserved slot Program In Use, and a load into the lowest free
 * slot passes it over, until the last piece is stored into it
 * (uringblk_prog_add_interp_staged()) or the load is dropped
 * (uringblk_prog_unreserve()).
 */
#include <linux/bitmap.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>

#include "compat.h"
#include "engine.h"
#include "prog.h"
#include "sandbox/prog_native.h"
#include "sandbox/prog_vm.h"
#include "stats.h"
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
 * device-defined; NULL if there is none.  Lockless, so that an EXEC on a
 * nowait issue (struct uringblk_issue, req.h) never sleeps.
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
 * Put a validated program into slot @pind (0: the lowest free one, neither
 * holding a program nor reserved) under a new id.  @reserved: the caller
 * holds @pind's reservation (a load in pieces), which other loads find
 * Program In Use.  The statuses Invalid Program Index, Program Index Not
 * Downloadable, Program In Use, Insufficient Program Resources, with the
 * reason in @msg.  Context: dev->prog_lock held.
 */
static int uringblk_prog_store(struct uringblk_dev *dev, struct uringblk_prog *prog,
			       u64 pind, bool reserved, char *msg, size_t msg_size)
{
	struct uringblk_prog __rcu **slot = NULL;
	int ret;

	lockdep_assert_held(&dev->prog_lock);
	if (!pind) {
		for (u32 i = 0; i < URINGBLK_MAX_PROGS && !slot; i++)
			if (!rcu_access_pointer(dev->slots[i]) &&
			    !test_bit(i, dev->slots_reserved))
				slot = &dev->slots[i];
		if (!slot) {
			if (dev->nr_progs < URINGBLK_MAX_PROGS)
				snprintf(msg, msg_size,
					 "every free slot is held by an NVMe Load Program under way");
			else
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
	}
	if (!slot) {
		slot = &dev->slots[pind - 1];
		if (!reserved && test_bit(pind - 1, dev->slots_reserved)) {
			snprintf(msg, msg_size,
				 "slot %llu: an NVMe Load Program is under way there", pind);
			return uringblk_st(URINGBLK_SC_PROG_IN_USE);
		}
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

/*
 * The store under dev->prog_lock, and the load counted: uringblk_prog_add()'s
 * and a load in pieces' last piece's (@reserved: its reservation ends).
 */
static int uringblk_prog_add_slot(struct uringblk_dev *dev, struct uringblk_prog *prog,
				  u64 pind, bool reserved, char *msg, size_t msg_size)
{
	int ret;
	u32 id;

	mutex_lock(&dev->prog_lock);
	ret = uringblk_prog_store(dev, prog, pind, reserved, msg, msg_size);
	id = prog->id;	/* not after the unlock: an unload may free prog */
	if (reserved)
		clear_bit(pind - 1, dev->slots_reserved);
	mutex_unlock(&dev->prog_lock);
	if (ret)
		return ret;
	this_cpu_inc(dev->stats->prog_loads);
	return id;
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
 * A slot reserved by a load in pieces (uringblk_prog_reserve()) is
 * Program In Use.
 * Return: the program's id (> 0), or -errno or a status
 * (uringblk_prog_store()); on failure @prog is still the caller's.
 * Context: dev->lock held for read.  May sleep.
 */
int uringblk_prog_add(struct uringblk_dev *dev, struct uringblk_prog *prog,
		      u64 pind, char *msg, size_t msg_size)
{
	return uringblk_prog_add_slot(dev, prog, pind, false, msg, msg_size);
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

/**
 * uringblk_prog_add_interp_staged() - the last piece of a load in pieces
 * @dev:	the drive
 * @prog:	the program, all its instructions in place
 * @pind:	its slot, reserved by the caller (uringblk_prog_reserve())
 * @msg:	receives the reason of a refusal
 * @msg_size:	its size
 *
 * uringblk_prog_add_interp() into the caller's reserved slot; the
 * reservation ends whatever the result (a refused program is loaded again
 * from its first piece).  Return: as uringblk_prog_add_interp().
 * Context: dev->lock held for read.  May sleep.
 */
int uringblk_prog_add_interp_staged(struct uringblk_dev *dev, struct uringblk_prog *prog,
				    u64 pind, char *msg, size_t msg_size)
{
	int ret;

	prog->engine = &uringblk_engine_interp;
	ret = uringblk_prog_verify(prog->insns, prog->insn_cnt, msg, msg_size);
	if (ret) {
		uringblk_prog_unreserve(dev, pind);
		return ret;
	}
	return uringblk_prog_add_slot(dev, prog, pind, true, msg, msg_size);
}

/**
 * uringblk_prog_add_kbpf() - store a kernel-BPF program
 * @dev:	the drive
 * @bp:		the program, taken and checked by kbpf.c (uringblk_kbpf_get())
 * @name:	URINGBLK_PROG_NAME_LEN bytes of name
 * @pind:	its slot, 0 for the lowest free one
 * @msg:	receives the reason of a refusal
 * @msg_size:	its size
 *
 * Return: the program's id (> 0), -ENOMEM, or what uringblk_prog_add()
 * returns; on failure @bp is still the caller's.  Context: dev->lock held
 * for read.  May sleep.
 */
int uringblk_prog_add_kbpf(struct uringblk_dev *dev, struct bpf_prog *bp,
			   const char *name, u64 pind, char *msg, size_t msg_size)
{
	struct uringblk_prog *prog;
	int ret;

	prog = uringblk_prog_alloc(0, name);
	if (!prog)
		return -ENOMEM;
	prog->engine = &uringblk_engine_kbpf;
	prog->bpf = bp;
	prog->insn_cnt = bp->len;

	ret = uringblk_prog_add(dev, prog, pind, msg, msg_size);
	if (ret < 0)
		uringblk_prog_free(prog);
	return ret;
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
 * uringblk_prog_reserve() - reserve a slot for a program loaded in pieces
 * @dev:	the drive
 * @pind:	the slot (the standard's program index)
 *
 * For a front end that takes a program in pieces and should refuse the
 * first one where uringblk_prog_store() would refuse the whole: once
 * reserved, every other load finds the slot Program In Use until
 * uringblk_prog_add_interp_staged() stores the program there or
 * uringblk_prog_unreserve() drops the reservation.
 * Return: 0 (reserved), or the status Invalid Program Index, Program
 * Index Not Downloadable or Program In Use (the slot holds a program or
 * is reserved).  May sleep.
 */
int uringblk_prog_reserve(struct uringblk_dev *dev, u64 pind)
{
	struct uringblk_prog __rcu **slot = uringblk_slot(dev, pind);
	int ret = 0;

	if (!slot)
		return uringblk_st(URINGBLK_SC_INVALID_PROG_INDEX);
	if (pind >= URINGBLK_DD_PIND_BASE)
		return uringblk_st(URINGBLK_SC_PROG_NOT_DOWNLOADABLE);
	mutex_lock(&dev->prog_lock);
	if (test_bit(pind - 1, dev->slots_reserved) ||
	    rcu_access_pointer(*slot))
		ret = uringblk_st(URINGBLK_SC_PROG_IN_USE);
	else
		set_bit(pind - 1, dev->slots_reserved);
	mutex_unlock(&dev->prog_lock);
	return ret;
}

/**
 * uringblk_prog_unreserve() - drop a slot's reservation (its load ended)
 * @dev:	the drive
 * @pind:	a slot uringblk_prog_reserve() reserved
 *
 * May sleep.
 */
void uringblk_prog_unreserve(struct uringblk_dev *dev, u64 pind)
{
	if (WARN_ON_ONCE(pind < 1 || pind > URINGBLK_MAX_PROGS))
		return;
	mutex_lock(&dev->prog_lock);
	clear_bit(pind - 1, dev->slots_reserved);
	mutex_unlock(&dev->prog_lock);
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

/**
 * uringblk_prog_list() - describe the stored programs, by id
 * @dev:	the drive
 * @after_id:	list the programs with ids above this one
 * @info:	receives them, zeroed by the caller
 * @max:	entries of @info
 *
 * Return: the number of entries filled.  Context: dev->lock held for
 * read.  May sleep.
 */
u32 uringblk_prog_list(struct uringblk_dev *dev, u64 after_id,
		       struct uringblk_prog_info *info, u32 max)
{
	struct uringblk_prog *prog;
	unsigned long id;
	u32 n = 0;

	mutex_lock(&dev->prog_lock);
	xa_for_each_start(&dev->progs, id, prog, after_id + 1) {
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
	return n;
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
	bitmap_zero(dev->slots_reserved, URINGBLK_MAX_PROGS);
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
