// SPDX-License-Identifier: GPL-2.0
/*
 * Split scans on the drive (liburingblk's uringblk_exec_split(), `uringblk
 * exec --split`; ABI 1.5 "How a program's results combine"):
 *  - the combine declarations in the bpf/ objects reach the drive with
 *    PROG_LOAD (F_IMAGE) and come back in PROG_LIST; undeclared programs
 *    have none; bad declarations are refused with a reason
 *  - every combine rule against one EXEC over the whole range, on random
 *    data, for random piece counts: count_pattern (sum, with overlaps)
 *    with its pattern planted across every piece boundary, count_word
 *    (fixed overlap), histogram (output sum, nonzero r0), sum_records
 *    (record-aligned pieces), min_u32 and max_u32; and a device-defined
 *    program
 *  - a program that declares nothing cannot be split: -EOPNOTSUPP, and
 *    nothing runs; the CLI says why
 * With the timing model off and on (four compute units).  The same
 * combine rules are tested on many more cases natively (tests/bpf/split.c).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "liburingblk.h"
#include "prog_test.h"
#include "../../bpf/count_pattern.h"

#define BS		512
#define DATA_BYTES	(4U << 20)
#define ROUNDS		4

static uint64_t seed = 0x13198a2e03707344ULL;

static uint64_t rnd(uint64_t n)
{
	seed ^= seed >> 12;
	seed ^= seed << 25;
	seed ^= seed >> 27;
	return (seed * 2685821657736338717ULL >> 11) % n;
}

FIXTURE(split) {
	struct uringblk_dev *dev;
	int bfd;
	uint8_t *data;
	uint8_t out1[2048], out2[2048];
};

FIXTURE_VARIANT(split) {
	const char *params;
};

FIXTURE_VARIANT_ADD(split, model_off) {
	.params = "capacity_mb=64",
};

FIXTURE_VARIANT_ADD(split, four_units) {
	.params = "capacity_mb=64 timing=compute_units=4",
};

FIXTURE_SETUP(split)
{
	UBT_SETUP_MODULE(ubt_module_reload, variant->params);
	ASSERT_EQ(0, uringblk_open_index(0, &self->dev));
	self->bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);	/* EXEC reads the drive */
	ASSERT_LE(0, self->bfd);
	self->data = ubt_alloc(DATA_BYTES);
	ASSERT_NE(NULL, self->data);
}

FIXTURE_TEARDOWN(split)
{
	munmap(self->data, DATA_BYTES);
	close(self->bfd);
	uringblk_close(self->dev);
}

/* Load bpf/<obj> (function @prog) as the CLI does: with its declaration. */
static int load(struct uringblk_dev *dev, const char *obj, const char *prog)
{
	char path[512], log[512];
	int id;

	ubp_obj_path(obj, path, sizeof(path));
	id = uringblk_prog_load_file(dev, path, prog, log, sizeof(log));
	if (id < 0)
		fprintf(stderr, "load %s: %d %s\n", path, id, log);
	return id;
}

static int put_data(int bfd, const uint8_t *d, uint64_t len)
{
	return ubt_pwrite_full(bfd, d, len, 0) == (ssize_t)len ? 0 : -EIO;
}

/*
 * uringblk_exec_split() of @a into @nr pieces against uringblk_exec() over
 * the whole range: 0 if r0 and output agree (both completed).
 */
static int same(struct __test_metadata *_metadata, FIXTURE_DATA(split) *self,
		const struct uringblk_exec_args *a, unsigned int nr, size_t out_len)
{
	struct uringblk_exec_result r1, r2;
	int ret;

	memset(self->out1, 0, sizeof(self->out1));
	memset(self->out2, 0, sizeof(self->out2));
	ret = uringblk_exec(self->dev, a, &r1, self->out1, out_len);
	EXPECT_EQ(0, ret) TH_LOG("whole: %d", ret);
	ret = uringblk_exec_split(self->dev, a, nr, &r2, self->out2, out_len);
	EXPECT_EQ(0, ret) TH_LOG("split into %u: %d", nr, ret);
	EXPECT_EQ(r1.r0, r2.r0) TH_LOG("prog %u over %llu blocks in %u pieces: r0 %llu, "
				       "one EXEC %llu", a->prog_id,
				       (unsigned long long)a->lba_count, nr,
				       (unsigned long long)r2.r0,
				       (unsigned long long)r1.r0);
	EXPECT_EQ(0, memcmp(self->out1, self->out2, out_len));
	return r1.r0 == r2.r0 && !memcmp(self->out1, self->out2, out_len) ? 0 : -1;
}

TEST_F(split, declarations_reach_the_drive)
{
	static const struct { const char *obj, *prog; } objs[] = {
		{ "count_pattern", NULL }, { "count_word", NULL },
		{ "histogram", NULL }, { "sum_records", NULL },
		{ "minmax", "min_u32" }, { "minmax", "max_u32" },
		{ "checksum", NULL }, { "grep", NULL },
	};

	for (size_t i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		struct uringblk_prog_combine want, got;
		char path[512], name[64];
		int id;

		snprintf(name, sizeof(name), "%s.bpf", objs[i].obj);
		ubp_obj_path(objs[i].obj, path, sizeof(path));
		ASSERT_EQ(0, uringblk_prog_read_combine(path, objs[i].prog ?: objs[i].obj,
							&want, NULL, 0));
		id = load(self->dev, objs[i].obj, objs[i].prog);
		ASSERT_LT(0, id);
		ASSERT_EQ(0, uringblk_prog_get_combine(self->dev, id, &got));
		EXPECT_EQ(0, memcmp(&want, &got, sizeof(want)))
			TH_LOG("%s: PROG_LIST's combine differs from the object's", name);
		EXPECT_EQ(i < 6, got.r0 != URINGBLK_COMBINE_NONE) TH_LOG("%s", name);
	}
}

TEST_F(split, bad_declarations_refused)
{
	static const struct uringblk_prog_combine bad[] = {
		{ .r0 = 9 },
		{ .r0 = URINGBLK_COMBINE_SUM, .out = 7, .out_len = 8 },
		{ .r0 = URINGBLK_COMBINE_SUM, .out = URINGBLK_COMBINE_SUM },
		{ .r0 = URINGBLK_COMBINE_SUM, .out = URINGBLK_COMBINE_SUM, .out_len = 12 },
		{ .r0 = URINGBLK_COMBINE_NONZERO },
		{ .r0 = URINGBLK_COMBINE_MIN, .overlap_arg = 3 },
		{ .r0 = URINGBLK_COMBINE_SUM, .overlap_arg = 4 },
		{ .r0 = URINGBLK_COMBINE_SUM, .overlap_arg = 1, .overlap = 3 },
		{ .r0 = URINGBLK_COMBINE_SUM, .rsvd = 1 },
	};
	struct uringblk_prog_obj po;
	char path[512], log[512];

	ubp_obj_path("count_pattern", path, sizeof(path));
	ASSERT_EQ(0, uringblk_prog_read_obj(path, NULL, &po, NULL, 0));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, uringblk_prog_load_obj_combine(self->dev, &po, 0,
								   &bad[i], log,
								   sizeof(log)))
			TH_LOG("declaration %zu", i);
		EXPECT_NE(NULL, strstr(log, "combine")) TH_LOG("log: '%s'", log);
	}
	uringblk_prog_obj_free(&po);
}

TEST_F_TIMEOUT(split, count_pattern_across_every_boundary, 600)
{
	struct uringblk_exec_args a = { .lba_start = 0, .lba_count = DATA_BYTES / BS };
	struct uringblk_split_piece pieces[2 * URINGBLK_SPLIT_MAX];
	struct uringblk_prog_combine cb;
	struct uringblk_exec_result r;
	int id = load(self->dev, "count_pattern", NULL);

	ASSERT_LT(0, id);
	ASSERT_EQ(0, uringblk_prog_get_combine(self->dev, id, &cb));
	a.prog_id = id;
	for (int round = 0; round < ROUNDS; round++) {
		unsigned int nr = 1 + rnd(16);
		size_t plen = 2 + rnd(15);
		char pat[16];
		int np;

		for (size_t i = 0; i < plen; i++)
			pat[i] = "ab"[rnd(2)];
		for (uint64_t i = 0; i < DATA_BYTES; i++)
			self->data[i] = "abcd"[rnd(4)];
		ASSERT_EQ(0, count_pattern_args(a.args, pat, plen));
		np = uringblk_split_plan(&cb, &a, BS, nr, pieces, 2 * URINGBLK_SPLIT_MAX);
		ASSERT_LT(0, np);
		/* the pattern straddling each boundary, at every offset in turn */
		for (int i = 0; i < np; i++) {
			uint64_t b = pieces[i].lba_start * BS;

			if (b)
				memcpy(self->data + b - 1 - (uint64_t)(i + round) % (plen - 1),
				       pat, plen);
		}
		ASSERT_EQ(0, put_data(self->bfd, self->data, DATA_BYTES));
		ASSERT_EQ(0, uringblk_exec_split(self->dev, &a, nr, &r, NULL, 0));
		/* against C, and against one EXEC */
		EXPECT_EQ(ubp_ref_count(self->data, DATA_BYTES, pat, plen), r.r0)
			TH_LOG("%u pieces, pattern of %zu", nr, plen);
		same(_metadata, self, &a, nr, 0);
	}
}

TEST_F_TIMEOUT(split, every_rule_random, 600)
{
	static const uint64_t recs[] = { 3, 100, 512, 700, 4096 };
	struct uringblk_exec_args a = { .lba_start = 0 };
	int cp = load(self->dev, "count_word", NULL);
	int hist = load(self->dev, "histogram", NULL);
	int rec = load(self->dev, "sum_records", NULL);
	int mn = load(self->dev, "minmax", "min_u32");
	int mx = load(self->dev, "minmax", "max_u32");
	struct uringblk_prog_info info;
	int dd;

	ASSERT_LT(0, cp);
	ASSERT_LT(0, hist);
	ASSERT_LT(0, rec);
	ASSERT_LT(0, mn);
	ASSERT_LT(0, mx);
	/* the device-defined twin of count_pattern declares as its twin */
	ASSERT_EQ(0, uringblk_prog_find(self->dev, "count_pattern", &info));
	ASSERT_EQ(URINGBLK_COMBINE_SUM, info.combine.r0);
	dd = info.id;
	for (int round = 0; round < ROUNDS; round++) {
		uint64_t width;

		for (uint64_t i = 0; i < DATA_BYTES; i++)
			self->data[i] = round % 2 ? rnd(256) : "AlphaBetGmDt "[rnd(13)];
		self->data[rnd(DATA_BYTES)] = round % 2 ? 0 : 0xff;
		ASSERT_EQ(0, put_data(self->bfd, self->data, DATA_BYTES));
		a.lba_count = 1 + rnd(DATA_BYTES / BS);

		a.prog_id = cp;
		a.args[0] = rnd(4);
		a.args[1] = a.args[2] = 0;
		same(_metadata, self, &a, 1 + rnd(16), 0);

		a.prog_id = hist;
		a.args[0] = 0;
		same(_metadata, self, &a, 1 + rnd(16), 2048);

		a.prog_id = rec;
		a.args[0] = recs[rnd(5)];
		do {
			width = 1ULL << rnd(4);
		} while (width > a.args[0]);
		a.args[1] = rnd(a.args[0] - width + 1);
		a.args[2] = width;
		same(_metadata, self, &a, 1 + rnd(16), 16);

		a.args[0] = a.args[1] = a.args[2] = 0;
		a.prog_id = mn;
		same(_metadata, self, &a, 1 + rnd(16), 0);
		a.prog_id = mx;
		same(_metadata, self, &a, 1 + rnd(16), 0);

		a.prog_id = dd;
		ASSERT_EQ(0, count_pattern_args(a.args, "Alpha", 5));
		same(_metadata, self, &a, 1 + rnd(16), 0);
	}
}

TEST_F(split, undeclared_cannot_be_split)
{
	struct uringblk_exec_args a = { .lba_start = 0, .lba_count = 64 };
	struct uringblk_exec_result r;
	uint64_t runs0, runs;
	char cmd[512], line[512];
	FILE *f;
	int id = load(self->dev, "checksum", NULL), st;

	ASSERT_LT(0, id);
	a.prog_id = id;
	ASSERT_EQ(0, ubp_counter(0, "prog_runs", &runs0));
	EXPECT_EQ(-EOPNOTSUPP, uringblk_exec_split(self->dev, &a, 4, &r, NULL, 0));
	ASSERT_EQ(0, ubp_counter(0, "prog_runs", &runs));
	EXPECT_EQ(runs0, runs) TH_LOG("a refused split ran something");
	/* the CLI says why, and exits 1 */
	snprintf(cmd, sizeof(cmd), "uringblk exec 0 %d --lba 0 --count 64 --split 4 2>&1",
		 id);
	f = popen(cmd, "r");
	ASSERT_NE(NULL, f);
	line[0] = '\0';
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	st = pclose(f);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		SKIP(return, "no uringblk CLI in PATH");
	EXPECT_EQ(1, WEXITSTATUS(st));
	EXPECT_NE(NULL, strstr(line, "declares no combine rule")) TH_LOG("CLI: %s", line);
	TH_LOG("CLI: %s", line);
}

/* The CLI's --split prints what one EXEC prints (r0). */
TEST_F(split, cli_split_flag)
{
	char cmd[512], a[256] = "", b[256] = "";
	FILE *f;
	int id = load(self->dev, "count_pattern", NULL), st;

	ASSERT_LT(0, id);
	for (uint64_t i = 0; i < DATA_BYTES; i++)
		self->data[i] = "ab"[rnd(2)];
	ASSERT_EQ(0, put_data(self->bfd, self->data, DATA_BYTES));
	for (int k = 0; k < 2; k++) {
		snprintf(cmd, sizeof(cmd), "uringblk exec 0 %d --lba 0 --count %u "
			 "--pattern abba %s | grep '^r0'", id, DATA_BYTES / BS,
			 k ? "--split 0" : "");
		f = popen(cmd, "r");
		ASSERT_NE(NULL, f);
		if (!fgets(k ? b : a, 256, f))
			(k ? b : a)[0] = '\0';
		st = pclose(f);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
			SKIP(return, "no uringblk CLI in PATH");
	}
	EXPECT_NE(0, a[0]);
	EXPECT_STREQ(a, b);
	TH_LOG("one EXEC: %s--split 0: %s", a, b);
}

TEST_HARNESS_MAIN
