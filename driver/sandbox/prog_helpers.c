// SPDX-License-Identifier: GPL-2.0
/*
 * uringblk program helpers (the contracts are in <linux/uringblk_prog.h>):
 * the dispatcher, the run support the interpreter shares, the charged walk
 * over the data (prog_walk.h), read and emit; count_pattern and find are
 * prog_scan.c's, the helpers that reduce data to numbers prog_arith.c's,
 * the record helpers prog_records.c's.
 *
 * Generic logic on top of the embedder's ops: device data arrives in
 * windows of whatever size ops->map returns (a page, a 64 KiB bounce
 * buffer, a single byte in the tests), so every scan carries its state
 * across window boundaries; a pattern match may span any number of them.
 *
 * Charging (the rules are in prog_vm.h, "Budget"): every helper adds its
 * real work to st->work as it goes, in steps weighted by what they cost
 * (URINGBLK_PROG_WORK_*), a window fetch included, and charges it after
 * each piece of at most URINGBLK_PROG_PIECE bytes, so no input makes a
 * unit cost more than a few instructions' time or delays a reschedule
 * point by more than a piece.
 *
 * Yields (prog_vm.h, "Yield"): a helper call that yields is made again
 * from its start when the run resumes, after uringblk_prog_call_helper()
 * rolled the run back.  So a helper writes program memory only with bytes
 * a second call writes the same (read), or after its last charge (emit,
 * histogram, but for its flush every 1 GiB, which ends the call's right
 * to yield), and leaves at once when st->err is set, whether by an abort
 * or by URINGBLK_PROG_YIELDED.
 *
 * Pointer arguments go through uringblk_prog_mem(), the same region check
 * the interpreter applies to loads and stores.  Helper scratch (pattern
 * copy, carry bytes, histogram counters) lives in the run state, not on
 * the stack.
 */
#include "prog_vm.h"
#include "prog_walk.h"

/* Run support shared with the interpreter. */

void uringblk_prog_abort(struct uringblk_prog_state *st, int err, u32 code)
{
	if (!st->err) {
		st->err = err;
		st->abort_code = code;
	}
}

/* Move the next slice of the budget from the reserve into ticks. */
void uringblk_prog_next_slice(struct uringblk_prog_state *st)
{
	const struct uringblk_prog_env *env = st->env;
	u64 slice;

	slice = env->resched_every ? env->resched_every :
				     URINGBLK_PROG_RESCHED_DEFAULT;
	slice = min_t(u64, slice, st->reserve);
	st->reserve -= slice;
	st->ticks = slice;
}

/*
 * May the run yield here?  Outside helpers, always: the interpreter stops
 * at its charge point.  Inside one, only if the call can be made again
 * from its start, and (after a yield in the same call) only past the
 * point where it yielded last, so that every yield makes progress.
 */
static bool may_yield(struct uringblk_prog_state *st)
{
	if (!st->in_call)
		return true;
	if (st->call_dirty)
		return false;
	return !st->call_again || st->work - st->call_work > st->yield_work;
}

/* Decide to yield: helpers leave at once, as after an abort. */
static void set_yield(struct uringblk_prog_state *st)
{
	st->err = URINGBLK_PROG_YIELDED;
	if (st->in_call)
		st->yield_work = st->work - st->call_work;
}

/**
 * uringblk_prog_refill() - the slow half of budget accounting
 * @st:		the run; st->ticks went negative
 *
 * Moves the next slice of the budget into ticks and gives the embedder
 * its reschedule point.
 *
 * Return: false (run aborted, or yielding: st->err says which) when the
 * budget is gone or the embedder wants the run stopped or yielded.  A
 * yield leaves the units used booked and ticks at 0; uringblk_prog_resume()
 * moves the next slice.
 */
bool uringblk_prog_refill(struct uringblk_prog_state *st)
{
	const struct uringblk_prog_env *env = st->env;
	u64 over = -st->ticks;
	int err;

	if (over > st->reserve) {
		uringblk_prog_abort(st, -ETIME, URINGBLK_PROG_ABORT_BUDGET);
		return false;
	}
	st->reserve -= over;
	st->ticks = 0;
	if (env->ops && env->ops->resched) {
		err = env->ops->resched(env->priv);
		if (err == URINGBLK_PROG_YIELD) {
			if (may_yield(st)) {
				set_yield(st);
				return false;
			}
		} else if (err) {
			uringblk_prog_abort(st, err < 0 ? err : -EINTR,
					    URINGBLK_PROG_ABORT_STOPPED);
			return false;
		}
	}
	uringblk_prog_next_slice(st);
	return true;
}

/**
 * uringblk_prog_fill_result() - report a run that ended (or was stopped)
 * @st:		the run; st->err is 0 or the abort's errno
 * @ret:	r0 at the final exit (ignored after an abort)
 * @res:	filled
 */
void uringblk_prog_fill_result(struct uringblk_prog_state *st, u64 ret,
			       struct uringblk_prog_result *res)
{
	res->ret = st->err ? 0 : ret;
	res->err = st->err;
	res->abort_code = st->abort_code;
	res->abort_pc = st->err ? st->pc - st->insns : 0;
	res->rsvd = 0;
	res->insns = st->budget - st->reserve - st->ticks;
	res->bytes_scanned = st->bytes_scanned;
	res->bytes_emitted = st->out_cursor;
	res->out_used = st->out_cursor > st->out_wm ? st->out_cursor :
						      st->out_wm;
}

/**
 * uringblk_prog_stop() - end a yielded run without running it further
 * @st:		a run whose last uringblk_prog_run() or uringblk_prog_resume()
 *		returned URINGBLK_PROG_YIELDED
 * @err:	negative errno to report (anything else reports -EINTR, as
 *		ops->resched's would)
 * @res:	filled as an abort with @err and URINGBLK_PROG_ABORT_STOPPED
 *
 * The run ends as if ops->resched had returned @err where it yielded: the
 * units charged, bytes scanned and output so far are reported, abort_pc
 * is the instruction it would have resumed at.  After a yield inside a
 * helper call that is the call, and what it did is not counted (it was
 * rolled back, to be made again).
 */
void uringblk_prog_stop(struct uringblk_prog_state *st, int err,
			struct uringblk_prog_result *res)
{
	if (st->err == URINGBLK_PROG_YIELDED)
		st->err = 0;
	uringblk_prog_abort(st, err < 0 ? err : -EINTR,
			    URINGBLK_PROG_ABORT_STOPPED);
	st->resume_slice = false;
	st->call_again = false;
	uringblk_prog_fill_result(st, 0, res);
}

/*
 * The globals and mem regions of a new run (prog_vm.h): their places in
 * st, and the writable globals reset to .data and zeroed .bss.  The VM
 * writes neither .rodata nor, before the program does, mem.
 */
static void start_regions(struct uringblk_prog_state *st,
			  const struct uringblk_prog_env *env)
{
	u32 data_len = env->data_len < env->rw_len ? env->data_len : env->rw_len;

	st->rodata = env->rodata;
	st->ro_len = env->rodata ? env->rodata_len : 0;
	st->globals_rw = env->globals_rw;
	st->rw_len = env->globals_rw ? env->rw_len : 0;
	if (st->rw_len) {
		if (data_len)
			memcpy(st->globals_rw, env->data, data_len);
		memset(st->globals_rw + data_len, 0, st->rw_len - data_len);
	}
	st->mem = env->mem;
	st->mem_len = env->mem ? env->mem_len : 0;
}

/**
 * uringblk_prog_run_start() - reset the run state for a new run, any engine
 * @st:		the run state; anything in it may be left from an earlier
 *		run, of any program and engine (a cached state), or garbage
 * @insns:	the program's instructions (interpreter), or NULL for a run
 *		without bytecode (native code, kernel BPF): abort_pc is 0
 * @env:	the run's inputs
 *
 * Every run starts here, whatever runs it (interpreter, device-defined
 * native code, kernel BPF), so that no run sees anything of an earlier
 * one: nothing tracks initialisation, and a program may read any byte of
 * its ctx, stack, output buffer and globals.  So ctx is the embedder's
 * with out, out_len, globals, globals_len, mem, mem_len and rsvd set
 * here; the stack and the output buffer are zeroed; the writable globals
 * get .data and zeroed .bss; every register, cursor, counter and flag of
 * the accounting and of the helper-call machinery is reset.  The helper
 * scratch (pattern, KMP links, histogram tables, record tables, saved
 * frames) is not cleared: pat_len = 0 says no pattern is cached, and the
 * rest is written by the helper or call that reads it, before it does.
 *
 * A run with @env->host_ptrs set has no program addresses: ctx.out,
 * ctx.globals and ctx.mem are 0 (nothing is mapped), and its kfuncs pass
 * kernel pointers (prog_vm.h, "Runs without bytecode").
 */
void uringblk_prog_run_start(struct uringblk_prog_state *st,
			     const struct bpf_insn *insns,
			     const struct uringblk_prog_env *env)
{
	bool mapped = !env->host_ptrs;

	/* what the program can read */
	st->ctx = env->ctx;
	memset(st->ctx.rsvd, 0, sizeof(st->ctx.rsvd));
	memset(st->stack, 0, sizeof(st->stack));
	st->out = env->out;
	st->out_len = env->out_len;
	if (env->out_len)
		memset(env->out, 0, env->out_len);
	start_regions(st, env);
	st->ctx.out_len = env->out_len;
	st->ctx.out = mapped ? URINGBLK_PROG_OUT_ADDR : 0;
	st->ctx.globals_len = st->ro_len + st->rw_len;
	st->ctx.globals = mapped && st->ctx.globals_len ?
			  URINGBLK_PROG_GLOBAL_ADDR : 0;
	st->ctx.mem_len = st->mem_len;
	st->ctx.mem = mapped && st->mem_len ? URINGBLK_PROG_MEM_ADDR : 0;

	/* where it runs: the entry, frame 0 */
	st->env = env;
	st->insns = insns;
	st->pc = insns;
	st->seg = insns;
	st->depth = 0;
	memset(st->regs, 0, sizeof(st->regs));

	/* what it is charged and what it did */
	st->budget = env->budget;
	st->map_cost = env->map_cost ? env->map_cost : URINGBLK_PROG_MAP_COST;
	st->reserve = env->budget;
	st->out_cursor = 0;
	st->out_wm = 0;
	st->err = 0;
	st->abort_code = URINGBLK_PROG_OK;
	st->bytes_scanned = 0;
	st->executed = 0;
	st->work = 0;

	/* no helper call running, none to make again, no pattern cached */
	st->call_work = 0;
	st->call_units = 0;
	st->yield_work = 0;
	st->in_call = false;
	st->call_dirty = false;
	st->call_again = false;
	st->resume_slice = false;
	st->pat_len = 0;
	uringblk_prog_next_slice(st);
}

/**
 * uringblk_prog_charge() - charge budget units, e.g. for bulk helper work
 * @st:		the run
 * @units:	units to charge
 *
 * Return: false if the run was aborted (budget, or embedder stop).
 */
bool uringblk_prog_charge(struct uringblk_prog_state *st, u64 units)
{
	/* keeps ticks from wrapping; such a charge fails anyway */
	if (units > (1ULL << 62))
		units = 1ULL << 62;
	st->ticks -= (s64)units;
	if (likely(st->ticks >= 0))
		return true;
	return uringblk_prog_refill(st);
}

/**
 * uringblk_prog_mem() - translate a program address range to kernel memory
 * @st:		the run
 * @addr:	program address
 * @len:	bytes (0 is treated as 1: the address itself must be valid)
 * @write:	the caller writes (ctx and .rodata are read-only)
 *
 * Used by helpers for their pointer arguments; the interpreter inlines the
 * same check.  The whole range must lie in one region.
 *
 * Return: kernel pointer, or NULL if the range is not accessible.
 */
void *uringblk_prog_mem(struct uringblk_prog_state *st, u64 addr, u64 len,
			bool write)
{
	u64 lo = URINGBLK_PROG_STACK_TOP -
		 (u64)(st->depth + 1) * URINGBLK_PROG_STACK_SIZE;
	u64 off;

	if (st->env->host_ptrs)
		return (void *)(uintptr_t)addr;	/* checked by the kfunc's caller */
	if (!len)
		len = 1;
	off = addr - lo;
	if (off < URINGBLK_PROG_STACK_TOP - lo &&
	    len <= URINGBLK_PROG_STACK_TOP - lo - off)
		return st->stack + (addr - URINGBLK_PROG_STACK_BASE);
	off = addr - URINGBLK_PROG_OUT_ADDR;
	if (off < st->out_len && len <= st->out_len - off) {
		if (write && off + len > st->out_wm)
			st->out_wm = off + len;
		return st->out + off;
	}
	/* ctx before the newer regions: patterns often live in ctx->args */
	off = addr - URINGBLK_PROG_CTX_ADDR;
	if (!write && off < sizeof(st->ctx) && len <= sizeof(st->ctx) - off)
		return (u8 *)&st->ctx + off;
	off = addr - URINGBLK_PROG_MEM_ADDR;
	if (off < st->mem_len && len <= st->mem_len - off)
		return st->mem + off;
	off = addr - URINGBLK_PROG_GLOBAL_ADDR;
	if (!write && off < st->ro_len && len <= st->ro_len - off)
		return (u8 *)st->rodata + off;
	off -= st->ro_len;
	if (off < st->rw_len && len <= st->rw_len - off)
		return st->globals_rw + off;
	return NULL;
}

u64 helper_fail(struct uringblk_prog_state *st, int err, u32 code)
{
	uringblk_prog_abort(st, err, code);
	return 0;
}

/* [off, off + len) inside the granted range?  Overflow-safe. */
bool data_range_ok(struct uringblk_prog_state *st, u64 off, u64 len)
{
	u64 data_len = st->ctx.data_len;

	if (off > data_len || len > data_len - off) {
		uringblk_prog_abort(st, -ERANGE, URINGBLK_PROG_ABORT_RANGE);
		return false;
	}
	return true;
}

/*
 * Charge what the running helper call has not paid for yet: its work so
 * far, rounded up to whole units over the call, so st->work never exceeds
 * URINGBLK_PROG_MAX_WORK_PER_UNIT times the units charged.  After an
 * abort the units are still booked, but nothing more is checked.
 */
bool work_charge(struct uringblk_prog_state *st)
{
	const u64 per = URINGBLK_PROG_MAX_WORK_PER_UNIT;
	u64 units = (st->work - st->call_work + per - 1) / per -
		    st->call_units;

	if (!units)
		return !st->err;
	st->call_units += units;
	if (st->err) {
		st->ticks -= (s64)units;
		return false;
	}
	return uringblk_prog_charge(st, units);
}

/*
 * A walk over the data range [pos, end) of one helper call, in pieces of
 * at most URINGBLK_PROG_PIECE bytes: the helper charges its work after
 * each piece, so budget checks and reschedule points come that often
 * whatever the window size, and a window is mapped only once its cost is
 * paid.
 */
void walk_start(struct walk *w, u64 off, u64 len)
{
	w->win = NULL;
	w->wpos = w->wend = w->pos = off;
	w->end = off + len;
}

void walk_unmap(struct uringblk_prog_state *st, struct walk *w)
{
	const struct uringblk_prog_env *env = st->env;

	if (w->win && env->ops->unmap)
		env->ops->unmap(env->priv, w->win);
	w->win = NULL;
}

/*
 * ops->map returned -EWOULDBLOCK: yield, for the call to be made again
 * when the run is resumed, where map may sleep.  Unless the call wrote
 * the program's counters already (prog_vm.h, "Yield": only after 1 GiB
 * of histogram data, never in practice): then it is an I/O error.
 */
static void map_would_block(struct uringblk_prog_state *st)
{
	if (st->call_dirty)
		uringblk_prog_abort(st, -EWOULDBLOCK, URINGBLK_PROG_ABORT_IO);
	else
		set_yield(st);
}

/*
 * Hand out the next piece of the range in *@p.  Returns its length, or 0
 * at the end of the range or when the run aborted or yields (st->err says
 * which); the window is released then.  Each map call costs
 * env->map_cost (or URINGBLK_PROG_MAP_COST) units, charged before it.
 */
u64 walk_next(struct uringblk_prog_state *st, struct walk *w,
	      const u8 **p)
{
	const struct uringblk_prog_env *env = st->env;
	const void *win = NULL;
	u64 n;
	long got;

	if (w->pos == w->wend) {
		walk_unmap(st, w);
		if (w->pos == w->end)
			return 0;
		if (!env->ops || !env->ops->map) {
			uringblk_prog_abort(st, -EIO, URINGBLK_PROG_ABORT_IO);
			return 0;
		}
		st->work += (u64)st->map_cost * URINGBLK_PROG_MAX_WORK_PER_UNIT;
		if (!work_charge(st))
			return 0;
		n = min_t(u64, w->end - w->pos, URINGBLK_PROG_WINDOW_MAX);
		got = env->ops->map(env->priv, w->pos, n, &win);
		if (unlikely(got == -EWOULDBLOCK)) {
			map_would_block(st);
			return 0;
		}
		if (got <= 0 || (u64)got > n || !win) {
			/* 0 bytes or past the request: an embedder bug */
			uringblk_prog_abort(st, got < 0 ? (int)got : -EIO,
					    URINGBLK_PROG_ABORT_IO);
			return 0;
		}
		w->win = win;
		w->wpos = w->pos;
		w->wend = w->pos + got;
	}
	n = min_t(u64, w->wend - w->pos, URINGBLK_PROG_PIECE);
	*p = w->win + (w->pos - w->wpos);
	w->pos += n;
	st->bytes_scanned += n;
	return n;
}

static u64 helper_read(struct uringblk_prog_state *st, u64 off, u64 dst_addr,
		       u32 len)
{
	struct walk w;
	const u8 *src;
	u8 *dst;
	u64 n;

	if (!len) {
		data_range_ok(st, off, 0);	/* off itself must be in range */
		return 0;
	}
	dst = uringblk_prog_mem(st, dst_addr, len, true);
	if (!dst)
		return helper_fail(st, -EFAULT, URINGBLK_PROG_ABORT_MEM);
	if (!data_range_ok(st, off, len))
		return 0;
	walk_start(&w, off, len);
	while ((n = walk_next(st, &w, &src))) {
		memcpy(dst, src, n);
		dst += n;
		st->work += n * URINGBLK_PROG_WORK_COPY;
		if (!work_charge(st))
			break;
	}
	walk_unmap(st, &w);
	return 0;
}

static u64 helper_emit(struct uringblk_prog_state *st, u64 src_addr, u32 len)
{
	const u8 *src;

	if (!len)
		return 0;
	if (len > st->out_len - st->out_cursor)
		return (u64)-ENOSPC;
	src = uringblk_prog_mem(st, src_addr, len, false);
	if (!src)
		return helper_fail(st, -EFAULT, URINGBLK_PROG_ABORT_MEM);
	/*
	 * At most URINGBLK_MAX_EXEC_OUT bytes: one charge is short enough.
	 * Nothing is written before it, so a yield there leaves the output
	 * and the cursor as they were (prog_vm.h, "Yield").
	 */
	st->work += (u64)len * URINGBLK_PROG_WORK_COPY;
	if (!work_charge(st))
		return 0;
	/* src may be the output buffer itself */
	memmove(st->out + st->out_cursor, src, len);
	st->out_cursor += len;
	return len;
}

/**
 * uringblk_prog_call_helper() - run helper @id for the interpreter
 * @st:		the run; st->pc, st->ticks, st->depth and st->out_wm are
 *		current
 * @id:		helper id, validated to be 1..URINGBLK_HELPER_MAX
 * @r1:		first argument
 * @r2:		second argument
 * @r3:		third argument
 * @r4:		fourth argument
 * @r5:		fifth argument
 *
 * Aborts by setting st->err (uringblk_prog_abort()).  If the call yields
 * (st->err is URINGBLK_PROG_YIELDED), the run's state is put back as the
 * call found it (with the interpreter: st->ticks and st->out_wm), for the
 * call to be made again when the run resumes.
 *
 * Return: the value for r0.
 */
u64 uringblk_prog_call_helper(struct uringblk_prog_state *st, u32 id,
			      u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	struct uringblk_prog_call *c = &st->call;
	u64 ret;

	c->reserve = st->reserve;
	c->bytes_scanned = st->bytes_scanned;
	c->pat_len = st->pat_len;
	st->call_work = st->work;
	st->call_units = 0;
	st->call_dirty = false;
	st->in_call = true;
	st->work += URINGBLK_PROG_WORK_CALL;
	switch (id) {
	case URINGBLK_HELPER_READ:
		ret = helper_read(st, r1, r2, (u32)r3);
		break;
	case URINGBLK_HELPER_EMIT:
		ret = helper_emit(st, r1, (u32)r2);
		break;
	case URINGBLK_HELPER_COUNT_PATTERN:
		ret = uringblk_prog_pattern_scan(st, r1, r2, r3, (u32)r4, false);
		break;
	case URINGBLK_HELPER_SUM_U32:
		ret = uringblk_prog_sum_u32(st, r1, r2);
		break;
	case URINGBLK_HELPER_HISTOGRAM:
		ret = uringblk_prog_histogram(st, r1, r2, r3);
		break;
	case URINGBLK_HELPER_FIND:
		ret = uringblk_prog_pattern_scan(st, r1, r2, r3, (u32)r4, true);
		break;
	case URINGBLK_HELPER_REC_FIELDS:
		ret = uringblk_prog_rec_fields(st, r1, r2, r3, (u32)r4);
		break;
	case URINGBLK_HELPER_PARSE_NUM:
		ret = uringblk_prog_parse_num(st, r1, (u32)r2, (u32)r3);
		break;
	case URINGBLK_HELPER_REC_PARSE:
		ret = uringblk_prog_rec_parse(st, r1, r2, r3, r4);
		break;
	case URINGBLK_HELPER_DOT_I8:
	case URINGBLK_HELPER_L2SQ_I8:
		ret = uringblk_prog_vec_i8(st, r1, r2, (u32)r3, (u32)r4, r5,
					   id == URINGBLK_HELPER_L2SQ_I8);
		break;
	default:
		/* unreachable for validated programs */
		ret = helper_fail(st, -EINVAL, URINGBLK_PROG_ABORT_ARG);
	}
	/* what is left: the call's own steps if nothing charged them */
	work_charge(st);
	st->in_call = false;
	if (likely(st->err != URINGBLK_PROG_YIELDED)) {
		st->call_again = false;
		return ret;
	}
	/*
	 * Made again from its start on resume, as if it had never run; the
	 * interpreter puts back ticks and the output high mark.
	 */
	st->reserve = c->reserve;
	st->work = st->call_work;
	st->bytes_scanned = c->bytes_scanned;
	st->pat_len = c->pat_len;
	st->call_again = true;
	return 0;
}
