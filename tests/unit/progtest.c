// SPDX-License-Identifier: GPL-2.0
/*
 * Runs clang-built programs (the progs/ directory, compiled for -mcpu=v1, v2 and
 * v3 under <dir>/v1 ... <dir>/v3) in the native VM and checks each result
 * against the same computation in C.  libbpf opens every object too, so
 * the programs are known to be what libbpf-based loaders will submit.
 * Every run is also made twice with yields and must give the same result
 * (yieldcheck.h).
 *
 * usage: progtest <dir with v1/ v2/ v3/>
 */
#include <bpf/libbpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "liburingblk.h"	/* uringblk_prog_read_file(): the one loader */
#include "yieldcheck.h"

#define DATA_LEN	(300 * 1000 + 3)	/* not a multiple of anything */

static u8 data[DATA_LEN];
static u8 out[1 << 16];
static struct uringblk_prog_state state;
static int passed, failed;

static void make_data(void)
{
	static const char *words[] = { "Alpha", "beta", "Alph", "lpha",
		"gamma", "AlphAlpha", "delta", "\n", "x", "Alpha\n", "AAlpha" };
	u64 seed = 42;
	size_t n = 0;

	while (n < DATA_LEN) {
		const char *w;
		size_t l;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		w = words[(seed >> 33) % (sizeof(words) / sizeof(words[0]))];
		l = strlen(w);
		if (n + l + 1 > DATA_LEN)
			l = DATA_LEN - n - 1;
		memcpy(data + n, w, l);
		n += l;
		data[n++] = (seed >> 40) & 1 ? ' ' : (u8)(seed >> 45);
	}
}

static u64 c_count(const u8 *d, u64 len, const char *pat)
{
	size_t m = strlen(pat);
	u64 c = 0;

	for (u64 i = 0; i + m <= len; i++)
		c += !memcmp(d + i, pat, m);
	return c;
}

static u64 c_sum(const u8 *d, u64 len)
{
	u64 s = 0;
	u32 w;

	for (u64 i = 0; i + 4 <= len; i += 4) {
		memcpy(&w, d + i, 4);
		s += w;
	}
	return s;
}

static void c_hist(const u8 *d, u64 len, u64 *h)
{
	memset(h, 0, 256 * sizeof(*h));
	for (u64 i = 0; i < len; i++)
		h[d[i]]++;
}

/* grep.bpf.c's contract in C: returns lines, fills want and wlen */
static u64 c_grep(const u8 *d, u64 len, const char *pat, u8 *want,
		  u64 *wlen, u64 cap)
{
	u64 lines = 0, s = 0, e, n;

	*wlen = 0;
	while (s < len) {
		for (e = s; e < len && d[e] != '\n'; e++)
			;
		if (c_count(d + s, e - s, pat)) {
			lines++;
			n = e - s + 1 > 256 ? 256 : e - s + (e < len);
			if (n <= cap - *wlen) {
				memcpy(want + *wlen, d + s, n);
				*wlen += n;
			}
		}
		s = e + 1;
	}
	return lines;
}

static int report(bool ok, const char *what, const char *fmt, ...)
{
	va_list ap;

	printf("%s %s", ok ? "ok  " : "FAIL", what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (ok)
		passed++;
	else
		failed++;
	return ok ? 0 : -1;
}

/*
 * libbpf must see the same entry function we run (the loader appends the
 * functions it calls after it)
 */
static bool libbpf_agrees(const char *path, const struct bpf_insn *insns,
			  unsigned int len)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;
	bool ok = false;

	if (!obj)
		return false;
	bpf_object__for_each_program(prog, obj) {
		const struct bpf_insn *li = bpf_program__insns(prog);
		size_t n = bpf_program__insn_cnt(prog);

		if (strcmp(bpf_program__section_name(prog), "uringblk"))
			continue;
		ok = n <= len;
		for (size_t i = 0; ok && i < n; i++)
			if (li[i].code != insns[i].code ||
			    (li[i].src_reg != BPF_PSEUDO_CALL &&
			     memcmp(&li[i], &insns[i], sizeof(li[i]))))
				ok = false;
	}
	bpf_object__close(obj);
	return ok;
}

static int maps;	/* map calls of the last run */

static int run(const struct bpf_insn *insns, unsigned int len, u64 chunk,
	       u32 out_len, u64 budget, const u64 *args,
	       struct uringblk_prog_result *r)
{
	struct uringblk_prog_env env;
	struct memenv m;
	const char *why;

	memenv_init(&m, &env, data, DATA_LEN, out, out_len, budget);
	m.chunk = chunk;
	if (args)
		memcpy(env.ctx.args, args, sizeof(env.ctx.args));
	yield_check_run(&state, insns, &env, &m, r, &why);
	maps = m.maps;
	if (why) {
		printf("     %s\n", why);
		return -1;
	}
	if (state.work > URINGBLK_PROG_MAX_WORK_PER_UNIT * r->insns +
			 URINGBLK_PROG_WORK_SLACK)
		return -1;	/* the work bound of prog_vm.h */
	return m.maps == m.unmaps ? 0 : -1;
}

static void test_prog(const char *dir, const char *mcpu, const char *name)
{
	static u8 want[1 << 16];
	struct uringblk_prog_result r;
	struct bpf_insn *insns;
	unsigned int len;
	char path[4096], what[256], err[512], msg[256];
	u64 hist[256], args[4] = { 0 }, wlen;
	static const u64 chunks[] = { 0, 4096, 1 };
	u64 insns0 = 0, scanned0 = 0;

	snprintf(path, sizeof(path), "%s/%s/%s.bpf.o", dir, mcpu, name);
	snprintf(what, sizeof(what), "%s/%s", mcpu, name);
	if (uringblk_prog_read_file(path, NULL, &insns, &len, NULL, err,
				    sizeof(err))) {
		report(false, what, ": %s", err);
		return;
	}
	if (uringblk_prog_verify(insns, len, msg, sizeof(msg))) {
		report(false, what, ": rejected: %s", msg);
		goto out;
	}
	if (!libbpf_agrees(path, insns, len)) {
		report(false, what, ": libbpf sees a different program");
		goto out;
	}
	memcpy(&args[0], "Alpha", 5);
	args[3] = 5;

	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		u64 chunk = chunks[c];
		bool ok;

		if (!strcmp(name, "count_bytecode")) {
			ok = !run(insns, len, chunk, 256, 1ULL << 40, NULL, &r) &&
			     !r.err && r.ret == c_count(data, DATA_LEN, "Alpha");
		} else if (!strcmp(name, "sum_bytecode")) {
			ok = !run(insns, len, chunk, 256, 1ULL << 40, NULL, &r) &&
			     !r.err && r.ret == c_sum(data, DATA_LEN);
		} else if (!strcmp(name, "hist_bytecode")) {
			c_hist(data, DATA_LEN, hist);
			ok = !run(insns, len, chunk, 2048, 1ULL << 40, NULL, &r) &&
			     !r.err && r.ret == DATA_LEN && r.out_used == 2048 &&
			     !memcmp(out, hist, sizeof(hist));
		} else if (!strcmp(name, "helpers")) {
			c_hist(data, DATA_LEN, hist);
			ok = !run(insns, len, chunk, 258 * 8, 1ULL << 40, args, &r) &&
			     !r.err && r.ret == c_count(data, DATA_LEN, "Alpha") &&
			     ((u64 *)out)[0] == r.ret &&
			     ((u64 *)out)[1] == c_sum(data, DATA_LEN) &&
			     !memcmp(out + 16, hist, sizeof(hist)) &&
			     r.bytes_scanned == 3ULL * DATA_LEN - DATA_LEN % 4;
		} else if (!strcmp(name, "grep")) {
			u64 lines = c_grep(data, DATA_LEN, "Alpha", want, &wlen, 4096);

			ok = !run(insns, len, chunk, 4096, 1ULL << 40, args, &r) &&
			     !r.err && r.ret == lines && r.out_used == wlen &&
			     r.bytes_emitted == wlen && !memcmp(out, want, wlen);
		} else if (!strcmp(name, "fib")) {
			args[0] = 7;	/* 8 frames: the limit */
			ok = !run(insns, len, chunk, 256, 1ULL << 40, args, &r) &&
			     !r.err && r.ret == 13;
			args[0] = 8;	/* 9 frames */
			ok = ok && !run(insns, len, chunk, 256, 1ULL << 40, args, &r) &&
			     r.err == -ELOOP;
		} else if (!strcmp(name, "spin")) {
			ok = !run(insns, len, chunk, 256, 1000000, NULL, &r) &&
			     r.err == -ETIME && r.insns > 1000000 &&
			     r.insns < 1000000 + len;
		} else if (!strcmp(name, "atomics")) {
			args[0] = 100;
			ok = !run(insns, len, chunk, 256, 1000, args, &r) && !r.err &&
			     r.ret == (strcmp(mcpu, "v3") ? 105 : 589);
		} else {
			report(false, what, ": no C reference for this program");
			goto out;
		}
		/*
		 * budget and accounting must not depend on the windows, but
		 * for the fixed cost of each map call
		 */
		r.insns -= (u64)maps * URINGBLK_PROG_MAP_COST;
		if (!c) {
			insns0 = r.insns;
			scanned0 = r.bytes_scanned;
		} else if (r.insns != insns0 || r.bytes_scanned != scanned0) {
			ok = false;
		}
		if (report(ok, what, " (%u insns, window %llu): r0=%lld err=%d insns=%llu scanned=%llu",
			   len, (unsigned long long)chunk, (long long)r.ret, r.err,
			   (unsigned long long)r.insns,
			   (unsigned long long)r.bytes_scanned))
			break;
		if (!strcmp(name, "spin") || !strcmp(name, "fib") ||
		    !strcmp(name, "atomics"))
			break;	/* no data access: one window size is enough */
	}
out:
	free(insns);
}

int main(int argc, char **argv)
{
	static const char *progs[] = { "count_bytecode", "sum_bytecode",
		"hist_bytecode", "helpers", "grep", "fib", "spin", "atomics" };
	static const char *mcpus[] = { "v1", "v2", "v3" };

	if (argc != 2) {
		fprintf(stderr, "usage: %s <dir with v1/ v2/ v3/>\n", argv[0]);
		return 2;
	}
	libbpf_set_print(NULL);
	make_data();
	for (size_t m = 0; m < 3; m++)
		for (size_t p = 0; p < sizeof(progs) / sizeof(progs[0]); p++)
			test_prog(argv[1], mcpus[m], progs[p]);
	printf("progtest: %d checks passed, %d failed; %d runs compared with "
	       "their yielding twins (%ld yields), %d not\n", passed, failed,
	       yield_stats.compared, yield_stats.yields, yield_stats.skipped);
	return failed || !passed || !yield_stats.yields;
}
