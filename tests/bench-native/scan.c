// SPDX-License-Identifier: GPL-2.0
/*
 * The "Alpha" count natively, in MB/s of CPU time: the count_pattern
 * helper as the default engine runs it (one helper call from the
 * interpreter over the whole range, 4 KiB windows as the memory backend
 * maps pages), against the device-defined native count_pattern
 * (driver/sandbox/prog_native.c), a naive C loop (s[i] == 'A' && memcmp), a
 * memchr() count of 'A' and a memcpy() of the same bytes.
 *
 * Built twice (Makefile, run-scan): scan-new with driver/sandbox/prog_helpers.c,
 * scan-old with the helpers of another commit (OLD=, default main), and
 * run interleaved by scan.sh, which prints medians and spreads.  Each
 * binary prints one line per data set and row per run:
 *   scan BUILD DATASET ROW MB/s count
 *
 * usage: scan BUILD [MiB [ROW [DATASET]]] (BUILD: a label, "old" or
 * "new"; ROW, DATASET: only that one, e.g. under valgrind --tool=callgrind
 * to count instructions: ROW "none" gives the setup's share)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../unit/asm.h"
#include "../unit/memenv.h"
#include "../../driver/sandbox/prog_native.h"

static struct uringblk_prog_state state;
static u8 out[4096] __attribute__((aligned(8)));
static u8 *data, *copy;
static u64 data_len;
static volatile u64 sink;

static double now(void)
{
	struct timespec ts;

	/* CPU time of this thread: other load on the machine counts less */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static u64 seed = 31;

static u64 rnd(void)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return seed >> 33;
}

/*
 * readme: the README's `yes 'Alpha, Bravo, Charlie'`;
 * words:  tools/bench/kbpf's text (the VM's "Alpha" count);
 * random: lowercase words and spaces, an "Alpha" every ~4 KiB (a rare
 *         first byte: the common case).
 */
static void fill(const char *kind)
{
	static const char *const words[] = {
		"the", "quick", "Alpha", "brown", "fox", "jumps", "over", "lazy",
		"dog", "Alphabet", "beta", "gamma", "alpha", "delta", "ALPHA", "Alp",
	};
	static const char readme[] = "Alpha, Bravo, Charlie\n";
	u64 n = 0, w = 0;

	if (!strcmp(kind, "readme")) {
		for (n = 0; n < data_len; n++)
			data[n] = readme[n % (sizeof(readme) - 1)];
		return;
	}
	if (!strcmp(kind, "words")) {
		while (n < data_len) {
			const char *s = words[(w * 7 + w / 3) % 16];
			size_t l = strlen(s);

			for (size_t k = 0; k <= l && n < data_len; k++, n++)
				data[n] = k < l ? s[k] : (w % 11 == 10 ? '\n' : ' ');
			w++;
		}
		return;
	}
	while (n < data_len) {
		if (!(rnd() % 700) && n + 6 <= data_len) {
			memcpy(data + n, "Alpha ", 6);
			n += 6;
			continue;
		}
		data[n++] = rnd() % 6 ? 'a' + rnd() % 26 : ' ';
	}
}

/* count_pattern(0, data_len, &ctx->args[0], args[2]), as bpf/count_pattern */
static const char prog_src[] =
	"mov r6, r1\n"
	"mov r3, r1\n"
	"add r3, 40\n"
	"ldxdw r4, [r6+56]\n"
	"ldxdw r2, [r6+16]\n"
	"mov r1, 0\n"
	"call 3\n"
	"exit\n";

static u64 run_vm(const struct bpf_insn *prog, bool native)
{
	const struct uringblk_native_prog *nat = uringblk_native_find("count_pattern");
	struct uringblk_prog_result r;
	struct uringblk_prog_env env;
	struct memenv m;
	int ret;

	memenv_init(&m, &env, data, data_len, out, sizeof(out), 1ULL << 40);
	m.chunk = 4096;
	memcpy(&env.ctx.args[0], "Alpha", 5);
	env.ctx.args[2] = 5;
	if (native)
		ret = nat->run(&state, &env, &r);
	else
		ret = uringblk_prog_run(&state, prog, &env, &r);
	if (ret || r.err) {
		fprintf(stderr, "scan: run failed: %d %d\n", ret, r.err);
		exit(1);
	}
	return r.ret;
}

static u64 naive(void)
{
	u64 c = 0;

	for (u64 i = 0; i + 5 <= data_len; i++)
		c += data[i] == 'A' && !memcmp(data + i, "Alpha", 5);
	return c;
}

static u64 count_memchr(void)
{
	const u8 *p = data, *end = data + data_len;
	u64 c = 0;

	while ((p = memchr(p, 'A', end - p))) {
		c++;
		p++;
	}
	return c;
}

int main(int argc, char **argv)
{
	static const char *const kinds[] = { "readme", "words", "random" };
	static const char *const rows[] = { "helper", "native", "naive",
					    "memchr", "memcpy" };
	const char *build = argc > 1 ? argv[1] : "new";
	struct bpf_insn prog[16];
	char err[128];
	double t;
	u64 c = 0;

	data_len = (argc > 2 ? strtoull(argv[2], NULL, 0) : 64) << 20;
	data = malloc(data_len);
	copy = malloc(data_len);
	if (!data || !copy || asm_text(prog_src, prog, 16, err, sizeof(err)) < 0 ||
	    uringblk_prog_verify(prog, 8, err, sizeof(err))) {
		fprintf(stderr, "scan: setup: %s\n", err);
		return 1;
	}
	for (size_t k = 0; k < 3; k++) {
		if (argc > 4 && strcmp(argv[4], kinds[k]))
			continue;
		fill(kinds[k]);
		memcpy(copy, data, data_len);	/* fault both in */
		for (size_t i = 0; i < 5; i++) {
			if (argc > 3 && strcmp(argv[3], rows[i]))
				continue;
			t = now();
			switch (i) {
			case 0: c = run_vm(prog, false); break;
			case 1: c = run_vm(prog, true); break;
			case 2: c = naive(); break;
			case 3: c = count_memchr(); break;
			case 4: memcpy(copy, data, data_len); c = copy[data_len / 2]; break;
			}
			t = now() - t;
			sink += c;
			printf("scan %s %s %s %.1f %llu\n", build, kinds[k], rows[i],
			       data_len / t / 1e6, (unsigned long long)c);
		}
	}
	return 0;
}
