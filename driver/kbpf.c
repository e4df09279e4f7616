// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel-BPF programs: the drive's second engine (URINGBLK_PROG_TYPE_KBPF).
 *
 * A user loads a SEC("syscall") program with libbpf: the host kernel
 * verifies and JIT-compiles it.  PROG_LOAD F_BPF_FD hands its fd to the
 * drive, which keeps a reference (prog.c stores it in a slot like any
 * program) and runs it on EXEC and EXECUTE from the exec worker, as
 * bpf_prog_test_run_syscall() runs such a program: rcu_read_lock_trace(),
 * bpf_prog_run_pin_on_cpu().  The program reaches device data, SLM and the
 * output only through the kfuncs below, which are the interpreter's
 * helpers (prog_helpers.c) with kernel pointers: the same grant checks,
 * the same budget charges and reschedule points, the same results.
 *
 * Which run a kfunc serves: current->bpf_ctx, which uringblk_kbpf_run()
 * sets around the program (bpf_set_run_ctx(), as tracing programs' runs
 * do).  Kfuncs are registered for BPF_PROG_TYPE_SYSCALL only, and such a
 * program runs only from the bpf() syscall (BPF_PROG_TEST_RUN, where
 * current->bpf_ctx is NULL: every kfunc then refuses with -EPERM) or
 * from here.  So a program never reaches another run's grant, nor a
 * grant at all when its owner runs it by hand.
 *
 * What the verifier cannot bound is refused at load (kbpf_check_insns()):
 * tail calls (into programs the drive never saw), and callbacks
 * (bpf_loop() and the like: 8 million iterations a call, nesting without
 * limit) that do not begin with the tick check, URINGBLK_LOOP_TICK(),
 * which the loader proves from the translated instructions, and programs
 * with a function an freplace program could replace later
 * (kbpf_check_extendable()): what runs is what was checked.  So between
 * two kfunc calls a program runs at most what the verifier walked itself,
 * about a million instructions (Documentation/uapi/kernel-bpf.md has the
 * measurements), and every kfunc, the tick included, is a budget charge
 * and reschedule point that also sees device removal and the submitter's
 * death; once the run must stop, every loop ends at its next tick.  Helpers that
 * act on the caller's fd table make no sense from a kernel worker, whose
 * table is the kernel threads' shared one: bpf_sys_bpf() and friends are
 * refused too.
 *
 * The engine needs the module's BTF (the kfuncs' prototypes, which the
 * verifier and libbpf read), made by tools/btf/module-btf after kbuild
 * against the BTF of the kernel the module is built for.  At module load
 * uringblk_kbpf_init() checks that it is there, made for this very kernel,
 * accepted by the kernel and resolved, and registers the kfuncs; if not,
 * it says why once and the drive runs programs with the interpreter only
 * (IDENTIFY: engines, features).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/filter.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/rcupdate_trace.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <generated/utsrelease.h>
#include <generated/utsversion.h>

#include "sandbox/prog_vm.h"
#include "uringblk.h"
#include "compat_btf.h"
#include "config.h"
#include "kbpf.h"

/*
 * The most instructions the verifier may have walked for a program the
 * drive takes (bpf_prog_aux.verified_insns, the verifier's own limit is
 * 1M): between two kfunc calls or ticks a program runs no more than that
 * (Documentation/uapi/kernel-bpf.md: about 0.37 s for 1M in the TCG guest),
 * so this bounds how long a run may hold off a reschedule, device
 * removal or SIGKILL.  Checked at PROG_LOAD.
 */
static unsigned int kbpf_max_verified = 1U << 18;

static int kbpf_max_verified_set(const char *val, const struct kernel_param *kp)
{
	return uringblk_param_set_uint_max(val, kp, BPF_COMPLEXITY_LIMIT_INSNS,
					   "the verifier's own limit");
}

static const struct kernel_param_ops kbpf_max_verified_ops = {
	.set	= kbpf_max_verified_set,
	.get	= param_get_uint,
};
module_param_cb(kbpf_max_verified, &kbpf_max_verified_ops, &kbpf_max_verified, 0644);
MODULE_PARM_DESC(kbpf_max_verified,
		 "largest verifier instruction count of a kernel-BPF program the drive takes: bounds the work between two reschedule points (default 262144; at most the verifier's limit, 1000000)");

/* Programs held by drives (uringblk_kbpf_get() minus _put()): debugfs. */
static atomic_t kbpf_held = ATOMIC_INIT(0);

/* Whether kernel-BPF programs can run, and if not, why (for PROG_LOAD's log). */
static bool kbpf_on;
static char kbpf_why[320] = "the module was loaded without kernel-BPF support";

/**
 * struct kbpf_run - one kernel-BPF run, on the worker's stack
 * @run_ctx:	current->bpf_ctx while the program runs: how kfuncs find it
 * @magic:	KBPF_RUN_MAGIC, checked by every kfunc
 * @task:	the worker running it
 * @st:		the run state the helpers work on (prog_vm.h)
 * @env:	the caller's env, with host_ptrs set
 * @r0:		the result set by uringblk_kf_result(), if @r0_set
 * @r0_set:	the program set its 64-bit result
 * @out_given:	bytes of the output buffer handed out by uringblk_kf_out():
 *		they count as output, as direct stores do in the interpreter
 * @ctx:	the program's context (r1): a copy it may even write
 */
struct kbpf_run {
	struct bpf_run_ctx		run_ctx;
	u64				magic;
	struct task_struct		*task;
	struct uringblk_prog_state	*st;
	struct uringblk_prog_env	env;
	u64				r0;
	bool				r0_set;
	u32				out_given;
	struct uringblk_prog_ctx	ctx;
};

#define KBPF_RUN_MAGIC	0x75626b6270667275ULL	/* "urbkbpfr" */

/*
 * The run of the calling program, or NULL outside one (a program run by
 * BPF_PROG_TEST_RUN).  Only this file sets current->bpf_ctx for programs
 * of the type our kfuncs serve (see the top of the file); the magic and
 * the task are a second check that costs two loads.
 */
static struct kbpf_run *kbpf_current(void)
{
	struct bpf_run_ctx *rc = current->bpf_ctx;
	struct kbpf_run *run;

	/*
	 * An interrupt (a BPF timer's callback in softirq) runs on top of
	 * the worker, whose current->bpf_ctx is set: never hand it the run.
	 */
	if (!rc || !in_task())
		return NULL;
	run = container_of(rc, struct kbpf_run, run_ctx);
	if (run->magic != KBPF_RUN_MAGIC || run->task != current)
		return NULL;
	return run;
}

/*
 * Call helper @id for the current run with kernel pointers.  After the run
 * stopped (a grant violation, the budget, removal, a kill) nothing runs:
 * the program gets the run's errno from every kfunc until it returns, and
 * the EXEC reply reports the stop as the interpreter's would.
 */
static s64 kbpf_call(u32 id, u64 a, u64 b, u64 c, u64 d)
{
	struct kbpf_run *run = kbpf_current();
	struct uringblk_prog_state *st;
	u64 ret;

	if (!run)
		return -EPERM;
	st = run->st;
	if (st->err)
		return st->err;
	ret = uringblk_prog_call_helper(st, id, a, b, c, d, 0);
	return st->err ? st->err : (s64)ret;
}

/*
 * The kfuncs.  Global and noinline, so that pahole describes them in the
 * module's BTF and the verifier finds them by name; their contracts are
 * in <linux/uringblk_prog.h> ("Kernel-BPF programs").  A "__sz" argument
 * is the size of the buffer before it: the verifier checks the program
 * owns that many writable bytes there, so the helpers may use them as
 * they are.
 */
__diag_push();
__diag_ignore_all("-Wmissing-prototypes",
		  "kfuncs are called by BPF programs, which have no headers");

noinline long uringblk_kf_read(u64 off, void *dst, u32 dst__sz)
{
	return kbpf_call(URINGBLK_HELPER_READ, off, (uintptr_t)dst, dst__sz, 0);
}

noinline long uringblk_kf_emit(const void *src, u32 src__sz)
{
	return kbpf_call(URINGBLK_HELPER_EMIT, (uintptr_t)src, src__sz, 0, 0);
}

noinline u64 uringblk_kf_count_pattern(u64 off, u64 len, const void *pat,
				       u32 pat__sz)
{
	return kbpf_call(URINGBLK_HELPER_COUNT_PATTERN, off, len,
			 (uintptr_t)pat, pat__sz);
}

noinline s64 uringblk_kf_find(u64 off, u64 len, const void *pat, u32 pat__sz)
{
	return kbpf_call(URINGBLK_HELPER_FIND, off, len, (uintptr_t)pat, pat__sz);
}

noinline u64 uringblk_kf_sum_u32(u64 off, u64 len)
{
	return kbpf_call(URINGBLK_HELPER_SUM_U32, off, len, 0, 0);
}

noinline long uringblk_kf_histogram(u64 off, u64 len, u64 *hist, u32 hist__sz)
{
	struct kbpf_run *run = kbpf_current();

	/* the helper fills 256 counters: a smaller buffer is a bad pointer */
	if (run && !run->st->err && hist__sz < 256 * sizeof(u64))
		uringblk_prog_abort(run->st, -EFAULT, URINGBLK_PROG_ABORT_MEM);
	return kbpf_call(URINGBLK_HELPER_HISTOGRAM, off, len, (uintptr_t)hist, 0);
}

/*
 * The output buffer's first @rdwr_buf_size bytes, for direct stores, or
 * NULL (it is smaller, or no run).  The verifier bounds the program's
 * accesses by the constant @rdwr_buf_size; those bytes are copied back
 * whether or not the program stores to them.
 */
noinline u8 *uringblk_kf_out(u32 rdwr_buf_size)
{
	struct kbpf_run *run = kbpf_current();

	if (!run || !rdwr_buf_size || rdwr_buf_size > run->st->out_len)
		return NULL;
	run->out_given = max(run->out_given, rdwr_buf_size);
	return run->st->out;
}

/*
 * EXECUTE: @rdwr_buf_size bytes of the range set's window from byte @off
 * (SLM itself: stores land at once), or NULL (outside the window, or not
 * an EXECUTE).
 */
noinline u8 *uringblk_kf_mem(u64 off, u32 rdwr_buf_size)
{
	struct kbpf_run *run = kbpf_current();
	u64 len;

	if (!run || !rdwr_buf_size)
		return NULL;
	len = run->st->mem_len;
	if (off > len || rdwr_buf_size > len - off)
		return NULL;
	return run->st->mem + off;
}

/*
 * @rdwr_buf_size bytes (at most URINGBLK_KBPF_SCRATCH) of memory of the
 * run's own, zeroed when it starts, or NULL: room for data a 512-byte BPF
 * stack cannot hold (a 4 KiB read), private to the run as its stack is
 * (a global would be shared by concurrent runs).  The interpreter's stack
 * in the run state, which a kernel-BPF run does not use.
 */
noinline u8 *uringblk_kf_scratch(u32 rdwr_buf_size)
{
	struct kbpf_run *run = kbpf_current();

	BUILD_BUG_ON(sizeof(run->st->stack) < URINGBLK_KBPF_SCRATCH);
	if (!run || !rdwr_buf_size || rdwr_buf_size > URINGBLK_KBPF_SCRATCH)
		return NULL;
	return run->st->stack;
}

/*
 * The first thing every callback does (bpf_loop() and the like): 1 if
 * the run must stop (budget, removal, the submitter killed, a grant
 * violation, or no run at all), so that the callback returns 1 and its
 * loop ends; else 0.  One budget unit, and a reschedule point: whatever
 * the callback does between two ticks is bounded by the verifier.
 */
noinline int uringblk_kf_tick(void)
{
	struct kbpf_run *run = kbpf_current();
	struct uringblk_prog_state *st;
	int err;

	if (!run)
		return 1;
	st = run->st;
	if (st->err)
		return 1;
	if (st->env->ops->resched) {
		err = st->env->ops->resched(st->env->priv);
		if (err)	/* never URINGBLK_PROG_YIELD: the worker's ops */
			uringblk_prog_abort(st, err < 0 ? err : -EINTR,
					    URINGBLK_PROG_ABORT_STOPPED);
	}
	if (!st->err)
		uringblk_prog_charge(st, 1);
	return st->err ? 1 : 0;
}

/* The run's 64-bit r0 (a BPF program itself returns only 32 bits here). */
noinline void uringblk_kf_result(u64 r0)
{
	struct kbpf_run *run = kbpf_current();

	if (run) {
		run->r0 = r0;
		run->r0_set = true;
	}
}

__diag_pop();

/* The helpers behind them may sleep: cond_resched() at their charge points. */
URINGBLK_KFUNCS_START(uringblk_kfunc_ids)	/* compat_btf.h */
BTF_ID_FLAGS(func, uringblk_kf_read, KF_SLEEPABLE)
BTF_ID_FLAGS(func, uringblk_kf_emit, KF_SLEEPABLE)
BTF_ID_FLAGS(func, uringblk_kf_count_pattern, KF_SLEEPABLE)
BTF_ID_FLAGS(func, uringblk_kf_find, KF_SLEEPABLE)
BTF_ID_FLAGS(func, uringblk_kf_sum_u32, KF_SLEEPABLE)
BTF_ID_FLAGS(func, uringblk_kf_histogram, KF_SLEEPABLE)
BTF_ID_FLAGS(func, uringblk_kf_out, KF_RET_NULL)
BTF_ID_FLAGS(func, uringblk_kf_mem, KF_RET_NULL)
BTF_ID_FLAGS(func, uringblk_kf_scratch, KF_RET_NULL)
BTF_ID_FLAGS(func, uringblk_kf_result)
BTF_ID_FLAGS(func, uringblk_kf_tick, KF_SLEEPABLE)
URINGBLK_KFUNCS_END(uringblk_kfunc_ids)

static const struct btf_kfunc_id_set uringblk_kfunc_set = {
	.owner	= THIS_MODULE,
	.set	= &uringblk_kfunc_ids,
};

/*
 * Does the module carry BTF that this kernel accepted?  The kernel parses
 * it before our init runs (MODULE_STATE_COMING) and, built with
 * CONFIG_MODULE_ALLOW_BTF_MISMATCH as Debian's is, drops BTF it cannot
 * validate with only a warning; what it keeps is in /sys/kernel/btf.
 * Without sysfs there is nothing to ask: trust it.
 */
static bool kbpf_btf_accepted(void)
{
	struct path path;

	if (kern_path("/sys/kernel/btf/vmlinux", 0, &path))
		return true;
	path_put(&path);
	if (kern_path("/sys/kernel/btf/" KBUILD_MODNAME, 0, &path))
		return false;
	path_put(&path);
	return true;
}

/**
 * uringblk_kbpf_init() - decide whether kernel-BPF programs can run
 *
 * Checks the module's BTF and registers the kfuncs for
 * BPF_PROG_TYPE_SYSCALL.  Never fails the module load: without the engine
 * the drive runs programs with its interpreter, and says why once.
 * Context: module init (register_btf_kfunc_id_set() wants it).
 */
void uringblk_kbpf_init(void)
{
	const char *release = init_utsname()->release;
	const char *version = init_utsname()->version;
	int ret;

	if (!IS_ENABLED(CONFIG_DEBUG_INFO_BTF_MODULES)) {
		snprintf(kbpf_why, sizeof(kbpf_why),
			 "this kernel has no CONFIG_DEBUG_INFO_BTF_MODULES");
	} else if (!THIS_MODULE->btf_data_size) {
		snprintf(kbpf_why, sizeof(kbpf_why),
			 "the module has no BTF (built without pahole or resolve_btfids: tools/deps.sh installs them, then make)");
	} else if (strcmp(release, UTS_RELEASE) || strcmp(version, UTS_VERSION)) {
		/* the BTF describes the types of the kernel it was made for */
		snprintf(kbpf_why, sizeof(kbpf_why),
			 "the module's BTF was made for kernel %s %s, this is %s %s: rebuild the module for this kernel",
			 UTS_RELEASE, UTS_VERSION, release, version);
	} else if (!uringblk_kfunc_ids.cnt) {
		snprintf(kbpf_why, sizeof(kbpf_why),
			 "the module's kfunc BTF ids are unresolved (resolve_btfids did not run on it)");
	} else if (!kbpf_btf_accepted()) {
		snprintf(kbpf_why, sizeof(kbpf_why),
			 "the kernel refused the module's BTF (see \"failed to validate module\" above): rebuild the module for this kernel");
	} else {
		ret = register_btf_kfunc_id_set(BPF_PROG_TYPE_SYSCALL,
						&uringblk_kfunc_set);
		if (ret)
			snprintf(kbpf_why, sizeof(kbpf_why),
				 "registering the kfuncs failed (%d)", ret);
		else
			kbpf_on = true;
	}
	if (kbpf_on)
		pr_info("kernel-BPF programs: on (%u kfuncs for BPF_PROG_TYPE_SYSCALL)\n",
			uringblk_kfunc_ids.cnt);
	else
		pr_warn("kernel-BPF programs: off, %s; programs run in the interpreter only\n",
			kbpf_why);
}

/* identify.engines: the kernel-BPF bit, if it is usable. */
u32 uringblk_kbpf_engines(void)
{
	return kbpf_on ? URINGBLK_ENGINE_KBPF : 0;
}

/* Names of helpers refused: they act on the fd table of the task running them. */
static const char *const kbpf_fd_helpers[] = {
	"bpf_sys_bpf", "bpf_sys_close", "bpf_btf_find_by_name_kind",
};

/*
 * The function an xlated helper or kfunc call instruction calls, without
 * the " [module]" that kallsyms adds to a module's symbols.
 */
static void kbpf_callee(const struct bpf_insn *insn, char *name)
{
	sprint_symbol_no_offset(name, (unsigned long)__bpf_call_base + insn->imm);
	name[strcspn(name, " ")] = '\0';
}

/* Longest walk kbpf_check_tick() takes through a callback's start. */
#define KBPF_TICK_WALK	64

/*
 * Does the callback starting at @start begin with the tick check
 * (URINGBLK_LOOP_TICK() of bpf/uringblk_kbpf.h)?  That is: straight-line
 * code, then a call of uringblk_kf_tick(), after which, when it returned
 * 1, the callback provably reaches its exit with r0 != 0 through forward
 * jumps and simple moves only.  A small constant propagation decides it,
 * with every register unknown but what a move of a constant (or of a
 * known register) sets.  Whatever the compiler's layout of "if (tick)
 * return 1;", that path is a few instructions.
 * Return: true if so; else false with the offending insn in *@bad.
 */
static bool kbpf_check_tick(const struct bpf_prog *bp, u32 start, u32 *bad)
{
	bool known[MAX_BPF_REG] = {};
	u64 val[MAX_BPF_REG] = {};
	char name[KSYM_SYMBOL_LEN];
	bool ticked = false;
	u32 pc = start;

	for (u32 steps = 0; steps < KBPF_TICK_WALK && pc < bp->len; steps++) {
		const struct bpf_insn *insn = &bp->insnsi[pc];
		u8 cls = BPF_CLASS(insn->code), op = BPF_OP(insn->code);
		bool src_k = BPF_SRC(insn->code) == BPF_K;
		u64 a, b;

		*bad = pc;
		if (cls == BPF_ALU || cls == BPF_ALU64) {
			bool ok = src_k || known[insn->src_reg];

			b = src_k ? (u64)(s64)insn->imm : val[insn->src_reg];
			a = val[insn->dst_reg];
			if (op == BPF_MOV && insn->off == 0) {
				known[insn->dst_reg] = ok;
				a = b;
			} else if (ok && known[insn->dst_reg] &&
				   (op == BPF_ADD || op == BPF_AND || op == BPF_OR ||
				    op == BPF_XOR)) {
				a = op == BPF_ADD ? a + b : op == BPF_AND ? a & b :
				    op == BPF_OR ? a | b : a ^ b;
			} else if (ok && known[insn->dst_reg] &&
				   (op == BPF_LSH || op == BPF_RSH) &&
				   b < (cls == BPF_ALU ? 32 : 64)) {
				/* clang's zero extension of an int: <<= 32, >>= 32 */
				if (cls == BPF_ALU)
					a = (u32)a;
				a = op == BPF_LSH ? a << b : a >> b;
			} else {
				known[insn->dst_reg] = false;
			}
			val[insn->dst_reg] = cls == BPF_ALU ? (u32)a : a;
			pc++;
			continue;
		}
		if (cls == BPF_LDX || insn->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			known[insn->dst_reg] = false;
			pc += cls == BPF_LDX ? 1 : 2;
			continue;
		}
		if (cls == BPF_ST || cls == BPF_STX) {
			if (BPF_MODE(insn->code) == BPF_ATOMIC &&
			    (insn->imm & BPF_FETCH))
				known[insn->imm == BPF_CMPXCHG ? BPF_REG_0 :
				      insn->src_reg] = false;
			pc++;
			continue;
		}
		if (cls != BPF_JMP && cls != BPF_JMP32)
			return false;	/* legacy packet loads */
		if (op == BPF_CALL) {
			if (ticked || insn->src_reg != BPF_PSEUDO_KFUNC_CALL)
				return false;
			kbpf_callee(insn, name);
			if (strcmp(name, "uringblk_kf_tick"))
				return false;
			/* the stop answer; r1-r5 are clobbered */
			ticked = true;
			for (int r = BPF_REG_0; r <= BPF_REG_5; r++)
				known[r] = false;
			known[BPF_REG_0] = true;
			val[BPF_REG_0] = 1;
			pc++;
			continue;
		}
		if (!ticked)
			return false;	/* no branch before the tick */
		if (op == BPF_EXIT)
			return known[BPF_REG_0] && val[BPF_REG_0];
		if (op == BPF_JA) {
			if (cls != BPF_JMP || insn->off < 0)
				return false;
			pc += insn->off + 1;
			continue;
		}
		/* a conditional jump: it must be decided by known values */
		if (!known[insn->dst_reg] || (!src_k && !known[insn->src_reg]) ||
		    insn->off < 0)
			return false;
		a = val[insn->dst_reg];
		b = src_k ? (u64)(s64)insn->imm : val[insn->src_reg];
		if (cls == BPF_JMP32) {
			a = (u32)a;
			b = (u32)b;
		}
		switch (op) {
		case BPF_JEQ:
			b = a == b;
			break;
		case BPF_JNE:
			b = a != b;
			break;
		case BPF_JGT:
			b = a > b;
			break;
		case BPF_JGE:
			b = a >= b;
			break;
		case BPF_JLT:
			b = a < b;
			break;
		case BPF_JLE:
			b = a <= b;
			break;
		case BPF_JSET:
			b = a & b;
			break;
		default:	/* signed comparisons: the tick path has none */
			return false;
		}
		pc += b ? insn->off + 1 : 1;
	}
	return false;
}

/*
 * What the drive refuses in a verified program (see the top of the file),
 * read from its translated instructions, where helper calls are already
 * resolved to their functions (imm: the offset from __bpf_call_base).
 * Return: 0, or -EOPNOTSUPP with the reason in @msg.
 */
static int kbpf_check_insns(const struct bpf_prog *bp, char *msg, size_t msg_size)
{
	char name[KSYM_SYMBOL_LEN];
	s32 last_imm = 0;
	bool have_last = false;

	for (u32 i = 0; i < bp->len; i++) {
		const struct bpf_insn *insn = &bp->insnsi[i];

		if (insn->code == (BPF_LD | BPF_IMM | BPF_DW)) {
			/* after the JIT, imm is again the callback's offset */
			u32 cb = i + insn->imm + 1, bad;

			if (insn->src_reg == BPF_PSEUDO_FUNC &&
			    (cb >= bp->len || !kbpf_check_tick(bp, cb, &bad))) {
				snprintf(msg, msg_size,
					 "the callback at insn %u (passed at insn %u) does not begin with URINGBLK_LOOP_TICK() (bpf/uringblk_kbpf.h; insn %u is where the check failed): without it a bpf_loop() runs unbounded",
					 cb, i, cb < bp->len ? bad : cb);
				return -EOPNOTSUPP;
			}
			i++;	/* the second half of the 16-byte load */
			continue;
		}
		if (insn->code == (BPF_JMP | BPF_TAIL_CALL)) {
			snprintf(msg, msg_size,
				 "makes a tail call at insn %u: into programs the drive has not checked", i);
			return -EOPNOTSUPP;
		}
		if (insn->code != (BPF_JMP | BPF_CALL) || insn->src_reg)
			continue;	/* not a helper (bpf-to-bpf, kfunc) */
		if (have_last && insn->imm == last_imm)
			continue;
		kbpf_callee(insn, name);
		for (u32 k = 0; k < ARRAY_SIZE(kbpf_fd_helpers); k++) {
			if (!strcmp(name, kbpf_fd_helpers[k])) {
				snprintf(msg, msg_size,
					 "calls %s() at insn %u: it works on the caller's fds, and the drive's worker has none of the caller's",
					 name, i);
				return -EOPNOTSUPP;
			}
		}
		last_imm = insn->imm;
		have_last = true;
	}
	return 0;
}

/*
 * Can the program be changed after our checks?  An freplace program
 * (BPF_PROG_TYPE_EXT) attached later to one of its functions would run
 * inside our runs, with none of the checks above: neither ticked nor
 * bounded by kbpf_max_verified.  The kernel lets an extension replace
 * exactly the functions whose BTF it could check against their callers
 * (func_info_aux[].unreliable clear: bpf_check_attach_target() refuses
 * the others with "Cannot replace static functions"), a program's global
 * functions among them; the flag is set once, at verification.  So a
 * program with no such function can never be extended; one with one is
 * refused, and so is one that already is (is_extended, under ext_mutex).
 * Return: 0, or -EOPNOTSUPP with the reason in @msg.
 */
static int kbpf_check_extendable(const struct bpf_prog *bp, char *msg,
				 size_t msg_size)
{
	struct bpf_prog_aux *aux = bp->aux;
	bool extended;

	for (u32 i = 0; i < aux->func_info_cnt; i++) {
		/* the JIT's symbol: "bpf_prog_<16-digit tag>_<function>" */
		const struct bpf_prog *f = aux->func && i < aux->func_cnt ? aux->func[i] : bp;
		char sym[KSYM_SYMBOL_LEN];
		const char *name = sym;

		if (aux->func_info_aux[i].unreliable)
			continue;
		sprint_symbol_no_offset(sym, (unsigned long)f->bpf_func);
		if (!strncmp(sym, "bpf_prog_", 9) && strlen(sym) > 26)
			name = sym + 26;
		snprintf(msg, msg_size,
			 "function %s (subprogram %u) could be replaced by an freplace program after the drive's checks: make it static (global functions cannot be held)",
			 name, i);
		return -EOPNOTSUPP;
	}
	mutex_lock(&aux->ext_mutex);
	extended = aux->is_extended;
	mutex_unlock(&aux->ext_mutex);
	if (extended) {
		snprintf(msg, msg_size, "an freplace program is attached to it");
		return -EOPNOTSUPP;
	}
	return 0;
}

/**
 * uringblk_kbpf_get() - take the kernel BPF program PROG_LOAD F_BPF_FD names
 * @k:		the struct uringblk_prog_kbpf the front end copied in
 * @msg:	why it was refused, for the client's log
 * @msg_size:	its size
 *
 * Return: the program, with a reference of its own and one on this module
 * (uringblk_kbpf_put() drops both), or an ERR_PTR (uAPI PROG_LOAD).
 * May sleep.
 */
struct bpf_prog *uringblk_kbpf_get(const struct uringblk_prog_kbpf *k, char *msg,
				   size_t msg_size)
{
	struct bpf_prog *bp;
	int ret;

	if ((k->type && k->type != URINGBLK_PROG_TYPE_KBPF) ||
	    k->rsvd[0] || k->rsvd[1] || k->rsvd[2]) {
		snprintf(msg, msg_size, "type must be 0 or 0x%x and rsvd zero",
			 URINGBLK_PROG_TYPE_KBPF);
		return ERR_PTR(-EINVAL);
	}
	if (!kbpf_on) {
		snprintf(msg, msg_size, "no kernel-BPF engine: %s", kbpf_why);
		return ERR_PTR(-EOPNOTSUPP);
	}
	bp = bpf_prog_get_type_dev(k->prog_fd, BPF_PROG_TYPE_SYSCALL, false);
	if (IS_ERR(bp)) {
		if (PTR_ERR(bp) == -EINVAL)
			snprintf(msg, msg_size,
				 "fd %u is not a BPF_PROG_TYPE_SYSCALL program (SEC(\"syscall\"))",
				 k->prog_fd);
		else
			snprintf(msg, msg_size, "fd %u is not an open file", k->prog_fd);
		return bp;
	}
	if (!bp->jited) {
		snprintf(msg, msg_size,
			 "the program is not JIT-compiled (net.core.bpf_jit_enable=0?)");
		ret = -EOPNOTSUPP;
		goto out_put;
	}
	if (bp->aux->max_ctx_offset > sizeof(struct uringblk_prog_ctx)) {
		snprintf(msg, msg_size,
			 "the program uses its context up to byte %u; struct uringblk_prog_ctx has %zu",
			 bp->aux->max_ctx_offset, sizeof(struct uringblk_prog_ctx));
		ret = -EINVAL;
		goto out_put;
	}
	if (bp->aux->verified_insns > READ_ONCE(kbpf_max_verified)) {
		snprintf(msg, msg_size,
			 "the verifier walked %u instructions, the drive takes at most kbpf_max_verified=%u: so many may run between two reschedule points",
			 bp->aux->verified_insns, READ_ONCE(kbpf_max_verified));
		ret = -E2BIG;
		goto out_put;
	}
	ret = kbpf_check_insns(bp, msg, msg_size);
	if (ret)
		goto out_put;
	ret = kbpf_check_extendable(bp, msg, msg_size);
	if (ret)
		goto out_put;
	/*
	 * rmmod waits for no program: it is refused while a drive holds one
	 * (debugfs "holders" lists them).  A program that calls our kfuncs
	 * pins the module through its BTF anyway, until the kernel frees it.
	 */
	__module_get(THIS_MODULE);
	atomic_inc(&kbpf_held);
	pr_debug("took kernel-BPF program %u (%s): %d held, module refcnt %d\n",
		 bp->aux->id, bp->aux->name, atomic_read(&kbpf_held),
		 module_refcount(THIS_MODULE));
	return bp;

out_put:
	bpf_prog_put(bp);
	return ERR_PTR(ret);
}

/*
 * Drop what uringblk_kbpf_get() took.  The kernel frees the program later
 * if that was its last reference, and only then drops the module
 * reference of its kfunc BTF.  May sleep.
 */
void uringblk_kbpf_put(struct bpf_prog *bp)
{
	pr_debug("dropping kernel-BPF program %u (%s): %d held, module refcnt %d\n",
		 bp->aux->id, bp->aux->name, atomic_read(&kbpf_held) - 1,
		 module_refcount(THIS_MODULE) - 1);
	atomic_dec(&kbpf_held);
	bpf_prog_put(bp);
	module_put(THIS_MODULE);
}

/* debugfs "holders": programs held by drives, a module reference each. */
int uringblk_kbpf_held(void)
{
	return atomic_read(&kbpf_held);
}

/*
 * Does @bp call kfuncs of a module's BTF (ours: the only module kfuncs a
 * syscall program can reach here)?  Then the kernel holds a module
 * reference for it until it frees the program.  In the translated
 * instructions a kfunc call keeps its BTF's fd index in off, 0 for
 * vmlinux.
 */
bool uringblk_kbpf_calls_kfuncs(const struct bpf_prog *bp)
{
	for (u32 i = 0; i < bp->len; i++) {
		const struct bpf_insn *insn = &bp->insnsi[i];

		if (insn->code == (BPF_JMP | BPF_CALL) &&
		    insn->src_reg == BPF_PSEUDO_KFUNC_CALL && insn->off)
			return true;
	}
	return false;
}

/* prog_info.bpf_id: the kernel's id of the program (bpftool prog show id N). */
u32 uringblk_kbpf_id(const struct bpf_prog *bp)
{
	return bp->aux->id;
}

/**
 * uringblk_kbpf_run() - run a kernel BPF program over a grant
 * @bp:		the program (uringblk_kbpf_get())
 * @st:		run state for its kfuncs' helpers
 * @env:	the run's inputs, as for uringblk_prog_run(); its ops must
 *		never ask to yield (the worker's)
 * @res:	filled with the outcome
 *
 * Context: process context, may sleep (a worker): the program is
 * sleepable and its kfuncs are reschedule points.
 * Return: 0 or the errno that stopped the run (@res has it too).
 */
int uringblk_kbpf_run(struct bpf_prog *bp, struct uringblk_prog_state *st,
		      const struct uringblk_prog_env *env,
		      struct uringblk_prog_result *res)
{
	struct kbpf_run run = {
		.magic	= KBPF_RUN_MAGIC,
		.task	= current,
		.st	= st,
		.env	= *env,
	};
	struct bpf_run_ctx *old;
	u32 ret;

	run.env.host_ptrs = 1;
	uringblk_prog_run_start(st, NULL, &run.env);
	run.ctx = st->ctx;
	old = bpf_set_run_ctx(&run.run_ctx);
	rcu_read_lock_trace();
	ret = bpf_prog_run_pin_on_cpu(bp, &run.ctx);
	rcu_read_unlock_trace();
	bpf_reset_run_ctx(old);
	uringblk_prog_fill_result(st, run.r0_set ? run.r0 : ret, res);
	res->out_used = max_t(u64, res->out_used, run.out_given);
	return res->err;
}
