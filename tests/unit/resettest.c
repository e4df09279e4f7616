// SPDX-License-Identifier: GPL-2.0
/*
 * No run sees anything of an earlier one, whatever engine ran it
 * (uringblk_prog_run_start(), prog_vm.h): every engine's runs are made on a
 * fresh (zeroed) run state, then on the same state after each of these
 * "dirtiers":
 *
 *   poison     every byte of the state 0xa5 (a state "need not be
 *              initialised");
 *   scribble   an eBPF run that fills every stack frame, the whole output
 *              buffer and its writable globals with non-zero bytes, and
 *              leaves the helpers' pattern cache and histogram tables
 *              full (with the very pattern the runs below search, so a
 *              kept cache would change their charge);
 *   aborted    the same, stopped by its budget in the middle of a helper
 *              call;
 *   stopped    the same, yielded inside a helper call and then stopped
 *              (uringblk_prog_stop());
 *   native     each device-defined program (prog_native.c), with other
 *              buffers and arguments;
 *   kbpf       a kernel-BPF-like run (insns NULL, host pointers) that
 *              fills the scratch (the stack) and calls helpers.
 *
 * Each run after a dirtier must report exactly what it reports on a fresh
 * state (every field of struct uringblk_prog_result, the whole output
 * buffer, the writable globals) and make the same calls to the embedder
 * (yields, reschedule points, map calls).  The engines' runs:
 *
 *   eBPF       "observe": ORs every word of its output buffer and of all
 *              eight stack frames into r0 (must be 0), then copies its
 *              ctx and its globals region into the output, which must
 *              hold the addresses and lengths the VM sets (rsvd zero),
 *              the .rodata, the .data and a zeroed .bss; "helpers":
 *              count_pattern, find, histogram and emit, once run
 *              straight and once asked to yield at every charge;
 *   native     count_pattern, grep, checksum, histogram, sum_records;
 *   kbpf       the ctx a kernel-BPF program gets (no program addresses),
 *              an all-zero scratch (uringblk_kf_scratch() is the stack),
 *              and helper calls with kernel pointers.
 *
 * usage: resettest (prints "resettest: N checks passed, N failed")
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "asm.h"
#include "memenv.h"
#include "../../driver/sandbox/prog_native.h"

#define DATA_LEN	(3 * 4096 + 77)
#define OUT_LEN		4096
#define RO_LEN		16
#define DATA_INIT	16
#define RW_LEN		32		/* .data + 16 bytes of .bss */
#define MEM_LEN		64
#define PAT		"needle"

static struct uringblk_prog_state st;
static u8 data[DATA_LEN];
static u8 out[OUT_LEN] __attribute__((aligned(8)));
static u8 rodata[RO_LEN], init_data[DATA_INIT];
static u8 rw[RW_LEN] __attribute__((aligned(8)));
static u8 mem[MEM_LEN] __attribute__((aligned(8)));
static int passed, failed;

#include "../check.h"

/* ---- eBPF programs ---- */

/* ctx offsets (struct uringblk_prog_ctx) */
#define CTX_OUT_LEN	"28"
#define CTX_OUT		"32"
#define CTX_GLOBALS	"88"
#define CTX_GLOBALS_LEN	"96"

/*
 * r0 = OR of the output buffer's words and of every stack frame's; the
 * ctx goes to out[0, 128), the globals region to out[128, ...).
 */
static const char observe_src[] =
	"mov r6, r1\n"
	"mov r7, 0\n"
	"ldxdw r2, [r6+" CTX_OUT "]\n"
	"ldxw r3, [r6+" CTX_OUT_LEN "]\n"
	"add r3, r2\n"
	"oloop:\n"
	"jge r2, r3, odone\n"
	"ldxdw r4, [r2+0]\n"
	"or r7, r4\n"
	"add r2, 8\n"
	"ja oloop\n"
	"odone:\n"
	"mov r2, r10\n"
	"sub r2, 512\n"
	"sloop:\n"
	"jge r2, r10, sdone\n"
	"ldxdw r4, [r2+0]\n"
	"or r7, r4\n"
	"add r2, 8\n"
	"ja sloop\n"
	"sdone:\n"
	"mov r1, 6\n"		/* frames 1..7 */
	"call local frame\n"
	"or r7, r0\n"
	"ldxdw r2, [r6+" CTX_OUT "]\n"
	"mov r3, 0\n"
	"cloop:\n"
	"jge r3, 128, cdone\n"
	"mov r4, r6\n"
	"add r4, r3\n"
	"ldxdw r5, [r4+0]\n"
	"mov r4, r2\n"
	"add r4, r3\n"
	"stxdw [r4+0], r5\n"
	"add r3, 8\n"
	"ja cloop\n"
	"cdone:\n"
	"ldxdw r8, [r6+" CTX_GLOBALS "]\n"
	"ldxdw r9, [r6+" CTX_GLOBALS_LEN "]\n"
	"mov r3, 0\n"
	"gloop:\n"
	"jge r3, r9, gdone\n"
	"mov r4, r8\n"
	"add r4, r3\n"
	"ldxdw r5, [r4+0]\n"
	"mov r4, r2\n"
	"add r4, r3\n"
	"stxdw [r4+128], r5\n"
	"add r3, 8\n"
	"ja gloop\n"
	"gdone:\n"
	"mov r0, r7\n"
	"exit\n"
	/* r1 = frames still to go below this one */
	"frame:\n"
	"mov r6, r1\n"
	"mov r0, 0\n"
	"mov r2, r10\n"
	"sub r2, 512\n"
	"floop:\n"
	"jge r2, r10, fdone\n"
	"ldxdw r3, [r2+0]\n"
	"or r0, r3\n"
	"add r2, 8\n"
	"ja floop\n"
	"fdone:\n"
	"jeq r6, 0, fret\n"
	"mov r7, r0\n"
	"mov r1, r6\n"
	"sub r1, 1\n"
	"call local frame\n"
	"or r0, r7\n"
	"fret:\n"
	"exit\n";

/*
 * Every frame, the output buffer and the writable globals non-zero; then
 * the helpers that keep scratch in the state: find (the pattern cache)
 * and histogram over more than 1 KiB (the u32 tables).  Pattern PAT at
 * [r10-8].
 */
static const char scribble_src[] =
	"mov r6, r1\n"
	"ldxdw r2, [r6+" CTX_OUT "]\n"
	"ldxw r3, [r6+" CTX_OUT_LEN "]\n"
	"add r3, r2\n"
	"lddw r5, 0x5a5a5a5a5a5a5a5a\n"
	"oloop:\n"
	"jge r2, r3, odone\n"
	"stxdw [r2+0], r5\n"
	"add r2, 8\n"
	"ja oloop\n"
	"odone:\n"
	"ldxdw r2, [r6+" CTX_GLOBALS "]\n"
	"ldxdw r3, [r6+" CTX_GLOBALS_LEN "]\n"
	"add r3, r2\n"
	"add r2, 16\n"		/* past .rodata */
	"gloop:\n"
	"jge r2, r3, gdone\n"
	"stxdw [r2+0], r5\n"
	"add r2, 8\n"
	"ja gloop\n"
	"gdone:\n"
	"mov r2, r10\n"		/* frame 0 */
	"sub r2, 512\n"
	"sloop:\n"
	"jge r2, r10, sdone\n"
	"stxdw [r2+0], r5\n"
	"add r2, 8\n"
	"ja sloop\n"
	"sdone:\n"
	"mov r1, 6\n"		/* frames 1..7 */
	"call local fill\n"
	"lddw r1, 0x656c6465656e\n"	/* "needle" */
	"stxdw [r10-8], r1\n"
	"mov r1, 0\n"
	"ldxdw r2, [r6+16]\n"	/* data_len */
	"mov r3, r10\n"
	"sub r3, 8\n"
	"mov r4, 6\n"
	"call 6\n"		/* find */
	"mov r1, 0\n"
	"ldxdw r2, [r6+16]\n"
	"ldxdw r3, [r6+" CTX_OUT "]\n"
	"call 5\n"		/* histogram into out */
	"exit\n"
	/* r1 = frames still to go: fill this one, then those below */
	"fill:\n"
	"mov r6, r1\n"
	"mov r2, r10\n"
	"sub r2, 512\n"
	"lddw r5, 0x5a5a5a5a5a5a5a5a\n"
	"floop:\n"
	"jge r2, r10, fdone\n"
	"stxdw [r2+0], r5\n"
	"add r2, 8\n"
	"ja floop\n"
	"fdone:\n"
	"jeq r6, 0, fret\n"
	"mov r1, r6\n"
	"sub r1, 1\n"
	"call local fill\n"
	"fret:\n"
	"exit\n";

/* Helper calls whose charge a kept pattern cache would change. */
static const char helpers_src[] =
	"mov r6, r1\n"
	"lddw r1, 0x656c6465656e\n"	/* "needle" */
	"stxdw [r10-8], r1\n"
	"mov r1, 0\n"
	"ldxdw r2, [r6+16]\n"
	"mov r3, r10\n"
	"sub r3, 8\n"
	"mov r4, 6\n"
	"call 3\n"		/* count_pattern */
	"mov r7, r0\n"
	"mov r1, 100\n"
	"ldxdw r2, [r6+16]\n"
	"sub r2, 100\n"
	"mov r3, r10\n"
	"sub r3, 8\n"
	"mov r4, 6\n"
	"call 6\n"		/* find */
	"add r7, r0\n"
	"mov r1, 0\n"
	"ldxdw r2, [r6+16]\n"
	"ldxdw r3, [r6+" CTX_OUT "]\n"
	"call 5\n"		/* histogram into out[0, 2048) */
	"add r7, r0\n"
	"stxdw [r10-16], r7\n"
	"mov r1, r10\n"
	"sub r1, 16\n"
	"mov r2, 8\n"
	"call 2\n"		/* emit, over the first bin */
	"mov r0, r7\n"
	"exit\n";

struct asmprog {
	const char *name;
	const char *src;
	struct bpf_insn insns[256];
	int len;
};

static struct asmprog observe = { .name = "observe", .src = observe_src };
static struct asmprog scribble = { .name = "scribble", .src = scribble_src };
static struct asmprog helpers = { .name = "helpers", .src = helpers_src };

static void assemble(struct asmprog *p)
{
	char err[256], msg[256];

	p->len = asm_text(p->src, p->insns, 256, err, sizeof(err));
	if (p->len < 0) {
		fprintf(stderr, "%s: assembler: %s\n", p->name, err);
		exit(2);
	}
	if (uringblk_prog_verify(p->insns, p->len, msg, sizeof(msg))) {
		fprintf(stderr, "%s: refused: %s\n", p->name, msg);
		exit(2);
	}
}

/* ---- the environment: the same buffers for every run ---- */

static struct memenv menv;
static struct uringblk_prog_env env;

static void env_setup(u64 budget)
{
	memenv_init(&menv, &env, data, DATA_LEN, out, OUT_LEN, budget);
	env.ctx.lba_start = 3;
	env.ctx.args[0] = 0x1111;
	env.rodata = rodata;
	env.rodata_len = RO_LEN;
	env.data = init_data;
	env.data_len = DATA_INIT;
	env.globals_rw = rw;
	env.rw_len = RW_LEN;
	env.mem = mem;
	env.mem_len = MEM_LEN;
	/* everything but rsvd, which the VM must clear */
	memset(env.ctx.rsvd, 0xee, sizeof(env.ctx.rsvd));
	env.ctx.out = 0xbad1;
	env.ctx.mem = 0xbad2;
	env.ctx.mem_len = 0xbad3;
	env.ctx.globals = 0xbad4;
	env.ctx.globals_len = 0xbad5;
}

/* ---- one run of each engine ---- */

struct outcome {
	int ret;
	struct uringblk_prog_result res;
	u8 out[OUT_LEN];
	u8 rw[RW_LEN];
	/* what the embedder saw: yields, reschedule points, map calls */
	int yields, resched_calls, map_calls, bad_calls;
	struct uringblk_prog_ctx ctx;	/* kbpf: what the program gets */
	bool scratch_zero;		/* kbpf: uringblk_kf_scratch() bytes */
};

static void run_ebpf(const struct asmprog *p, struct outcome *o)
{
	env_setup(1ULL << 30);
	o->ret = memenv_run(&st, p->insns, &env, &menv, &o->res);
}

static void run_native(const char *name, u64 a0, u64 a1, u64 a2,
		       struct outcome *o)
{
	const struct uringblk_native_prog *np = uringblk_native_find(name);

	env_setup(1ULL << 30);
	env.rodata = NULL;
	env.rodata_len = 0;
	env.globals_rw = NULL;
	env.rw_len = 0;
	env.ctx.args[0] = a0;
	env.ctx.args[1] = a1;
	env.ctx.args[2] = a2;
	if (!strcmp(name, "count_pattern") || !strcmp(name, "grep"))
		memcpy(&env.ctx.args[0], PAT, 6);
	o->ret = np->run(&st, &env, &o->res);
}

/* As kbpf.c's uringblk_kbpf_run(), without the kernel's program. */
static void run_kbpf(struct outcome *o)
{
	static const char pat[] = PAT;
	u64 r, sum = 0;
	size_t i;

	env_setup(1ULL << 30);
	env.rodata = NULL;
	env.rodata_len = 0;
	env.globals_rw = NULL;
	env.rw_len = 0;
	env.host_ptrs = 1;
	uringblk_prog_run_start(&st, NULL, &env);
	o->ctx = st.ctx;
	o->scratch_zero = true;
	for (i = 0; i < URINGBLK_KBPF_SCRATCH; i++)
		if (st.stack[i])
			o->scratch_zero = false;
	sum += uringblk_prog_call_helper(&st, URINGBLK_HELPER_COUNT_PATTERN, 0,
					 DATA_LEN, (uintptr_t)pat, 6, 0);
	sum += uringblk_prog_call_helper(&st, URINGBLK_HELPER_FIND, 0,
					 DATA_LEN, (uintptr_t)pat, 6, 0);
	sum += uringblk_prog_call_helper(&st, URINGBLK_HELPER_HISTOGRAM, 0,
					 DATA_LEN, (uintptr_t)st.out, 0, 0);
	r = sum;
	uringblk_prog_call_helper(&st, URINGBLK_HELPER_EMIT, (uintptr_t)&r, 8,
				  0, 0, 0);
	/* and leaves its scratch dirty, as a program may */
	memset(st.stack, 0x5a, URINGBLK_KBPF_SCRATCH);
	uringblk_prog_fill_result(&st, sum, &o->res);
	o->ret = o->res.err;
}

/* ---- the runs checked, and what may come before them ---- */

enum engine { EBPF_OBSERVE, EBPF_HELPERS, EBPF_YIELDING, NATIVE, KBPF };

struct checked {
	const char *name;
	enum engine engine;
	const char *native;
	u64 args[3];
};

static const struct checked checked[] = {
	{ .name = "eBPF observe", .engine = EBPF_OBSERVE },
	{ .name = "eBPF helpers", .engine = EBPF_HELPERS },
	{ .name = "eBPF helpers, yielding", .engine = EBPF_YIELDING },
	{ .name = "native count_pattern", .engine = NATIVE,
	  .native = "count_pattern", .args = { 0, 0, 6 } },
	{ .name = "native grep", .engine = NATIVE, .native = "grep",
	  .args = { 0, 0, 6 } },
	{ .name = "native checksum", .engine = NATIVE, .native = "checksum",
	  .args = { 1 } },
	{ .name = "native histogram", .engine = NATIVE, .native = "histogram" },
	{ .name = "native sum_records", .engine = NATIVE,
	  .native = "sum_records", .args = { 16, 4, 4 } },
	{ .name = "kbpf", .engine = KBPF },
};

static void run_checked(const struct checked *c, struct outcome *o)
{
	memset(o, 0, sizeof(*o));
	switch (c->engine) {
	case EBPF_OBSERVE:
		run_ebpf(&observe, o);
		break;
	case EBPF_HELPERS:
		run_ebpf(&helpers, o);
		break;
	case EBPF_YIELDING:
		/* asked to yield at every charge, windows of 512 bytes */
		env_setup(1ULL << 30);
		env.resched_every = 1;
		menv.yield_resched = true;
		menv.chunk = 512;
		o->ret = memenv_run(&st, helpers.insns, &env, &menv, &o->res);
		break;
	case NATIVE:
		run_native(c->native, c->args[0], c->args[1], c->args[2], o);
		break;
	case KBPF:
		run_kbpf(o);
		break;
	}
	memcpy(o->out, out, OUT_LEN);
	memcpy(o->rw, rw, RW_LEN);
	o->yields = menv.yields;
	o->resched_calls = menv.resched_calls;
	o->map_calls = menv.map_calls;
	o->bad_calls = menv.bad_calls;
}

/*
 * Leave the state (and the buffers the runs share) as dirty as a run of
 * another program may: see the top of the file.
 */
static void dirty(int how)
{
	struct uringblk_prog_result res;
	static u8 other_out[OUT_LEN + 512];
	int d;
	const struct uringblk_native_prog *np;
	u64 need;

	switch (how) {
	case 0:		/* poison */
		memset(&st, 0xa5, sizeof(st));
		break;
	case 1:		/* scribble */
	case 2:		/* aborted by its budget in its last (histogram) call */
		env_setup(1ULL << 30);
		if (uringblk_prog_run(&st, scribble.insns, &env, &res)) {
			fprintf(stderr, "resettest: scribble failed: %d at %u\n",
				res.err, res.abort_pc);
			exit(2);
		}
		if (how == 1)
			break;
		/* the largest budget that stops it in a helper call */
		for (need = res.insns - 1; need; need--) {
			env_setup(need);
			uringblk_prog_run(&st, scribble.insns, &env, &res);
			if (scribble.insns[res.abort_pc].code ==
			    (BPF_JMP | BPF_CALL) &&
			    !scribble.insns[res.abort_pc].src_reg)
				break;
		}
		if (res.err != -ETIME || !need) {
			fprintf(stderr, "resettest: the aborted dirtier did not "
				"stop in a helper call: err %d, pc %u\n",
				res.err, res.abort_pc);
			exit(2);
		}
		break;
	case 3:		/* yielded in a helper call, then stopped */
		env_setup(1ULL << 30);
		env.resched_every = 1;
		menv.yield_resched = true;
		menv.chunk = 512;
		d = uringblk_prog_run(&st, scribble.insns, &env, &res);
		while (d == URINGBLK_PROG_YIELDED && !st.call_again)
			d = uringblk_prog_resume(&st, &env, &res);
		if (d != URINGBLK_PROG_YIELDED)
			fprintf(stderr, "resettest: the stopped dirtier did not "
				"yield in a helper call\n"), exit(2);
		uringblk_prog_stop(&st, -ENODEV, &res);
		break;
	case 4 ... 8:	/* native, another output buffer and arguments */
		np = &uringblk_native_progs[how - 4];
		memenv_init(&menv, &env, data, DATA_LEN, other_out,
			    sizeof(other_out), 1ULL << 30);
		env.ctx.args[0] = 8;
		env.ctx.args[1] = 2;
		env.ctx.args[2] = 2;
		np->run(&st, &env, &res);
		memset(out, 0x5a, OUT_LEN);
		break;
	case 9:		/* kbpf */
		run_kbpf(&(struct outcome){ 0 });
		memset(out, 0x5a, OUT_LEN);
		break;
	}
}

static const char *const dirty_name[] = {
	"poison", "scribble", "aborted", "stopped",
	"native 0", "native 1", "native 2", "native 3", "native 4", "kbpf",
};
#define NR_DIRTY	((int)(sizeof(dirty_name) / sizeof(dirty_name[0])))

/* What the observer must have seen, on any state. */
static void check_observe(const char *when, const struct outcome *o)
{
	struct uringblk_prog_ctx want, got;

	memcpy(&got, o->out, sizeof(got));
	want = env.ctx;
	want.out = URINGBLK_PROG_OUT_ADDR;
	want.out_len = OUT_LEN;
	want.mem = URINGBLK_PROG_MEM_ADDR;
	want.mem_len = MEM_LEN;
	want.globals = URINGBLK_PROG_GLOBAL_ADDR;
	want.globals_len = RO_LEN + RW_LEN;
	memset(want.rsvd, 0, sizeof(want.rsvd));
	CHECK(o->ret == 0 && o->res.ret == 0, "%s: observe: err %d, r0 %#llx "
	      "(non-zero stack or output bytes)", when, o->ret,
	      (unsigned long long)o->res.ret);
	CHECK(!memcmp(&got, &want, sizeof(want)),
	      "%s: observe: ctx differs from the VM's", when);
	CHECK(!memcmp(o->out + 128, rodata, RO_LEN) &&
	      !memcmp(o->out + 128 + RO_LEN, init_data, DATA_INIT) &&
	      !memcmp(o->out + 128 + RO_LEN + DATA_INIT,
		      "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", RW_LEN - DATA_INIT),
	      "%s: observe: globals are not .rodata, .data, zeroed .bss", when);
}

static void check_kbpf(const char *when, const struct outcome *o)
{
	struct uringblk_prog_ctx want = env.ctx;

	want.out = 0;
	want.out_len = OUT_LEN;
	want.mem = 0;
	want.mem_len = MEM_LEN;
	want.globals = 0;
	want.globals_len = 0;
	memset(want.rsvd, 0, sizeof(want.rsvd));
	CHECK(!memcmp(&o->ctx, &want, sizeof(want)),
	      "%s: kbpf: ctx differs", when);
	CHECK(o->scratch_zero, "%s: kbpf: scratch not zeroed", when);
	CHECK(st.mem == mem && st.mem_len == MEM_LEN,
	      "%s: kbpf: mem region not the run's", when);
}

static void check_same(const struct checked *c, const char *when,
		       const struct outcome *fresh, const struct outcome *o)
{
	const char *name = c->name;

	CHECK(o->ret == fresh->ret, "%s after %s: returned %d, fresh %d",
	      name, when, o->ret, fresh->ret);
	CHECK(!memcmp(&o->res, &fresh->res, sizeof(o->res)),
	      "%s after %s: result differs: err %d/%d insns %llu/%llu "
	      "scanned %llu/%llu out_used %llu/%llu ret %#llx/%#llx", name, when,
	      o->res.err, fresh->res.err, (unsigned long long)o->res.insns,
	      (unsigned long long)fresh->res.insns,
	      (unsigned long long)o->res.bytes_scanned,
	      (unsigned long long)fresh->res.bytes_scanned,
	      (unsigned long long)o->res.out_used,
	      (unsigned long long)fresh->res.out_used,
	      (unsigned long long)o->res.ret,
	      (unsigned long long)fresh->res.ret);
	CHECK(!memcmp(o->out, fresh->out, OUT_LEN),
	      "%s after %s: output differs", name, when);
	CHECK(o->yields == fresh->yields &&
	      o->resched_calls == fresh->resched_calls &&
	      o->map_calls == fresh->map_calls && !o->bad_calls,
	      "%s after %s: the embedder saw %d yields, %d resched and %d map "
	      "calls (%d bad); fresh %d, %d, %d", name, when, o->yields,
	      o->resched_calls, o->map_calls, o->bad_calls, fresh->yields,
	      fresh->resched_calls, fresh->map_calls);
	/* only eBPF runs have globals */
	if (c->engine != NATIVE && c->engine != KBPF)
		CHECK(!memcmp(o->rw, fresh->rw, RW_LEN),
		      "%s after %s: writable globals differ", name, when);
}

int main(void)
{
	static struct outcome fresh, o;
	size_t i;
	int d;

	assemble(&observe);
	assemble(&scribble);
	assemble(&helpers);
	srand(51);
	for (i = 0; i < DATA_LEN; i++)
		data[i] = "needle\nhay,12,345,6\n"[rand() % 20];
	for (i = 0; i < RO_LEN; i++)
		rodata[i] = 0x10 + i;
	for (i = 0; i < DATA_INIT; i++)
		init_data[i] = 0x40 + i;

	for (i = 0; i < sizeof(checked) / sizeof(checked[0]); i++) {
		const struct checked *c = &checked[i];

		memset(&st, 0, sizeof(st));
		memset(rw, 0, sizeof(rw));
		run_checked(c, &fresh);
		CHECK(fresh.ret == 0, "%s: fresh run failed: %d", c->name,
		      fresh.ret);
		if (c->engine == EBPF_OBSERVE)
			check_observe("fresh", &fresh);
		if (c->engine == KBPF)
			check_kbpf("fresh", &fresh);
		for (d = 0; d < NR_DIRTY; d++) {
			dirty(d);
			run_checked(c, &o);
			check_same(c, dirty_name[d], &fresh, &o);
			if (c->engine == EBPF_OBSERVE)
				check_observe(dirty_name[d], &o);
			if (c->engine == KBPF)
				check_kbpf(dirty_name[d], &o);
			/* the same run twice in a row */
			run_checked(c, &o);
			check_same(c, "itself", &fresh, &o);
		}
	}
	printf("resettest: %d checks passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
