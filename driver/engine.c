// SPDX-License-Identifier: GPL-2.0
/*
 * The three engines behind struct uringblk_engine (engine.h): the eBPF
 * interpreter, device-defined native C and kernel BPF, each as an ops
 * table over the code that does the work (prog_interp.c, prog_native.c,
 * kbpf.c).  What differs between engines is here and nowhere else: which
 * can resume, which may start inline, what each holds and reports.
 */
#include <linux/seq_file.h>

#include "engine.h"
#include "sandbox/prog_native.h"
#include "sandbox/prog_vm.h"
#include "uringblk.h"

/* ---- the interpreter: downloaded eBPF (URINGBLK_PROG_TYPE_EBPF) ---- */

static int interp_run(const struct uringblk_prog *prog,
		      struct uringblk_prog_state *st,
		      const struct uringblk_prog_env *env,
		      struct uringblk_prog_result *res)
{
	return uringblk_prog_run(st, prog->insns, env, res);
}

static int interp_resume(const struct uringblk_prog *prog,
			 struct uringblk_prog_state *st,
			 const struct uringblk_prog_env *env,
			 struct uringblk_prog_result *res)
{
	return uringblk_prog_resume(st, env, res);
}

/* It yields at any reschedule point and resumes there: always inline. */
static bool interp_may_run_inline(const struct uringblk_prog *prog,
				  const struct uringblk_prog_env *env,
				  u32 nr_pieces, u32 slice)
{
	return true;
}

static void interp_info(const struct uringblk_prog *prog,
			struct uringblk_prog_info *info)
{
	info->type = URINGBLK_PROG_TYPE_EBPF;
}

const struct uringblk_engine uringblk_engine_interp = {
	.name		= "interpreter",
	.run		= interp_run,
	.resume		= interp_resume,
	.may_run_inline	= interp_may_run_inline,
	.info		= interp_info,
};

/* ---- device-defined programs: native C (URINGBLK_PROG_TYPE_DEVICE) ---- */

static int native_run(const struct uringblk_prog *prog,
		      struct uringblk_prog_state *st,
		      const struct uringblk_prog_env *env,
		      struct uringblk_prog_result *res)
{
	return prog->native->run(st, env, res);
}

/*
 * May native code start inline?  It cannot resume, only start again, so
 * it starts inline only if its whole work fits in the slice (a bound from
 * prog_native.c): then it never reaches a reschedule point there, and at
 * worst yields at its first map having done nothing (a backend whose
 * reads sleep).  Otherwise the worker starts it.
 */
static bool native_may_run_inline(const struct uringblk_prog *prog,
				  const struct uringblk_prog_env *env,
				  u32 nr_pieces, u32 slice)
{
	u64 cost = env->map_cost ?: URINGBLK_PROG_MAP_COST;
	u64 extra = 0;

	/*
	 * The bound multiplies data_len: past 2^40 bytes (only zero extents
	 * make such a stream) its products could wrap.  Such a run starts on
	 * the worker.
	 */
	if (env->ctx.data_len >> 40)
		return false;
	/*
	 * The bound counts the windows of one range.  Each further piece of
	 * the grant adds at most two: one that ends at the piece's end, one
	 * for its own partial first page.  A record field cut by a piece's
	 * end, asked for again, is one of those.
	 */
	if (nr_pieces > 1)
		extra = 2ULL * (nr_pieces - 1) * cost;
	return uringblk_native_work_bound(prog->native, env) + extra <= slice;
}

static void native_info(const struct uringblk_prog *prog,
			struct uringblk_prog_info *info)
{
	info->type = URINGBLK_PROG_TYPE_DEVICE;
	info->flags |= URINGBLK_PROG_INFO_F_DEVICE;
}

/* Native code cannot resume: a yielded native run starts again. */
const struct uringblk_engine uringblk_engine_native = {
	.name		= "native",
	.run		= native_run,
	.resume		= native_run,
	.may_run_inline	= native_may_run_inline,
	.info		= native_info,
};

/* ---- kernel BPF (URINGBLK_PROG_TYPE_KBPF, kbpf.c) ---- */

static int kbpf_run(const struct uringblk_prog *prog,
		    struct uringblk_prog_state *st,
		    const struct uringblk_prog_env *env,
		    struct uringblk_prog_result *res)
{
	return uringblk_kbpf_run(prog->bpf, st, env, res);
}

/* A kernel-BPF program sleeps and cannot yield: the worker runs it. */
static bool kbpf_may_run_inline(const struct uringblk_prog *prog,
				const struct uringblk_prog_env *env,
				u32 nr_pieces, u32 slice)
{
	return false;
}

/*
 * No run holds it any more, and it is no longer reachable from the
 * store, so the kernel's program can go at once.
 */
static void kbpf_release(struct uringblk_prog *prog)
{
	uringblk_kbpf_put(prog->bpf);
}

static void kbpf_info(const struct uringblk_prog *prog,
		      struct uringblk_prog_info *info)
{
	info->type = URINGBLK_PROG_TYPE_KBPF;
	info->bpf_id = uringblk_kbpf_id(prog->bpf);
}

/*
 * debugfs "holders": each kernel-BPF program a drive holds is a module
 * reference (kbpf.c), two if it calls the drive's kfuncs.
 */
static void kbpf_show_holder(struct uringblk_dev *dev,
			     const struct uringblk_prog *prog, struct seq_file *m)
{
	seq_printf(m, "%s %u %u %u %u %s %.*s\n", dev->name, prog->id,
		   prog->pind, uringblk_kbpf_id(prog->bpf),
		   READ_ONCE(prog->in_flight),
		   uringblk_kbpf_calls_kfuncs(prog->bpf) ? "yes" : "no",
		   URINGBLK_PROG_NAME_LEN, prog->name);
}

/*
 * It never yields (its ops never ask it to), so it is never resumed;
 * should it be, it starts again, as native code would.
 */
const struct uringblk_engine uringblk_engine_kbpf = {
	.name		= "kernel BPF",
	.run		= kbpf_run,
	.resume		= kbpf_run,
	.may_run_inline	= kbpf_may_run_inline,
	.release	= kbpf_release,
	.info		= kbpf_info,
	.show_holder	= kbpf_show_holder,
};
