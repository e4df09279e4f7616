// SPDX-License-Identifier: GPL-2.0
/*
 * count_pattern and find (pattern_scan() in driver/sandbox/prog_helpers.c: the
 * candidate filter, the word-at-a-time skip and the KMP matcher whose
 * state crosses pieces and windows) against a naive search, on random
 * data, patterns, subranges and window splits:
 *
 *   data      two- and three-letter alphabets, "aaaa..." (every byte a
 *             pattern's first: the filter's worst case), mostly-'a' with
 *             rare 'b', random bytes, the README's "Alpha, Bravo,
 *             Charlie" lines and the benchmark's word salad;
 *   patterns  1 to 256 bytes: cut from the data (so they match, often
 *             across window ends), random over the alphabet, and the
 *             repeated-prefix kind ("aab", "aaa...ab", "abab...");
 *   windows   a random size sequence from 1 byte up (memenv win_sizes),
 *             each window an exact heap copy, so ASan reports a read one
 *             byte past it.
 *
 * Before them, directed cases: copies of the pattern straddling every
 * window and piece end by every split, overlapping matches, near misses
 * by each byte, and windows of 1 to 9 bytes (boundary_cases()).
 *
 * find also runs with a read fault at a random offset: a match before it
 * must be found, as a byte-at-a-time search finds it.
 *
 * Every run must also keep the work accounting: st->work within the
 * units charged and linear in the bytes (the bounds of worktest.c), and
 * the same charge and bytes scanned with 64 KiB windows as with the
 * random split (but for the map calls' own cost).
 *
 * usage: scantest [cases [seed]]  (prints "scantest: N checks passed,
 * N failed")
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "asm.h"
#include "memenv.h"

#define DATA_MAX	(70 * 1024)
#define OUT_LEN		512
#define MAP_WORK	((u64)URINGBLK_PROG_MAP_COST * URINGBLK_PROG_MAX_WORK_PER_UNIT)
#define CALL_WORK	(URINGBLK_PROG_WORK_CALL + \
			 2ULL * URINGBLK_PROG_PAT_MAX * URINGBLK_PROG_WORK_STEP)

static struct uringblk_prog_state state;
static u8 data[DATA_MAX];
static u8 out[OUT_LEN] __attribute__((aligned(8)));
static u16 wins[97];
static int passed, failed, shown;
static u64 rng;

static u64 rnd(void)
{
	/* xorshift64*: the same cases for the same seed, everywhere */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static u64 below(u64 n)
{
	return n ? rnd() % n : 0;
}

/* helper(args[0], args[1], globals, args[2]): the pattern is .rodata */
static const char prog_src[] =
	"mov r6, r1\n"
	"ldxdw r1, [r6+40]\n"
	"ldxdw r2, [r6+48]\n"
	"lddw r3, 0x400000000\n"
	"ldxdw r4, [r6+56]\n"
	"call %d\n"
	"exit\n";

static u64 naive(const u8 *s, u64 off, u64 len, const u8 *pat, u64 m,
		 bool first)
{
	u64 cnt = 0;

	for (u64 i = off; m <= len && i <= off + len - m; i++) {
		if (memcmp(s + i, pat, m))
			continue;
		if (first)
			return i;
		cnt++;
	}
	return first ? (u64)-ENOENT : cnt;
}

static const char *const words[] = {
	"the", "quick", "Alpha", "brown", "fox", "jumps", "over", "lazy",
	"dog", "Alphabet", "beta", "gamma", "alpha", "delta", "ALPHA", "Alp",
};

static u64 make_data(int kind, const char **alpha)
{
	u64 len = below(4) ? below(3 * 4096 + 100) : below(DATA_MAX + 1);
	static const char readme[] = "Alpha, Bravo, Charlie\n";

	*alpha = "ab";
	for (u64 i = 0; i < len; i++) {
		switch (kind) {
		case 0:
			data[i] = "ab"[below(2)];
			break;
		case 1:
			data[i] = "abc"[below(3)];
			*alpha = "abc";
			break;
		case 2:
			data[i] = 'a';
			break;
		case 3:
			data[i] = below(64) ? 'a' : 'b';
			break;
		case 4:
			data[i] = (u8)rnd();
			*alpha = NULL;
			break;
		case 5:
			data[i] = readme[i % (sizeof(readme) - 1)];
			if (!below(500))
				data[i] = 'A';
			*alpha = "AlphaBrvoCi, \n";
			break;
		default: {
			const char *w = words[below(16)];

			for (; *w && i < len; w++)
				data[i++] = *w;
			if (i < len)
				data[i] = ' ';
			*alpha = "AlphaBbetgmrownLPH ";
			break;
		}
		}
	}
	return len;
}

static u64 make_pattern(u8 *pat, u64 len, const char *alpha)
{
	u64 m, k = below(8);

	if (k < 3 && len) {
		/* cut from the data: it matches, often across windows */
		m = below(5) ? 1 + below(40) : 1 + below(URINGBLK_PROG_PAT_MAX);
		if (m > len)
			m = len;
		memcpy(pat, data + below(len - m + 1), m);
		return m;
	}
	m = below(3) ? 1 + below(20) : 1 + below(URINGBLK_PROG_PAT_MAX);
	if (k == 3) {
		/* "aab", "aaa...ab": the repeated-prefix kind */
		memset(pat, alpha ? alpha[0] : 'a', m);
		if (m > 1)
			pat[m - 1] = alpha && alpha[1] ? alpha[1] : 'b';
		return m;
	}
	if (k == 4) {
		/* "abab...", "abcabc..." */
		for (u64 i = 0; i < m; i++)
			pat[i] = alpha ? alpha[i % (strlen(alpha) < 3 ? 2 : 3)] :
					 (u8)i;
		return m;
	}
	for (u64 i = 0; i < m; i++)
		pat[i] = alpha ? alpha[below(strlen(alpha))] : (u8)rnd();
	return m;
}

static void window_sizes(void)
{
	for (size_t i = 0; i < sizeof(wins) / sizeof(wins[0]); i++) {
		switch (below(4)) {
		case 0:
			wins[i] = 1 + below(8);
			break;
		case 1:
			wins[i] = 1 + below(300);
			break;
		case 2:
			wins[i] = 4000 + below(200);
			break;
		default:
			wins[i] = 0xffff;
			break;
		}
	}
}

/*
 * The run's environment over data[0, len): the pattern in rodata, the
 * range and its length in the args, every window an exact-size copy (so
 * ASan sees overreads), the random window split or 64 KiB windows.
 */
static void scan_env(struct memenv *me, struct uringblk_prog_env *env,
		     u64 len, u64 off, u64 rlen, const u8 *pat, u64 m,
		     bool split)
{
	memenv_init(me, env, data, len, out, OUT_LEN, 1ULL << 40);
	env->rodata = pat;
	env->rodata_len = m;
	env->ctx.args[0] = off;
	env->ctx.args[1] = rlen;
	env->ctx.args[2] = m;
	me->win_sizes = wins;
	me->n_win_sizes = split ? sizeof(wins) / sizeof(wins[0]) : 0;
	me->copy = true;
}

static void fail_case(const char *what, int helper, u64 len, u64 off,
		      u64 rlen, const u8 *pat, u64 m, u64 got, u64 want,
		      const struct uringblk_prog_result *r)
{
	failed++;
	if (shown++ >= 10)
		return;
	fprintf(stderr, "FAIL %s: %s data %llu, range [%llu, +%llu), "
		"pattern %llu bytes \"%.*s\"%s: got %lld want %lld "
		"(err %d insns %llu work %llu scanned %llu)\n", what,
		helper == URINGBLK_HELPER_FIND ? "find" : "count_pattern",
		(unsigned long long)len, (unsigned long long)off,
		(unsigned long long)rlen, (unsigned long long)m,
		(int)(m < 24 ? m : 24), pat, m < 24 ? "" : "...",
		(long long)got, (long long)want, r->err,
		(unsigned long long)r->insns, (unsigned long long)state.work,
		(unsigned long long)r->bytes_scanned);
}

/*
 * find with a read fault at a random offset F of the range: a match whose
 * bytes all come before F is found (as KMP found it, before mapping
 * more), else the run fails with -EIO, so that a program's output after a
 * fault stays what it was (grep's, driver/sandbox/prog_native.h).
 */
static void find_fault(const struct bpf_insn *prog, u64 len, u64 off,
		       u64 rlen, const u8 *pat, u64 m)
{
	struct uringblk_prog_result r;
	struct uringblk_prog_env env;
	struct memenv me;
	u64 at = off + below(rlen + 1), want;
	bool ok;

	want = naive(data, off, rlen, pat, m, true);
	/* often just past the match: the octet is not all there yet */
	if (want != (u64)-ENOENT && below(2))
		at = want + m + below(8);
	scan_env(&me, &env, len, off, rlen, pat, m, true);
	me.fail_at = at;
	memenv_run(&state, prog, &env, &me, &r);
	memenv_fini(&me);
	if (want != (u64)-ENOENT && want + m <= at)
		ok = !r.err && r.ret == want;
	else if (at < off + rlen)
		ok = r.err == -EIO;
	else
		ok = !r.err && r.ret == want;
	if (!ok) {
		fail_case("find with a read fault", URINGBLK_HELPER_FIND, len,
			  off, rlen, pat, m, r.ret, want, &r);
		fprintf(stderr, "     (fault at %llu, err %d)\n",
			(unsigned long long)at, r.err);
		return;
	}
	passed++;
}

static void one_case(struct bpf_insn progs[2][16])
{
	static const int helpers[2] = { URINGBLK_HELPER_COUNT_PATTERN,
					URINGBLK_HELPER_FIND };
	struct uringblk_prog_result r;
	struct uringblk_prog_env env;
	struct memenv me;
	const char *alpha;
	u8 pat[URINGBLK_PROG_PAT_MAX];
	u64 len, off, rlen, m, want, lin, units, units0 = 0, scanned0 = 0;
	int kind = below(7);

	len = make_data(kind, &alpha);
	m = make_pattern(pat, len, alpha);
	off = below(3) ? 0 : below(len + 1);
	rlen = below(3) ? len - off : below(len - off + 1);
	window_sizes();
	for (int h = 0; h < 2; h++) {
		want = naive(data, off, rlen, pat, m,
			     helpers[h] == URINGBLK_HELPER_FIND);
		/* 64 KiB windows, then the random split: the same charge */
		for (int split = 0; split < 2; split++) {
			scan_env(&me, &env, len, off, rlen, pat, m, split);
			memenv_run(&state, progs[h], &env, &me, &r);
			memenv_fini(&me);
			if (r.err || me.maps != me.unmaps || me.bad_calls) {
				fail_case("run failed", helpers[h], len, off,
					  rlen, pat, m, r.ret, want, &r);
				break;
			}
			if (r.ret != want) {
				fail_case("result differs from the naive search",
					  helpers[h], len, off, rlen, pat, m,
					  r.ret, want, &r);
				break;
			}
			lin = (u64)me.maps * MAP_WORK + 4 * URINGBLK_PROG_WORK_STEP *
			      r.bytes_scanned + CALL_WORK;
			if (state.work > URINGBLK_PROG_MAX_WORK_PER_UNIT * r.insns +
					 URINGBLK_PROG_WORK_SLACK || state.work > lin) {
				fail_case("work above the charge or not linear",
					  helpers[h], len, off, rlen, pat, m,
					  r.ret, want, &r);
				break;
			}
			/* the charge depends on the data, not the windows */
			units = r.insns - (u64)me.maps * URINGBLK_PROG_MAP_COST;
			if (split && (units != units0 ||
				      r.bytes_scanned != scanned0)) {
				fail_case("charge depends on the windows",
					  helpers[h], len, off, rlen, pat, m,
					  units, units0, &r);
				break;
			}
			units0 = units;
			scanned0 = r.bytes_scanned;
			passed++;
		}
	}
	find_fault(progs[1], len, off, rlen, pat, m);
}

/*
 * Directed cases beside the random ones: copies of the pattern straddling
 * every window and piece end (4 KiB pages as the memory backend maps
 * them, 64 KiB windows cut into 4 KiB pieces) by every split, overlapping
 * matches ("aa" in "aaa...", "abab" in "abab..."), and windows of 1, 7, 8
 * and 9 bytes, each with the range starting at offsets 0 to 7 so that the
 * filter's octets fall every way against the ends.  count_pattern and
 * find must give the naive search's answer, and the charge must be the
 * one of the same range in whole 64 KiB windows.
 */
static void boundary_cases(struct bpf_insn progs[2][16])
{
	static const struct {
		const char *fill, *pat;
	} cases[] = {
		{ "x", "Alpha" },		/* a rare first byte */
		{ "Al", "Alpha" },		/* a candidate at every other */
		/* near misses by each byte, a match among them */
		{ "Axpha Alxha Alpxa Alphx Alpha Alph", "Alpha" },
		{ "x", "A" },			/* 1 byte: no filter */
		{ "a", "aa" },			/* overlapping, every position */
		{ "a", "aaa" },
		{ "ab", "abab" },
		{ "ab", "ababa" },
		{ "a", "aaaaaaaaaaaaaaaa" },	/* the filter's longest */
		{ "a", "aaaaaaaaaaaaaaaaa" },	/* KMP's shortest */
		{ "x", "0123456789abcdef" },
		{ "x", "0123456789abcdefg" },
	};
	static const u64 chunks[] = { 0, 4096, 1, 7, 8, 9 };
	static const int helpers[2] = { URINGBLK_HELPER_COUNT_PATTERN,
					URINGBLK_HELPER_FIND };
	struct uringblk_prog_result r;
	struct uringblk_prog_env env;
	struct memenv me;

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const u8 *pat = (const u8 *)cases[c].pat;
		u64 m = strlen(cases[c].pat), fl = strlen(cases[c].fill);

		for (u64 shift = 0; shift <= m; shift++) {
			/* the small windows end everywhere: one layout */
			u64 len = shift ? DATA_MAX : 5000, units0[2][8];

			for (u64 i = 0; i < len; i++)
				data[i] = cases[c].fill[i % fl];
			/* a copy ending @shift bytes past every 4 KiB */
			for (u64 b = 4096; b + m <= len + shift; b += 4096)
				memcpy(data + b - shift, pat, m);
			for (size_t k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
				if (shift && k > 1)
					break;
				for (u64 off = 0; off < 8; off++) {
					for (int h = 0; h < 2; h++) {
						u64 want = naive(data, off, len - off, pat, m,
								 h == 1), units;

						scan_env(&me, &env, len, off, len - off,
							 pat, m, false);
						/* 0: whole 64 KiB windows, the reference */
						me.chunk = chunks[k];
						memenv_run(&state, progs[h], &env, &me, &r);
						memenv_fini(&me);
						units = r.insns - (u64)me.maps *
							URINGBLK_PROG_MAP_COST;
						if (r.err || r.ret != want) {
							fail_case("boundary case", helpers[h],
								  len, off, len - off, pat, m,
								  r.ret, want, &r);
							fprintf(stderr, "     (windows of %llu, "
								"copies %llu past every 4 KiB)\n",
								(unsigned long long)chunks[k],
								(unsigned long long)shift);
							continue;
						}
						if (!k)
							units0[h][off] = units;
						else if (units != units0[h][off]) {
							fail_case("boundary case: charge depends on the windows",
								  helpers[h], len, off, len - off,
								  pat, m, units, units0[h][off], &r);
							continue;
						}
						passed++;
					}
				}
			}
		}
	}
}

int main(int argc, char **argv)
{
	static const int helpers[2] = { URINGBLK_HELPER_COUNT_PATTERN,
					URINGBLK_HELPER_FIND };
	struct bpf_insn progs[2][16];
	int nprog[2];
	long cases = argc > 1 ? atol(argv[1]) : 5000;
	char src[512], err[256];

	rng = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x5eed31;
	if (!rng)
		rng = 1;
	for (int h = 0; h < 2; h++) {
		snprintf(src, sizeof(src), prog_src, helpers[h]);
		nprog[h] = asm_text(src, progs[h], 16, err, sizeof(err));
		if (nprog[h] < 0 ||
		    uringblk_prog_verify(progs[h], nprog[h], err, sizeof(err))) {
			fprintf(stderr, "scantest: program: %s\n", err);
			return 1;
		}
	}
	boundary_cases(progs);
	for (long c = 0; c < cases; c++)
		one_case(progs);
	printf("scantest: %d checks passed, %d failed\n", passed, failed);
	return failed || !passed;
}
