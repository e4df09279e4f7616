/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uringblk device-defined programs: the bpf/ examples (count_pattern,
 * grep, checksum, histogram, sum_records) as native C, for the drive's
 * fixed program slots (program type URINGBLK_PROG_TYPE_DEVICE).
 *
 * Pure C like the VM (prog_port.h): prog_native.c builds unchanged into
 * the module and into native tests and benchmarks.
 *
 * Same program, same answer
 * -------------------------
 * A native program takes the same ctx->args as its eBPF twin in bpf/ and
 * gives the same r0, the same output bytes (out_used and contents) and
 * the same errno and abort code for every input: bad arguments (-EINVAL,
 * URINGBLK_PROG_ABORT_ARG, where the twin calls uringblk_abort_einval(),
 * whatever the budget: the twin gets there before any charge point),
 * an output buffer too small (each twin's own rule), a data range of any
 * length (sum32 of a length not a multiple of 4: -EINVAL as the helper),
 * a map error (the backend's errno, URINGBLK_PROG_ABORT_IO, for exactly
 * the byte ranges the twin would read: the same read policy, faults and
 * zones), a reschedule point that stops the run (its errno,
 * URINGBLK_PROG_ABORT_STOPPED).  On success bytes_scanned and
 * bytes_emitted are the twin's too.  tests/bpf/native.c checks all of it
 * against the clang-built twins, run in the VM on the same data.
 *
 * Not the same: abort_pc is always 0 (there are no instructions), and
 * insns, the budget units charged, is what the native work costs, not
 * what the twin's bytecode does.  A native run reads data only through
 * env->ops->map, in [0, ctx.data_len), and charges its work in the
 * helpers' units (prog_vm.h, "Budget"): map calls env->map_cost each, and
 * per byte URINGBLK_PROG_WORK_SCAN where it is examined a word at a time
 * (pattern scan, sum), URINGBLK_PROG_WORK_STEP where a pattern candidate
 * starts or it is folded into a CRC (a table lookup a byte), the
 * histogram's weights, URINGBLK_PROG_WORK_COPY plus URINGBLK_PROG_WORK_STEP
 * a record for sum_records, and URINGBLK_PROG_WORK_CALL plus 8 bytes'
 * copy per offset grep emits (the twin pays that for its emit call
 * alone), charged after every URINGBLK_PROG_PIECE bytes at most
 * (tests/bench-native measures what a unit costs natively).
 * So a run is never charged more than
 * its twin (each byte costs at most what the twin's helpers charge for
 * it; the twin adds its instructions), a budget too small for the native
 * run is too small for the twin, and the run stops with -ETIME
 * (URINGBLK_PROG_ABORT_BUDGET) as the twin would.  ops->resched is called
 * every env->resched_every units, as in the VM (tests/bpf/native.c checks
 * the charge against the twin's, run by run).  After an abort the output
 * is what the run produced so far, as the twin's: grep's offsets found (a
 * prefix of the full output; the twin's may be longer or shorter, but
 * after a read fault it is the same), the histogram's counts so far,
 * nothing of sum_records.
 *
 * Yield: a restart, not a resume
 * ------------------------------
 * A native run keeps its state in locals, so it cannot stop in the middle
 * and go on later.  When ops->resched returns URINGBLK_PROG_YIELD or
 * ops->map returns -EWOULDBLOCK, it gives up instead: run() returns
 * URINGBLK_PROG_YIELDED with res not filled, and nothing it did counts.
 * The embedder then runs it again from its start, e.g. from its worker
 * with ops that may sleep and do not yield: the same run() with the same
 * env (ops, priv and resched_every may differ).  That run zeroes the
 * output again and is charged from zero, so the result is exactly that of
 * a run that never yielded.  uringblk_prog_stop() ends a yielded native
 * run instead (it reports the units and output of the attempt).
 * Yielding is never "keep going": an inline slice is never overrun.
 *
 * The cost of a restart is at most the slice the first attempt used.  An
 * embedder avoids even that with uringblk_native_work_bound(): a run
 * whose bound fits its inline slice never reaches a reschedule point
 * there, so it either ends inline or yields at its first map (a backend
 * that would sleep) having done next to nothing; a run whose bound does
 * not fit goes to the worker at once.  A yielding embedder must
 * eventually offer a run ops that do not yield, or it never ends.
 *
 * Scratch: a run uses the embedder's struct uringblk_prog_state (the VM's
 * run state) for its accounting and histogram tables; a state may serve
 * VM and native runs in turn, not at the same time.
 */
#ifndef _URINGBLK_PROG_NATIVE_H
#define _URINGBLK_PROG_NATIVE_H

#include "prog_vm.h"

/**
 * struct uringblk_native_prog - one device-defined program
 * @name:	as the bpf/ program (and its function): "count_pattern", ...
 * @run:	run it: the arguments and return values of uringblk_prog_run()
 *		(0, -errno, or URINGBLK_PROG_YIELDED: see "Yield" above);
 *		@st is scratch, @env as for the VM, @res filled unless it
 *		yielded
 * @bound:	upper bound of the budget units a run charges (see
 *		uringblk_native_work_bound())
 * @combine:	how its results combine (uringblk_prog.h): its eBPF twin's
 *		declaration
 */
struct uringblk_native_prog {
	const char *name;
	int (*run)(struct uringblk_prog_state *st,
		   const struct uringblk_prog_env *env,
		   struct uringblk_prog_result *res);
	u64 (*bound)(const struct uringblk_prog_env *env);
	struct uringblk_prog_combine combine;
};

extern const struct uringblk_native_prog uringblk_native_progs[];
extern const unsigned int uringblk_nr_native_progs;

/*
 * Window size uringblk_native_work_bound() assumes: the driver maps at
 * most a page, from any offset to the page's end.
 */
#define URINGBLK_NATIVE_BOUND_WINDOW	4096U

/*
 * Most budget units a run of @p with @env charges, when every ops->map
 * call returns a window up to the next multiple of
 * URINGBLK_NATIVE_BOUND_WINDOW (or the bytes asked for, if fewer);
 * smaller windows only add map calls.  Whatever the data.  For an
 * embedder deciding where to start a run (see "Yield" above).
 */
u64 uringblk_native_work_bound(const struct uringblk_native_prog *p,
			       const struct uringblk_prog_env *env);

/* The program called @name, or NULL. */
const struct uringblk_native_prog *uringblk_native_find(const char *name);

#endif /* _URINGBLK_PROG_NATIVE_H */
