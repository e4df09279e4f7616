// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Split scans, natively: each program of bpf/ that declares how its
 * results combine (its declaration read from its object with
 * uringblk_prog_read_combine(), as the loader passes it to the drive) is
 * run in the drive's own VM over the pieces uringblk_split_plan() cuts,
 * the results combined by uringblk_split_combine(), and compared with one
 * run over the whole range: r0 and output, for every combine rule (sum
 * with overlaps, sum of outputs, nonzero, min, max, record alignment), on
 * random data and random piece counts, with the searched pattern planted
 * across every piece boundary.  The programs that do not declare are
 * refused (-EOPNOTSUPP).  The drive itself runs the same through
 * uringblk_exec_split() in selftests/uringblk/exec_split.c.
 *
 * usage: split <dir of bpf/ objects>
 */
#include <stdint.h>
#include <stdlib.h>

#include <liburingblk.h>

#include "vm.h"

#define BS		512
#define MAX_BLOCKS	300
#define BUDGET		(1ULL << 32)
#define ROUNDS		150

static uint8_t data[MAX_BLOCKS * BS];
static uint8_t outs[2 * URINGBLK_SPLIT_MAX][2048];
static uint8_t whole_out[2048], comb_out[2048];
static const char *bpf_dir;
static int passed, failed;
static uint64_t seed = 0x243f6a8885a308d3ULL;

#include "../check.h"

static uint64_t rnd(uint64_t n)
{
	seed ^= seed >> 12;
	seed ^= seed << 25;
	seed ^= seed >> 27;
	return (seed * 2685821657736338717ULL >> 11) % n;
}

struct prog {
	struct uringblk_prog_obj	po;
	struct uringblk_prog_combine	cb;
	const char			*name;
};

static struct prog load(const char *obj, const char *name)
{
	char path[512], log[1024];
	struct prog p = { .name = name ? name : obj };

	snprintf(path, sizeof(path), "%s/%s", bpf_dir, obj);
	if (uringblk_prog_read_obj(path, name, &p.po, log, sizeof(log)) ||
	    uringblk_prog_read_combine(path, p.po.name, &p.cb, log, sizeof(log))) {
		fprintf(stderr, "%s: %s\n", path, log);
		exit(2);
	}
	return p;
}

static struct vm_result run(const struct prog *p, const uint8_t *d, uint64_t len,
			    const uint64_t args[3], void *out, uint32_t out_len)
{
	struct vm_result r;
	char msg[256] = "";

	memset(out, 0, out_len);	/* as the drive's output buffer starts */
	vm_set_globals(p->po.globals, p->po.rodata_len, p->po.data_len,
		       p->po.bss_len);
	if (vm_run(p->po.insns, p->po.insn_cnt, d, len, 0, args, out, out_len,
		   BUDGET, &r, msg, sizeof(msg))) {
		fprintf(stderr, "%s: validator: %s\n", p->name, msg);
		exit(2);
	}
	vm_set_globals(NULL, 0, 0, 0);
	return r;
}

static struct uringblk_exec_result as_result(const struct vm_result *r)
{
	return (struct uringblk_exec_result) {
		.r0 = r->r0, .error = r->error, .abort_code = r->abort_code,
		.out_len = r->out_len, .insns = r->insns,
		.bytes_scanned = r->bytes_scanned,
	};
}

/*
 * One case: @p over blocks [0, @blocks) with @args split into @nr pieces,
 * against the whole.  @plant, if not NULL, is copied (@plen bytes) across
 * every piece boundary first, at a random place straddling it.
 */
static void check_split(const struct prog *p, uint64_t blocks, const uint64_t args[3],
			unsigned int nr, const void *plant, size_t plen)
{
	struct uringblk_exec_args a = { .lba_start = 0, .lba_count = blocks };
	struct uringblk_exec_result results[2 * URINGBLK_SPLIT_MAX], res;
	struct uringblk_split_piece pieces[2 * URINGBLK_SPLIT_MAX];
	const void *outp[2 * URINGBLK_SPLIT_MAX];
	uint32_t olen = p->cb.out ? p->cb.out_len : 0;
	uint64_t covered = 0;
	struct vm_result w;
	int np, ret;

	memcpy(a.args, args, sizeof(a.args));
	np = uringblk_split_plan(&p->cb, &a, BS, nr, pieces, 2 * URINGBLK_SPLIT_MAX);
	CHECK(np > 0, "%s: plan of %u pieces over %llu blocks: %d", p->name, nr,
	      (unsigned long long)blocks, np);
	if (np <= 0)
		return;
	/* the pattern across each boundary: the pieces taken away start at one */
	for (int i = 0; plant && plen > 1 && i < np; i++) {
		uint64_t b = pieces[i].lba_start * BS, at;

		if (!b)
			continue;
		at = b - 1 - rnd(plen - 1);	/* starts before b, ends after it */
		if (at + plen <= blocks * BS)
			memcpy(data + at, plant, plen);
	}
	for (int i = 0; i < np; i++) {
		struct vm_result r;

		CHECK(pieces[i].lba_count > 0 && pieces[i].lba_start + pieces[i].lba_count <= blocks,
		      "%s: piece %d [%llu, +%llu) off the range", p->name, i,
		      (unsigned long long)pieces[i].lba_start,
		      (unsigned long long)pieces[i].lba_count);
		if (pieces[i].sign > 0)
			covered += pieces[i].lba_count;
		else
			covered -= pieces[i].lba_count;
		r = run(p, data + pieces[i].lba_start * BS, pieces[i].lba_count * BS,
			args, outs[i], olen ? olen : 8);
		CHECK(r.error == 0, "%s: piece %d stopped: %d", p->name, i, r.error);
		results[i] = as_result(&r);
		outp[i] = outs[i];
	}
	CHECK(covered == blocks, "%s: the pieces cover %llu blocks of %llu", p->name,
	      (unsigned long long)covered, (unsigned long long)blocks);
	w = run(p, data, blocks * BS, args, whole_out, olen ? olen : 8);
	ret = uringblk_split_combine(&p->cb, pieces, np, results, outp, &res, comb_out,
				     sizeof(comb_out));
	CHECK(ret == 0, "%s: combine: %d", p->name, ret);
	CHECK(res.r0 == w.r0, "%s: %u pieces (%d EXECs) over %llu blocks, args %llu "
	      "%llu %llu: r0 %llu, one run %llu", p->name, nr, np,
	      (unsigned long long)blocks, (unsigned long long)args[0],
	      (unsigned long long)args[1], (unsigned long long)args[2],
	      (unsigned long long)res.r0, (unsigned long long)w.r0);
	CHECK(!olen || !memcmp(comb_out, whole_out, olen), "%s: %u pieces: output differs",
	      p->name, nr);
}

static void fill_random(uint64_t bytes, const char *alphabet)
{
	size_t n = strlen(alphabet);

	for (uint64_t i = 0; i < bytes; i++)
		data[i] = alphabet[rnd(n)];
}

static void test_count_pattern(void)
{
	struct prog p = load("count_pattern.bpf.o", NULL);

	CHECK(p.cb.r0 == URINGBLK_COMBINE_SUM && p.cb.overlap_arg == 3,
	      "count_pattern declares r0 %u overlap_arg %u", p.cb.r0, p.cb.overlap_arg);
	for (int round = 0; round < ROUNDS; round++) {
		uint64_t blocks = 1 + rnd(MAX_BLOCKS), args[3] = { 0 };
		size_t plen = 1 + rnd(16);
		char pat[16];

		/* two letters: matches everywhere, overlapping ones too */
		fill_random(blocks * BS, round % 2 ? "ab" : "abcdefgh");
		for (size_t i = 0; i < plen; i++)
			pat[i] = "ab"[rnd(2)];
		memcpy(args, pat, plen);
		args[2] = plen;
		check_split(&p, blocks, args, 1 + rnd(64), pat, plen);
	}
	uringblk_prog_obj_free(&p.po);
}

static void test_count_word(void)
{
	static const char *const words[] = { "Alpha", "Beta", "Gamma", "Delta" };
	struct prog p = load("count_word.bpf.o", NULL);

	CHECK(p.cb.r0 == URINGBLK_COMBINE_SUM && p.cb.overlap == 4,
	      "count_word declares r0 %u overlap %u", p.cb.r0, p.cb.overlap);
	for (int round = 0; round < ROUNDS / 2; round++) {
		uint64_t blocks = 1 + rnd(MAX_BLOCKS), args[3] = { rnd(4), 0, 0 };
		const char *w = words[args[0]];

		fill_random(blocks * BS, "AlphaBetGmDt ");
		check_split(&p, blocks, args, 1 + rnd(64), w, strlen(w));
	}
	uringblk_prog_obj_free(&p.po);
}

static void test_histogram(void)
{
	struct prog p = load("histogram.bpf.o", NULL);

	CHECK(p.cb.r0 == URINGBLK_COMBINE_NONZERO && p.cb.out == URINGBLK_COMBINE_SUM &&
	      p.cb.out_len == 2048, "histogram declares r0 %u out %u out_len %u",
	      p.cb.r0, p.cb.out, p.cb.out_len);
	for (int round = 0; round < ROUNDS / 3; round++) {
		uint64_t blocks = 1 + rnd(MAX_BLOCKS), args[3] = { 0 };

		/* a few byte values only, so that r0 (the values seen) varies */
		for (uint64_t i = 0; i < blocks * BS; i++)
			data[i] = rnd(1 + round * 8);
		check_split(&p, blocks, args, 1 + rnd(64), NULL, 0);
	}
	uringblk_prog_obj_free(&p.po);
}

static void test_sum_records(void)
{
	static const uint64_t recs[] = { 1, 3, 8, 100, 512, 700, 1536, 4096, 8192 };
	struct prog p = load("sum_records.bpf.o", NULL);

	CHECK(p.cb.r0 == URINGBLK_COMBINE_SUM && p.cb.out == URINGBLK_COMBINE_SUM &&
	      p.cb.out_len == 16 && p.cb.align_arg == 1,
	      "sum_records declares r0 %u out %u out_len %u align_arg %u", p.cb.r0,
	      p.cb.out, p.cb.out_len, p.cb.align_arg);
	for (int round = 0; round < ROUNDS / 2; round++) {
		uint64_t blocks = 1 + rnd(MAX_BLOCKS), rec = recs[rnd(9)], width;
		uint64_t args[3];

		do {
			width = 1ULL << rnd(4);
		} while (width > rec);
		args[0] = rec;
		args[1] = rnd(rec - width + 1);
		args[2] = width;
		for (uint64_t i = 0; i < blocks * BS; i++)
			data[i] = rnd(256);
		check_split(&p, blocks, args, 1 + rnd(64), NULL, 0);
	}
	uringblk_prog_obj_free(&p.po);
}

static void test_minmax(void)
{
	struct prog mn = load("minmax.bpf.o", "min_u32");
	struct prog mx = load("minmax.bpf.o", "max_u32");

	CHECK(mn.cb.r0 == URINGBLK_COMBINE_MIN && mx.cb.r0 == URINGBLK_COMBINE_MAX,
	      "minmax declares %u and %u", mn.cb.r0, mx.cb.r0);
	for (int round = 0; round < ROUNDS / 2; round++) {
		uint64_t blocks = 1 + rnd(MAX_BLOCKS), args[3] = { 0 };

		for (uint64_t i = 0; i < blocks * BS; i++)
			data[i] = 16 + rnd(200);
		/* one extreme somewhere */
		data[rnd(blocks * BS)] = round % 2 ? 0 : 0xff;
		check_split(&mn, blocks, args, 1 + rnd(64), NULL, 0);
		check_split(&mx, blocks, args, 1 + rnd(64), NULL, 0);
	}
	uringblk_prog_obj_free(&mn.po);
	uringblk_prog_obj_free(&mx.po);
}

/* A program that does not declare cannot be split. */
static void test_undeclared(void)
{
	static const char *const objs[] = { "checksum.bpf.o", "grep.bpf.o" };
	struct uringblk_exec_args a = { .lba_count = 8 };
	struct uringblk_split_piece pieces[4];

	for (size_t i = 0; i < 2; i++) {
		struct prog p = load(objs[i], NULL);

		CHECK(p.cb.r0 == URINGBLK_COMBINE_NONE, "%s declares", objs[i]);
		CHECK(uringblk_split_plan(&p.cb, &a, BS, 2, pieces, 4) == -EOPNOTSUPP,
		      "%s is split", objs[i]);
		uringblk_prog_obj_free(&p.po);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s <dir of bpf/ objects>\n", argv[0]);
		return 2;
	}
	bpf_dir = argv[1];
	test_count_pattern();
	test_count_word();
	test_histogram();
	test_sum_records();
	test_minmax();
	test_undeclared();
	printf("split scans (native VM): %d checks passed, %d failed\n", passed,
	       failed);
	return failed ? 1 : 0;
}
