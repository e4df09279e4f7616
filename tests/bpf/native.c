// SPDX-License-Identifier: GPL-2.0
/*
 * The drive's device-defined programs (driver/sandbox/prog_native.c) against
 * their eBPF twins (bpf/<name>.bpf.o, loaded as the CLI loads them and run in
 * the drive's own VM), on the same data through the same embedder
 * (tests/unit/memenv.h): random bytes, text with planted patterns (across
 * window boundaries too), zeroes and runs of one byte; sizes from 0 up,
 * odd ones included; windows of the whole range, 4 KiB, and 1, 3, 7, 13
 * and 64 bytes; every argument error; output buffers too small; budgets
 * that run out; read faults; reschedule points that stop the run; yields.
 *
 * Required of every pair (prog_native.h, "Same program, same answer"):
 * the same r0, errno, abort code, out_used and output bytes (the whole
 * buffer), the same bytes_scanned and bytes_emitted on success, a native
 * charge no larger than the twin's and within uringblk_native_work_bound();
 * a budget one unit short of the native run's need stops both with
 * -ETIME, their outputs then agreeing as far as both go; a read fault
 * stops both with the same errno and output.  Native windows are exact
 * heap copies (memenv copy mode), so ASan sees a read past one.
 *
 * usage: native <dir of bpf/ objects>
 */
#include <stdint.h>
#include <stdlib.h>

#include "../unit/memenv.h"
#include "../../driver/sandbox/prog_native.h"
#include <liburingblk.h>

#define BIG		(300 * 1024 + 5)
#define UNLIMITED	(1ULL << 40)

static u8 *data;			/* the current data set, BIG bytes */
static u8 sets[4][BIG];
static u8 out_t[70000], out_n[70000];	/* twin's and native's output */
static struct uringblk_prog_state st_t, st_n;
static int passed, failed;
static const char *ctx_desc;		/* what the current pair runs */

#define CHECK_REPORTS	40
#define CHECK_CONTEXT()	fprintf(stderr, " (%s)", ctx_desc)
#include "../check.h"

struct twin {
	const char *name;
	struct bpf_insn *insns;
	unsigned int cnt;
	const struct uringblk_native_prog *nat;
};
static struct twin twins[5];

/* One run's setup, shared by both sides. */
struct setup {
	u64 len;
	u64 chunk;		/* window granularity (0: whole, up to 64 KiB) */
	u64 args[4];
	u32 out_len;
	u64 budget;
	u64 fail_at;		/* ~0: no fault */
	int stop_after;		/* resched call that stops the run, 0: none */
	u32 resched_every;
};

struct outcome {
	struct uringblk_prog_result r;
	int ret;
	int bad_calls, maps, unmaps;
};

static void env_for(const struct setup *s, struct memenv *m,
		    struct uringblk_prog_env *env, u8 *out)
{
	memenv_init(m, env, data, s->len, out, s->out_len, s->budget);
	m->chunk = s->chunk;
	m->fail_at = s->fail_at;
	m->stop_after = s->stop_after;
	env->resched_every = s->resched_every;
	memcpy(env->ctx.args, s->args, sizeof(env->ctx.args));
	/* poison: a run must zero its output first */
	memset(out, 0xa5, sizeof(out_t));
}

static struct outcome run_twin(const struct twin *t, const struct setup *s)
{
	struct uringblk_prog_env env;
	struct outcome o = { 0 };
	struct memenv m;

	env_for(s, &m, &env, out_t);
	o.ret = uringblk_prog_run(&st_t, t->insns, &env, &o.r);
	o.bad_calls = m.bad_calls;
	o.maps = m.maps;
	o.unmaps = m.unmaps;
	return o;
}

static struct outcome run_native(const struct twin *t, const struct setup *s)
{
	struct uringblk_prog_env env;
	struct outcome o = { 0 };
	struct memenv m;

	env_for(s, &m, &env, out_n);
	m.copy = true;		/* exact-size windows: ASan sees overreads */
	o.ret = t->nat->run(&st_n, &env, &o.r);
	o.bad_calls = m.bad_calls;
	o.maps = m.maps;
	o.unmaps = m.unmaps;
	memenv_fini(&m);
	return o;
}

static bool same_out(u64 n)
{
	return !memcmp(out_t, out_n, n);
}

static const char *describe(const struct twin *t, const struct setup *s)
{
	static char buf[256];

	snprintf(buf, sizeof(buf),
		 "%s len %llu chunk %llu args %#llx/%#llx/%#llx out %u budget %llu fail_at %lld",
		 t->name, (unsigned long long)s->len,
		 (unsigned long long)s->chunk,
		 (unsigned long long)s->args[0], (unsigned long long)s->args[1],
		 (unsigned long long)s->args[2], s->out_len,
		 (unsigned long long)s->budget, (long long)s->fail_at);
	return buf;
}

static void check_embedder(const struct outcome *o, const char *who)
{
	CHECK(!o->bad_calls && o->maps == o->unmaps,
	      "%s: bad map calls %d, maps %d unmaps %d", who, o->bad_calls,
	      o->maps, o->unmaps);
}

/*
 * The pair on @s (unlimited budget unless set): same answer; then the
 * budget one unit short of the native need, and half of it.
 */
static void pair(const struct twin *t, struct setup s)
{
	struct outcome a, b;
	struct uringblk_prog_env env;
	struct memenv m;
	u64 need, used_full;

	ctx_desc = describe(t, &s);
	a = run_twin(t, &s);
	b = run_native(t, &s);
	check_embedder(&a, "twin");
	check_embedder(&b, "native");
	CHECK(a.ret == a.r.err && b.ret == b.r.err, "returns %d/%d", a.ret,
	      b.ret);
	CHECK(a.r.ret == b.r.ret && a.r.err == b.r.err &&
	      a.r.abort_code == b.r.abort_code,
	      "r0 %#llx/%#llx err %d/%d code %u/%u",
	      (unsigned long long)a.r.ret, (unsigned long long)b.r.ret,
	      a.r.err, b.r.err, a.r.abort_code, b.r.abort_code);
	if (a.r.err == -ETIME || b.r.err == -ETIME)
		return;		/* a budget set by the caller: see below */
	CHECK(a.r.out_used == b.r.out_used && same_out(sizeof(out_t)),
	      "output %llu/%llu bytes, or its contents, differ",
	      (unsigned long long)a.r.out_used, (unsigned long long)b.r.out_used);
	CHECK(b.r.abort_pc == 0, "native abort_pc %u", b.r.abort_pc);
	if (!a.r.err) {
		CHECK(a.r.bytes_scanned == b.r.bytes_scanned &&
		      a.r.bytes_emitted == b.r.bytes_emitted,
		      "scanned %llu/%llu emitted %llu/%llu",
		      (unsigned long long)a.r.bytes_scanned,
		      (unsigned long long)b.r.bytes_scanned,
		      (unsigned long long)a.r.bytes_emitted,
		      (unsigned long long)b.r.bytes_emitted);
	}
	if (b.r.err == -EINVAL && s.budget == UNLIMITED) {
		/* bad arguments: -EINVAL whatever the budget, as the twin */
		s.budget = 0;
		ctx_desc = describe(t, &s);
		a = run_twin(t, &s);
		b = run_native(t, &s);
		CHECK(a.r.err == -EINVAL && b.r.err == -EINVAL,
		      "budget 0: err %d/%d", a.r.err, b.r.err);
		return;
	}
	if (s.fail_at != ~0ULL || s.stop_after || s.budget != UNLIMITED ||
	    b.r.err)
		return;
	/* the charge: never above the twin's, within the announced bound */
	CHECK(b.r.insns <= a.r.insns, "native charged %llu units, twin %llu",
	      (unsigned long long)b.r.insns, (unsigned long long)a.r.insns);
	if (s.chunk == 0 || s.chunk % URINGBLK_NATIVE_BOUND_WINDOW == 0) {
		memenv_init(&m, &env, data, s.len, out_n, s.out_len, 0);
		memcpy(env.ctx.args, s.args, sizeof(env.ctx.args));
		CHECK(b.r.insns <= uringblk_native_work_bound(t->nat, &env),
		      "charged %llu, bound %llu", (unsigned long long)b.r.insns,
		      (unsigned long long)uringblk_native_work_bound(t->nat, &env));
	}
	/* budgets that run out: both stop with -ETIME */
	need = b.r.insns;
	used_full = b.r.out_used;
	{
		static u8 full[sizeof(out_n)];
		const u64 budgets[] = { need - 1, need / 2, 1, 0 };

		memcpy(full, out_n, sizeof(full));
		for (size_t i = 0; i < sizeof(budgets) / sizeof(budgets[0]); i++) {
			u64 common;

			s.budget = budgets[i];
			ctx_desc = describe(t, &s);
			a = run_twin(t, &s);
			b = run_native(t, &s);
			check_embedder(&b, "native");
			CHECK(a.r.err == -ETIME && b.r.err == -ETIME &&
			      a.r.abort_code == URINGBLK_PROG_ABORT_BUDGET &&
			      b.r.abort_code == URINGBLK_PROG_ABORT_BUDGET &&
			      a.r.ret == 0 && b.r.ret == 0,
			      "err %d/%d code %u/%u r0 %#llx/%#llx", a.r.err,
			      b.r.err, a.r.abort_code, b.r.abort_code,
			      (unsigned long long)a.r.ret,
			      (unsigned long long)b.r.ret);
			CHECK(b.r.insns <= s.budget + URINGBLK_PROG_MAP_COST +
			      2 * URINGBLK_PROG_PIECE,
			      "native overshot budget %llu: %llu",
			      (unsigned long long)s.budget,
			      (unsigned long long)b.r.insns);
			/* grep's offsets so far: a prefix of the full output */
			if (!strcmp(t->name, "grep")) {
				common = a.r.out_used < b.r.out_used ?
					 a.r.out_used : b.r.out_used;
				CHECK(same_out(common) &&
				      !memcmp(out_n, full, b.r.out_used) &&
				      b.r.out_used <= used_full,
				      "aborted grep output not a prefix");
			}
		}
	}
}

/* Native yields: a restart gives exactly the run without yields. */
static void yields(const struct twin *t, const struct setup *s)
{
	struct uringblk_prog_result r0, r1;
	struct uringblk_prog_env env;
	struct memenv m;
	static u8 first[sizeof(out_n)];
	int ret;

	ctx_desc = describe(t, s);
	env_for(s, &m, &env, out_n);
	ret = t->nat->run(&st_n, &env, &r0);
	CHECK(ret == r0.err, "run %d", ret);
	memcpy(first, out_n, sizeof(first));

	for (int how = 0; how < 2; how++) {
		env_for(s, &m, &env, out_n);
		if (how == 0) {
			m.yield_resched = true;
			env.resched_every = 16;
		} else {
			m.refused = calloc(1, s->len / 8 + 1);
		}
		memset(&r1, 0x5a, sizeof(r1));
		ret = t->nat->run(&st_n, &env, &r1);
		if (ret == URINGBLK_PROG_YIELDED) {
			struct uringblk_prog_result rs;

			CHECK(m.maps == m.unmaps, "window left mapped at a yield");
			/* stopped instead (the device went away) */
			memset(&rs, 0x5a, sizeof(rs));
			uringblk_prog_stop(&st_n, -ENODEV, &rs);
			CHECK(rs.err == -ENODEV && rs.ret == 0 && rs.abort_pc == 0 &&
			      rs.abort_code == URINGBLK_PROG_ABORT_STOPPED &&
			      rs.out_used <= s->out_len,
			      "stopped: err %d code %u", rs.err, rs.abort_code);
			/* the restart, with ops that do not yield */
			m.yield_resched = false;
			free(m.refused);
			m.refused = NULL;
			ret = t->nat->run(&st_n, &env, &r1);
		} else {
			/* nothing to yield at: too short, or bad args */
			CHECK(how == 1 ? !m.map_calls : r0.insns <= 16,
			      "did not yield (%d), %d map calls, %llu units",
			      ret, m.map_calls, (unsigned long long)r0.insns);
		}
		CHECK(ret == r1.err && !memcmp(&r0, &r1, sizeof(r0)) &&
		      !memcmp(first, out_n, sizeof(first)),
		      "restarted run differs (%s): err %d/%d r0 %#llx/%#llx units %llu/%llu",
		      how ? "map" : "resched", r0.err, r1.err,
		      (unsigned long long)r0.ret, (unsigned long long)r1.ret,
		      (unsigned long long)r0.insns, (unsigned long long)r1.insns);
		free(m.refused);
	}
}

/* ---- data and cases ---- */

static u64 rnd_state = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return rnd_state >> 17;
}

static void make_sets(void)
{
	static const char *const words[] = {
		"the", "quick", "Alpha", "brown", "Alph", "lpha", "AlphAlpha",
		"aaaa", "fox", "\n", "drive", "AAlpha", "alpha", "over",
		"0123456789abcdef", "0123456789abcdeX",
	};
	size_t n = 0;

	for (size_t i = 0; i < BIG; i++)
		sets[0][i] = rnd();
	while (n < BIG) {
		const char *w = words[rnd() % (sizeof(words) / sizeof(words[0]))];

		for (; *w && n < BIG; w++)
			sets[1][n++] = *w;
		if (n < BIG)
			sets[1][n++] = ' ';
	}
	/* matches across page and odd-window boundaries */
	for (size_t at = 4096 - 2; at + 16 < BIG; at += 4096 + 7 * 13)
		memcpy(sets[1] + at, "Alpha", 5);
	memcpy(sets[1] + 65536 - 8, "0123456789abcdef", 16);
	/* sets[2]: zeroes (a never-written range) */
	for (size_t i = 0; i < BIG; i++)	/* runs of 'a' and 'b' */
		sets[3][i] = rnd() % 16 ? 'a' : 'b';
}

static void pack(u64 a[4], const void *pat, u64 m)
{
	memset(a, 0, 4 * sizeof(*a));
	memcpy(a, pat, m > 16 ? 16 : m);
	a[2] = m;
}

static const u64 sizes[] = {
	0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 255, 256, 257, 512, 1000,
	1023, 1024, 1025, 4095, 4096, 4097, 8192 + 3, 65536 + 12, BIG,
};
static const u64 chunks[] = { 0, 4096, 1, 3, 7, 13, 64 };

/* Windows of 1 byte over a large range take long in the VM: skip those. */
static bool too_slow(u64 len, u64 chunk, u64 per_byte)
{
	return (chunk && chunk < 64 && len > 20000) || len * per_byte > 4000000;
}

static void cases_pattern(struct twin *t, bool grep)
{
	static const char *const pats[] = {
		"Alpha", "a", "aa", "aaa", "aab", "ab", "ba", "\0\0", "\0",
		"lphaA", "AlphAlpha", "0123456789abcdef", "0123456789abcde",
		"abcdefgh", "abcdefg", " ",
	};
	static const u32 outs[] = { 70000, 0, 7, 31, 800 };
	struct setup s = { .budget = UNLIMITED, .fail_at = ~0ULL };

	for (int d = 0; d < 4; d++) {
		data = sets[d];
		for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
			for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
				s.len = sizes[z];
				s.chunk = chunks[c];
				if (too_slow(s.len, s.chunk, 1))
					continue;
				for (size_t p = 0; p < sizeof(pats) / sizeof(pats[0]); p++) {
					u64 m = strlen(pats[p]);

					m = m ? m : 2;	/* "\0\0" */
					if (p == 8)
						m = 1;
					pack(s.args, pats[p], m);
					s.out_len = grep ? outs[(p + z) % 5] : 0;
					pair(t, s);
				}
				/* a pattern taken from the data itself */
				if (s.len >= 16) {
					u64 m = 1 + rnd() % 16, at = rnd() % (s.len - m + 1);

					pack(s.args, data + at, m);
					s.out_len = grep ? 4096 : 0;
					pair(t, s);
				}
			}
		}
	}
	/* bad lengths, on any data */
	data = sets[1];
	s.len = 4096;
	s.chunk = 0;
	for (u64 m = 0; m < 4; m++) {
		const u64 bad[] = { 0, 17, 1ULL << 32, ~0ULL };

		pack(s.args, "Alpha", 5);
		s.args[2] = bad[m];
		pair(t, s);
		s.len = 0;
		pair(t, s);
		s.len = 4096;
	}
}

static void cases_checksum(struct twin *t)
{
	static const u64 algs[] = { 0, 1, 2, 3, ~0ULL, 1ULL << 32 };
	struct setup s = { .budget = UNLIMITED, .fail_at = ~0ULL };

	for (int d = 0; d < 4; d++) {
		data = sets[d];
		for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
			for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
				s.len = sizes[z];
				s.chunk = chunks[c];
				for (size_t a = 0; a < sizeof(algs) / sizeof(algs[0]); a++) {
					/* CRCs in bytecode: 27 units a byte */
					if (too_slow(s.len, s.chunk,
						     algs[a] == 1 || algs[a] == 2 ? 30 : 1))
						continue;
					memset(s.args, 0, sizeof(s.args));
					s.args[0] = algs[a];
					s.args[1] = rnd();	/* ignored */
					pair(t, s);
				}
			}
		}
	}
}

static void cases_histogram(struct twin *t)
{
	static const u32 outs[] = { 2048, 2047, 0, 4096, 2049 };
	struct setup s = { .budget = UNLIMITED, .fail_at = ~0ULL };

	for (int d = 0; d < 4; d++) {
		data = sets[d];
		for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
			for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
				s.len = sizes[z];
				s.chunk = chunks[c];
				if (too_slow(s.len, s.chunk, 1))
					continue;
				for (size_t o = 0; o < sizeof(outs) / sizeof(outs[0]); o++) {
					s.out_len = outs[o];
					pair(t, s);
				}
			}
		}
	}
}

static void cases_records(struct twin *t)
{
	static const u64 ok[][3] = {
		{ 16, 0, 8 }, { 16, 8, 4 }, { 3, 1, 2 }, { 1, 0, 1 },
		{ 24, 16, 8 }, { 256, 255, 1 }, { 257, 249, 8 }, { 7, 3, 4 },
		{ 1000, 996, 4 }, { 4096, 4095, 1 }, { 4097, 4093, 4 },
		{ 65536, 65528, 8 }, { 8, 0, 8 }, { 255, 247, 8 },
	};
	static const u64 bad[][3] = {
		{ 0, 0, 1 }, { 16, 0, 3 }, { 16, 13, 4 }, { 2, 0, 4 },
		{ 65537, 0, 1 }, { 8, ~0ULL, 8 }, { ~0ULL, 0, 8 }, { 8, 0, 0 },
		{ 8, 0, 16 }, { 16, 0, 1ULL << 33 },
	};
	static const u32 outs[] = { 16, 15, 0, 64 };
	struct setup s = { .budget = UNLIMITED, .fail_at = ~0ULL };

	for (int d = 0; d < 4; d += 3) {
		data = sets[d];
		for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
			for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
				s.len = sizes[z];
				s.chunk = chunks[c];
				if (too_slow(s.len, s.chunk, 1))
					continue;
				for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
					memcpy(s.args, ok[i], sizeof(ok[i]));
					s.out_len = outs[(i + z) % 4];
					pair(t, s);
				}
			}
		}
	}
	data = sets[0];
	s.len = 4096;
	s.chunk = 0;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(s.args, bad[i], sizeof(bad[i]));
		pair(t, s);
	}
}

/* Read faults, stops and yields, for every program. */
static void cases_stops(void)
{
	struct setup s = { .budget = UNLIMITED };
	const u64 lens[] = { 4096, 65536 + 12, 300 };
	const u64 fails[] = { 0, 1, 100, 4095, 4096, 5000, 65536, 65547 };

	data = sets[1];
	for (int ti = 0; ti < 5; ti++) {
		struct twin *t = &twins[ti];
		u64 arg_sets[3][4] = { { 0 } };

		if (!strcmp(t->name, "count_pattern") || !strcmp(t->name, "grep")) {
			pack(arg_sets[0], "Alpha", 5);
			pack(arg_sets[1], "a", 1);
			pack(arg_sets[2], "0123456789abcdef", 16);
		} else if (!strcmp(t->name, "checksum")) {
			arg_sets[1][0] = 1;
			arg_sets[2][0] = 2;
		} else if (!strcmp(t->name, "sum_records")) {
			arg_sets[0][0] = 16, arg_sets[0][2] = 8;
			arg_sets[1][0] = 300, arg_sets[1][1] = 7, arg_sets[1][2] = 4;
			arg_sets[2][0] = 4097, arg_sets[2][1] = 4095, arg_sets[2][2] = 2;
		}
		for (int a = 0; a < 3; a++) {
			memcpy(s.args, arg_sets[a], sizeof(s.args));
			s.out_len = !strcmp(t->name, "grep") ? 24 + 8 * a * 100 :
				    !strcmp(t->name, "histogram") ? 2048 : 16;
			for (size_t l = 0; l < 3; l++) {
				s.len = lens[l];
				for (size_t c = 0; c < 3; c++) {
					s.chunk = chunks[c == 2 ? 4 : c];
					s.stop_after = 0;
					s.resched_every = 0;
					for (size_t f = 0; f < sizeof(fails) / sizeof(fails[0]); f++) {
						if (fails[f] >= s.len)
							continue;
						s.fail_at = fails[f];
						pair(t, s);
					}
					s.fail_at = ~0ULL;
					/* a reschedule point that stops both */
					s.stop_after = 1;
					s.resched_every = 1;
					ctx_desc = describe(t, &s);
					{
						struct outcome x = run_twin(t, &s),
							       y = run_native(t, &s);

						CHECK(x.r.err == -EINTR && y.r.err == -EINTR &&
						      x.r.abort_code == URINGBLK_PROG_ABORT_STOPPED &&
						      y.r.abort_code == URINGBLK_PROG_ABORT_STOPPED,
						      "stop: err %d/%d code %u/%u", x.r.err,
						      y.r.err, x.r.abort_code, y.r.abort_code);
					}
					s.stop_after = 0;
					s.resched_every = 0;
					yields(t, &s);
				}
			}
		}
	}
}

static void load(const char *dir, struct twin *t, const char *name)
{
	char path[512], log[1024];

	snprintf(path, sizeof(path), "%s/%s.bpf.o", dir, name);
	t->name = name;
	if (uringblk_prog_read_file(path, NULL, &t->insns, &t->cnt, NULL, log,
				    sizeof(log)) ||
	    uringblk_prog_verify(t->insns, t->cnt, log, sizeof(log))) {
		fprintf(stderr, "%s: %s\n", path, log);
		exit(2);
	}
	t->nat = uringblk_native_find(name);
	if (!t->nat) {
		fprintf(stderr, "no native %s\n", name);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	static const char *const names[] = {
		"count_pattern", "grep", "checksum", "histogram", "sum_records",
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s BPF_OBJ_DIR\n", argv[0]);
		return 2;
	}
	if (uringblk_nr_native_progs != 5) {
		fprintf(stderr, "%u native programs, expected 5\n",
			uringblk_nr_native_progs);
		return 1;
	}
	for (int i = 0; i < 5; i++)
		load(argv[1], &twins[i], names[i]);
	make_sets();
	cases_pattern(&twins[0], false);
	cases_pattern(&twins[1], true);
	cases_checksum(&twins[2]);
	cases_histogram(&twins[3]);
	cases_records(&twins[4]);
	cases_stops();
	printf("device-defined vs eBPF twins: %d checks passed, %d failed\n",
	       passed, failed);
	return failed ? 1 : 0;
}
