/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uringblk program VM: the eBPF validator and interpreter behind the
 * drive's computational-storage commands.
 *
 * Pure C: prog_verify.c, prog_interp.c and the helpers (prog_helpers.c,
 * prog_scan.c, prog_records.c, prog_arith.c) build unchanged
 * into the module and into native unit tests, a fuzzer and a benchmark
 * (prog_port.h maps the few kernel facilities they use).
 *
 * Embedder contract
 * -----------------
 * 1. At load: uringblk_prog_verify() on the instructions (it may sleep:
 *    it allocates scratch for programs with calls).  Only a program it
 *    accepted may ever be passed to uringblk_prog_run(): the interpreter
 *    trusts the validator for register numbers, jump and call targets,
 *    opcodes, off variants and helper ids, and checks only what depends on
 *    run-time values (memory addresses, helper arguments, call depth,
 *    budget).
 * 2. Per run: allocate a struct uringblk_prog_state (about 10 KiB, so not
 *    on the kernel stack; it may be reused for any number of runs, not
 *    concurrently), fill a struct uringblk_prog_env and call
 *    uringblk_prog_run().  The run needs no locks of its own; it sleeps
 *    only where the embedder's ops do.
 * 3. After the run: copy result.out_used bytes of the output buffer to the
 *    user, and report result.ret or result.err.
 * 4. A run may yield instead (it returns URINGBLK_PROG_YIELDED, see
 *    "Yield"), with result not filled: keep st, insns and the output
 *    buffer (its memory: it holds the output so far) and the globals and
 *    mem buffers as they are, and
 *    later either call uringblk_prog_resume() (again after each
 *    URINGBLK_PROG_YIELDED, until it returns 0 or -errno) or
 *    uringblk_prog_stop().  Then result is filled and step 3 is due.  No
 *    window stays mapped across a yield.  An env is read only during the
 *    call it is passed to (run's may go once the run yielded; resume
 *    reads only its ops, priv and resched_every).  Resuming a run that
 *    did not yield is refused (-EINVAL).
 *
 * Budget
 * ------
 * The budget is in units of about one instruction's time.  Instructions
 * are charged lazily, not one by one: execution between two control
 * transfers (taken backward jump, bpf-to-bpf call, exit) only moves
 * forward, so it passes at most (last pc - first pc + 1) slots, and that
 * is what the run is charged at each such transfer.  A charge is
 * therefore an upper bound of the instructions really executed (slots
 * skipped by forward jumps are counted) and costs a subtraction per loop
 * iteration instead of one per instruction.
 *
 * Helpers are charged for the work they really do, whatever their
 * arguments, the data or the windows: they count it in st->work, in steps
 * weighted by what they cost natively (URINGBLK_PROG_WORK_*: 128 per call,
 * 1 per byte copied, 3 per byte summed or skipped a word at a time, 8 per
 * byte counted into the histogram tables, 32 per byte-at-a-time operation:
 * a pattern comparison, a direct histogram count; 4 * 32 per KMP pattern
 * candidate; 4 * 32 per eight positions holding a pattern's first byte,
 * 4 * 32 + 8 * (m - 3) more if one also has its second and last), plus
 * env->map_cost
 * units (default URINGBLK_PROG_MAP_COST = 32) for every ops->map call,
 * and a call is charged ceil(its steps / URINGBLK_PROG_MAX_WORK_PER_UNIT)
 * units on top of its slot.  Patterns of 2 to 16 bytes are searched eight
 * positions at a time (one load when none holds the first byte, at most
 * m loads); others with Knuth-Morris-Pratt: at most two comparisons per
 * byte scanned.  So no pattern makes a byte cost more, and the charge
 * depends on the data, not on the windows.  Helpers charge as they go: a
 * window fetch before the map call, the rest after every piece of at most
 * URINGBLK_PROG_PIECE bytes.  So after any run st->work <=
 * URINGBLK_PROG_MAX_WORK_PER_UNIT * res.insns + URINGBLK_PROG_WORK_SLACK
 * (tests/unit/worktest.c), and natively no helper's unit costs more than
 * about 3x a plain instruction loop's (tests/bench-native).  The weights
 * price the memory backend's page lookup; an embedder whose map does I/O
 * sets env->map_cost to what it costs.
 *
 * When a charge makes the total exceed env->budget the run stops with
 * -ETIME, so a run may overshoot by at most one segment
 * (< URINGBLK_PROG_MAX_INSNS slots) or one helper charge (a map call, or
 * a piece: at most 2 * URINGBLK_PROG_PIECE units for a pattern search).
 * Every env->resched_every charged units (default 16384, under 50 us of
 * work natively whatever the input), at the first charge past that point,
 * the run calls ops->resched (kernel: cond_resched(), fatal signal and
 * device removal checks), which may also ask the run to yield.
 *
 * The charge does not depend on yields: a run that yields and is resumed
 * is charged exactly what the same run without yields is (res.insns),
 * whatever resched_every the resumed parts use.
 *
 * Yield
 * -----
 * An embedder may start a run where it must not sleep or run long (the
 * submitting task) and finish it elsewhere (a worker).  A run yields when
 *  - ops->resched returns URINGBLK_PROG_YIELD (a slice is over), or
 *  - ops->map returns -EWOULDBLOCK (= -EAGAIN): the bytes need I/O that
 *    would sleep.  This always yields: a map error that is no error.
 * uringblk_prog_run() or uringblk_prog_resume() then returns
 * URINGBLK_PROG_YIELDED with the whole run saved in st, at one of two
 * consistent points:
 *  - a charge point of the interpreter (taken backward jump, bpf-to-bpf
 *    call, exit) whose segment is paid for: the resumed run executes that
 *    instruction again at no charge;
 *  - a helper call: everything the call changed but program memory (the
 *    budget, st->work, bytes scanned, the emit cursor, the output high
 *    mark, the pattern cache) is rolled back to the call's start, and the
 *    resumed run makes the whole call again, charged exactly as once.
 *    Helpers write program memory so that a call made again gives the
 *    same bytes (read copies the same bytes again, emit writes nothing
 *    before its last charge, a short histogram stages its bytes in st
 *    and counts them after its last map).
 * One exception: a long histogram adds its tables into the program's
 * counters every 1 GiB of data (HIST_FLUSH_BYTES in prog_hist.h), and
 * a call that has done that cannot be made again.  For the rest of that
 * call, URINGBLK_PROG_YIELD is ignored (the run goes on, as for 0), and
 * -EWOULDBLOCK from map aborts the run with that errno and
 * URINGBLK_PROG_ABORT_IO.  No inline slice comes near 1 GiB of data
 * (16 million units of histogram work), so an embedder that yields only
 * in its first slice never meets this.
 * After a helper yield, the call made again ignores URINGBLK_PROG_YIELD
 * until it has gone past the point where it yielded, so every yield
 * makes progress: an embedder whose resched always asks to yield still
 * finishes (tests do; the driver yields once).  A yield is never seen by
 * the program, never counted as an abort, and changes no result.
 */
#ifndef _URINGBLK_PROG_VM_H
#define _URINGBLK_PROG_VM_H

#include "prog_port.h"
/*
 * The program ABI, by relative path so that the same sources build in the
 * kernel and in userspace tests without extra include flags.
 */
#include "../../include/uapi/linux/uringblk_prog.h"

/* Lowest program address of the stack (frame MAX_DEPTH - 1). */
#define URINGBLK_PROG_STACK_BASE	(URINGBLK_PROG_STACK_TOP -		\
				 URINGBLK_PROG_STACK_SIZE * URINGBLK_PROG_MAX_DEPTH)

/* Largest window the VM asks ops->map for (bytes). */
#define URINGBLK_PROG_WINDOW_MAX	(64U << 10)

/* ops->resched may return this (> 0): stop here if the run can be resumed. */
#define URINGBLK_PROG_YIELD		1
/* uringblk_prog_run()/uringblk_prog_resume() return it when the run yielded. */
#define URINGBLK_PROG_YIELDED		1

/* Default ops->resched interval in budget units (see "Budget"). */
#define URINGBLK_PROG_RESCHED_DEFAULT	(1U << 14)

/*
 * Helper work (see "Budget"): st->work counts it in steps, and a helper
 * call is charged ceil(its steps / URINGBLK_PROG_MAX_WORK_PER_UNIT) units,
 * as it goes.  Hence after any run
 *   st->work <= URINGBLK_PROG_MAX_WORK_PER_UNIT * res.insns +
 *		 URINGBLK_PROG_WORK_SLACK
 * which the unit tests and the fuzzer check on adversarial inputs.
 */
#define URINGBLK_PROG_MAX_WORK_PER_UNIT	64
#define URINGBLK_PROG_WORK_SLACK	0
/* Steps per helper call, on top of the call's own slot. */
#define URINGBLK_PROG_WORK_CALL		128
/* Steps per byte copied (read, emit). */
#define URINGBLK_PROG_WORK_COPY		1
/* Steps per byte examined a word at a time (sum_u32, pattern skip). */
#define URINGBLK_PROG_WORK_SCAN		3
/* Steps per byte counted into the histogram tables. */
#define URINGBLK_PROG_WORK_HIST		8
/* Steps per byte-at-a-time operation (pattern comparison, direct count). */
#define URINGBLK_PROG_WORK_STEP		32
/* Steps per byte of int8 vectors scored (dot_i8, l2sq_i8). */
#define URINGBLK_PROG_WORK_VEC		8
/* Steps per vector scored: its s32 store and the loop around it. */
#define URINGBLK_PROG_WORK_VEC_STORE	32
/*
 * Default budget units per ops->map call (env->map_cost = 0): a page
 * lookup and reference in memory, some 30-50 ns natively (an estimate).
 */
#define URINGBLK_PROG_MAP_COST		32
/* Most bytes a helper handles between two charges. */
#define URINGBLK_PROG_PIECE		4096U

/**
 * struct uringblk_prog_env_ops - how the VM reaches the embedder
 * @map:	make data bytes readable.  @off < data_len and
 *		1 <= @len <= data_len - @off.  On success store in *@win a
 *		pointer to the bytes at @off and return how many are readable
 *		there, 1..@len (a window may end early, e.g. at a page or
 *		bounce-buffer boundary; the VM asks again for the rest).  On
 *		failure return -errno (e.g. -EIO); the run aborts with it,
 *		but for -EWOULDBLOCK: the bytes are there, but only after
 *		a sleep the caller may not take; the run yields (see
 *		"Yield") and asks again for them when resumed.
 *		The window stays valid until @unmap or the next @map call.
 *		Called in the run's context (kernel: may sleep if the run may).
 * @unmap:	optional; releases the window @map returned (e.g.
 *		kunmap_local(), drop a page reference).
 * @resched:	optional; called at reschedule points.  Return 0 to go on,
 *		URINGBLK_PROG_YIELD to have the run yield (see "Yield"; it
 *		may go on instead, as for 0), or -errno (e.g. -EINTR on a
 *		fatal signal, -ENODEV on device removal) to stop the run
 *		with that errno.
 */
struct uringblk_prog_env_ops {
	long (*map)(void *priv, u64 off, u64 len, const void **win);
	void (*unmap)(void *priv, const void *win);
	int (*resched)(void *priv);
};

/**
 * struct uringblk_prog_env - one run's inputs, filled by the embedder
 * @ops:	embedder callbacks
 * @priv:	cookie passed to @ops
 * @ctx:	the program's context: the embedder sets lba_start, lba_count,
 *		data_len, block_size and args; out, out_len and rsvd are
 *		set by the VM (from @out_len) in its own copy
 * @out:	output buffer (kernel memory), @out_len bytes; the VM zeroes
 *		it before the program starts (a program may read it)
 * @out_len:	its size
 * @budget:	instruction slots the run may use (see "Budget")
 * @resched_every: budget units between @ops->resched calls;
 *		0 = URINGBLK_PROG_RESCHED_DEFAULT
 * @map_cost:	budget units charged per @ops->map call;
 *		0 = URINGBLK_PROG_MAP_COST (an embedder whose map does I/O
 *		should set what one costs, in instructions' time)
 * @host_ptrs:	0 for the interpreter.  Non-zero only for a run without
 *		bytecode (uringblk_prog_run_start(), insns NULL):
 *		ctx.out, ctx.globals and ctx.mem are then 0, and helper pointer
 *		arguments are kernel addresses the caller has already
 *		checked (a kernel BPF program's kfunc buffers, which the
 *		kernel's verifier bounds), not program addresses
 * @rodata:	the program's .rodata (read-only, never written by the VM,
 *		so one copy may serve concurrent runs), @rodata_len bytes
 * @data:	the initial .data, @data_len bytes (read only)
 * @globals_rw:	the run's writable globals, @rw_len bytes: the VM fills
 *		it with @data then zeroes (.bss) at the start of the run, so
 *		nothing of an earlier run is visible; NULL if @rw_len is 0
 * @rodata_len:	bytes of .rodata; the region "globals" is
 *		[URINGBLK_PROG_GLOBAL_ADDR, + @rodata_len + @rw_len)
 * @data_len:	bytes of .data, <= @rw_len
 * @rw_len:	bytes of .data + .bss
 * @mem:	the run's mem region (EXECUTE: a range set's window), @mem_len
 *		bytes, read-write, NULL if @mem_len is 0; the VM neither
 *		clears nor copies it: stores land there at once
 * @mem_len:	its size
 *
 * @rodata, @globals_rw and @mem, like @out, must stay as they are while a
 * run yielded: the VM keeps the pointers from the run's start.
 */
struct uringblk_prog_env {
	const struct uringblk_prog_env_ops *ops;
	void *priv;
	struct uringblk_prog_ctx ctx;
	void *out;
	u32 out_len;
	u32 resched_every;
	u64 budget;
	u32 map_cost;
	u32 host_ptrs;
	const void *rodata;
	const void *data;
	void *globals_rw;
	u32 rodata_len;
	u32 data_len;
	u32 rw_len;
	void *mem;
	u64 mem_len;
};

/**
 * struct uringblk_prog_result - what a run did
 * @ret:	r0 at the final exit (0 if the run aborted)
 * @err:	0, or the negative errno the run aborted with
 * @abort_code:	enum uringblk_prog_abort
 * @abort_pc:	index of the instruction that aborted (helper calls:
 *		the call); 0 if none
 * @rsvd:	padding, zero
 * @insns:	budget units charged (an upper bound of instructions run,
 *		plus the helpers' work, see "Budget")
 * @bytes_scanned: device bytes the helpers examined (find: up to the
 *		end of the match)
 * @bytes_emitted: bytes appended by uringblk_emit()
 * @out_used:	bytes of the output buffer to copy back: max(emit cursor,
 *		end of the highest direct store); valid after aborts too
 */
struct uringblk_prog_result {
	u64 ret;
	s32 err;
	u32 abort_code;
	u32 abort_pc;
	u32 rsvd;
	u64 insns;
	u64 bytes_scanned;
	u64 bytes_emitted;
	u64 out_used;
};

/* A saved caller frame of a bpf-to-bpf call. */
struct uringblk_prog_frame {
	const struct bpf_insn *ret;	/* instruction after the call */
	u64 callee_saved[4];		/* r6-r9 */
};

/*
 * What a helper call may change besides program memory, saved when it
 * starts: a yield inside the call puts it back ("Yield").  The rest needs
 * no copy: st->work is call_work then, ticks and the output high mark
 * are the interpreter's, and emit moves out_cursor after its last charge.
 */
struct uringblk_prog_call {
	u64 reserve;
	u64 bytes_scanned;
	u32 pat_len;			/* 0 if the call rebuilt the pattern */
};

/*
 * struct uringblk_prog_state - a run's memory, provided by the embedder
 *
 * Opaque to the embedder apart from its size: allocate it (kvmalloc()),
 * reuse it for sequential runs.  Nothing in it needs initialising.  A run
 * that yielded lives on in it: the embedder must not touch it (nor start
 * another run in it) until it resumed the run to its end or stopped it.
 */
struct uringblk_prog_state {
	/* program stack: frame d at [top - (d + 1) * 512, top - d * 512) */
	u8 stack[URINGBLK_PROG_STACK_SIZE * URINGBLK_PROG_MAX_DEPTH]
		__aligned(8);
#ifdef URINGBLK_PROG_STACK_GUARD
	/*
	 * Userspace sanitizer builds only (tests/fuzz): bytes the embedder
	 * poisons so that ASan reports an access past the stack's top
	 * instead of letting it land in ctx; below the stack is the start
	 * of the allocation.  The module never defines this.
	 */
	u8 stack_guard[URINGBLK_PROG_STACK_GUARD] __aligned(8);
#endif
	struct uringblk_prog_ctx ctx;	/* the program's read-only copy */
	struct uringblk_prog_frame frames[URINGBLK_PROG_MAX_DEPTH];
	const struct uringblk_prog_env *env;
	const struct bpf_insn *insns;	/* program, for abort_pc */
	/* instruction running a helper; at a yield, the one to resume at */
	const struct bpf_insn *pc;
	/* kept from the first env: a resumed run ignores the new one's */
	u8 *out;
	u64 out_len;
	u64 budget;
	u32 map_cost;			/* env->map_cost or the default */
	u64 out_cursor;			/* uringblk_emit() position */
	u64 out_wm;			/* end of the highest direct store */
	u32 depth;			/* current frame, 0 = entry */
	u32 abort_code;
	int err;
	s64 ticks;			/* budget units until the next check */
	u64 reserve;			/* budget not yet moved into ticks */
	u64 bytes_scanned;
	u64 executed;			/* URINGBLK_PROG_COUNT_INSNS builds only */
	u64 work;			/* helper work steps ("Budget") */
	u64 call_work;			/* st->work when the call began */
	u64 call_units;			/* units the call charged so far */
	struct uringblk_prog_call call;	/* the rest, as the call began */
	/* yield and resume ("Yield"); err is URINGBLK_PROG_YIELDED then */
	u64 regs[MAX_BPF_REG];		/* registers at the yield */
	const struct bpf_insn *seg;	/* first slot not charged yet */
	u64 yield_work;			/* call's work when it last yielded */
	bool in_call;			/* a helper call is running */
	bool call_dirty;		/* it wrote the program's counters */
	bool call_again;		/* it yielded: ignore yields before yield_work */
	bool resume_slice;		/* resume first refills ticks */
	/* helper scratch, kept here to keep the kernel stack small */
	u32 pat_len;			/* pattern of fail[], 0 = none yet */
	u8 pat[URINGBLK_PROG_PAT_MAX];
	u16 fail[URINGBLK_PROG_PAT_MAX + 1];	/* KMP failure links of pat */
	union {
		u32 hist[4][256];	/* histogram counter tables */
		u8 hist_stage[4096];	/* or a short range's bytes */
		struct {		/* record helpers (prog_records.c) */
			u32 pos[URINGBLK_REC_MAX_FIELDS + 1];
			u16 want[256];	/* field -> 1 + first value, 0 = unwanted */
			u8 next[URINGBLK_REC_MAX_VALS]; /* value -> next of its field */
			struct uringblk_rec_spec spec;
			struct uringblk_rec_cond cond[URINGBLK_REC_MAX_CONDS];
			u8 fbuf[URINGBLK_NUM_MAX_LEN];
		} rec;
	};
	/*
	 * The globals and mem regions, kept from the first env as out is
	 * (last: the fields above keep the places the hot paths were tuned
	 * with).  globals: [GLOBAL_ADDR, +ro_len) is rodata, read-only; the
	 * writable rest [GLOBAL_ADDR + ro_len, +rw_len) is globals_rw.
	 */
	const u8 *rodata;
	u8 *globals_rw;
	u64 ro_len;
	u64 rw_len;
	u8 *mem;
	u64 mem_len;
};

int uringblk_prog_verify(const struct bpf_insn *insns, u32 len,
			 char *msg, size_t msg_size);
int uringblk_prog_run(struct uringblk_prog_state *st,
		      const struct bpf_insn *insns,
		      const struct uringblk_prog_env *env,
		      struct uringblk_prog_result *res);
/*
 * Continue a run that returned URINGBLK_PROG_YIELDED, with the same st and insns
 * and an env with the same out/out_len/budget/ctx/map_cost and regions (ops, priv,
 * resched_every may differ; the others are kept in st from the run's start
 * and not read again).  Returns like uringblk_prog_run(): 0, -errno,
 * or URINGBLK_PROG_YIELDED again.  res is filled only when it returns 0 or -errno.
 */
int uringblk_prog_resume(struct uringblk_prog_state *st,
			 const struct uringblk_prog_env *env,
			 struct uringblk_prog_result *res);
/*
 * Stop a yielded run for good without running it (the device went away):
 * fill res as an abort with err and URINGBLK_PROG_ABORT_STOPPED, keeping the
 * units charged and bytes scanned so far.
 */
void uringblk_prog_stop(struct uringblk_prog_state *st, int err,
			struct uringblk_prog_result *res);

/*
 * The start of every run, whatever engine runs it: uringblk_prog_run()
 * (with its instructions), the device-defined native programs
 * (prog_native.c) and kernel-BPF runs (kbpf.c) with @insns NULL.  It
 * resets everything of @st a run can see or that steers it, so that no
 * earlier run, of any program or engine, shows through.
 *
 * Runs without bytecode (kbpf.c: kernel BPF programs calling kfuncs):
 * uringblk_prog_run_start(st, NULL, env) for an @env with host_ptrs set,
 * then each kfunc calls its helper with uringblk_prog_call_helper() (kernel
 * pointers for pointer arguments, each valid for the length the helper
 * uses), and uringblk_prog_fill_result() reports the run.  Only helper
 * work is charged: the program's own instructions are bounded by the
 * kernel's verifier, not by the budget.  Its @env->ops must never ask to
 * yield (a worker's).
 */
void uringblk_prog_run_start(struct uringblk_prog_state *st,
			     const struct bpf_insn *insns,
			     const struct uringblk_prog_env *env);

/* Internal: shared by prog_interp.c and prog_helpers.c. */
u64 uringblk_prog_call_helper(struct uringblk_prog_state *st, u32 id,
			      u64 r1, u64 r2, u64 r3, u64 r4, u64 r5);
void *uringblk_prog_mem(struct uringblk_prog_state *st, u64 addr, u64 len,
			bool write);
bool uringblk_prog_charge(struct uringblk_prog_state *st, u64 units);
bool uringblk_prog_refill(struct uringblk_prog_state *st);
void uringblk_prog_next_slice(struct uringblk_prog_state *st);
void uringblk_prog_abort(struct uringblk_prog_state *st, int err, u32 code);
void uringblk_prog_fill_result(struct uringblk_prog_state *st, u64 ret,
			       struct uringblk_prog_result *res);

#endif /* _URINGBLK_PROG_VM_H */
