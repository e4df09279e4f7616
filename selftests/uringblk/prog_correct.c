// SPDX-License-Identifier: GPL-2.0
/*
 * Every example program of bpf/ computes on the drive what the same
 * computation in C computes here over the same bytes: random data with
 * planted patterns, over ranges that start at a block but not at a page,
 * cross pages and the written/unwritten boundary, lie wholly in a hole
 * (reads as zeroes), end at the last block of the drive.  Each run also
 * moves the counters by exactly what it did: prog_runs by one,
 * prog_bytes_scanned by the bytes the helpers examined (the same number
 * the result struct reports, computed here independently),
 * prog_bytes_to_host and bytes_to_host by 64 + out_len, prog_insns by the
 * result's insns; READ counters not at all.
 *
 * The programs are built twice by the Makefile, for eBPF v1 (clang's
 * default) and v3 (ALU32, JMP32), and every test runs on both; and on
 * three EXEC paths (exec.c): inline with a handoff to the worker when the
 * slice ends (the default), always on the worker (exec_inline_units=0),
 * and yielding at the first reschedule point (exec_inline_units=1), so
 * that every run is suspended in the issuing task and resumed on the
 * worker.  The file-backed variants yield at the first page fetch.
 *
 * Also: a run never sees an earlier run's stack or output (both start
 * zeroed), EXEC sees writes, discards and zeroing that completed before
 * it was submitted, and the module runs every ISA v4 instruction as the
 * native vectors (tests/unit) expect.
 */
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "prog_test.h"

#define PARAMS		"capacity_mb=64"
#define CAPACITY	(64 * UBT_MIB)
#define BS		512ULL
#define NR_BLOCKS	(CAPACITY / BS)

/* Written at setup; everything else is a hole. */
#define DATA_LEN	(4 * UBT_MIB)		/* [0, 4 MiB) */
#define TAIL_LEN	(64 * UBT_KIB)		/* the last 64 KiB */
#define TAIL_OFF	(CAPACITY - TAIL_LEN)

#define OUT_MAX		URINGBLK_MAX_EXEC_OUT

#define R0 0
#define R1 1
#define R2 2
#define R3 3
#define R4 4
#define R6 6
#define R7 7
#define R10 10

/* Block ranges: lba, count. */
static const struct range {
	uint64_t lba, count;
	const char *what;
} ranges[] = {
	{ 0, DATA_LEN / BS, "all data" },
	{ 1, 7, "block 1-7: not page-aligned, ends at a page" },
	{ 7, 4105, "odd start and length, many pages" },
	{ DATA_LEN / BS - 3, 20, "data into the hole" },
	{ 6 * UBT_MIB / BS, 2048, "1 MiB of hole" },
	{ NR_BLOCKS - 1, 1, "the last block" },
	{ NR_BLOCKS - 129, 129, "hole into the tail, to the end" },
};

FIXTURE(correct) {
	struct io_uring ring;
	int cfd, bfd;
	uint64_t features;
	uint8_t *dev;		/* what the drive holds: the whole of it */
	uint8_t *reply;
	char log[4096];
};

FIXTURE_VARIANT(correct) {
	const char *suffix;	/* object name suffix: "" (v1) or ".v3" */
	const char *params;
	uint32_t page_cost;	/* budget units per page a helper fetches */
	bool never_inline;	/* no run may end in the issuing task */
};

FIXTURE_VARIANT_ADD(correct, v1) {
	.suffix = "",
	.params = PARAMS,
	.page_cost = 32,
};

FIXTURE_VARIANT_ADD(correct, v3) {
	.suffix = ".v3",
	.params = PARAMS,
	.page_cost = 32,
};

/* Every run on the worker, from its start: the path before inline runs. */
FIXTURE_VARIANT_ADD(correct, worker_v1) {
	.suffix = "",
	.params = PARAMS " exec_inline_units=0",
	.page_cost = 32,
	.never_inline = true,
};

/* Every run yields in the issuing task and is resumed on the worker. */
FIXTURE_VARIANT_ADD(correct, yield_v3) {
	.suffix = ".v3",
	.params = PARAMS " exec_inline_units=1",
	.page_cost = 32,
	.never_inline = true,
};

/* Compute on a file-backed drive must see exactly what memory would. */
FIXTURE_VARIANT_ADD(correct, file_v1) {
	.suffix = "",
	.params = PARAMS " backing=file path=/var/tmp/ubt-prog_correct.img",
	.page_cost = 1024,	/* each fetch reads the page from the file */
};

FIXTURE_VARIANT_ADD(correct, file_v3) {
	.suffix = ".v3",
	.params = PARAMS " backing=file path=/var/tmp/ubt-prog_correct.img",
	.page_cost = 1024,
};

static void plant(uint8_t *d, uint64_t off, const char *s)
{
	memcpy(d + off, s, strlen(s));
}

/* The variant's never_inline, for expect_run(). */
static bool never_inline;

FIXTURE_SETUP(correct)
{
	struct uringblk_identify id;
	uint64_t off;

	/* A fresh drive: the holes are really holes. */
	UBT_SETUP_MODULE(ubt_module_reload, variant->params);
	never_inline = variant->never_inline;
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	ASSERT_EQ(sizeof(id), ubt_identify(&self->ring, self->cfd, &id));
	if (!(id.features & URINGBLK_F_COMPUTE))
		UBT_SETUP_SKIP("the drive has no URINGBLK_F_COMPUTE");
	ASSERT_EQ(BS, id.logical_block_size);
	ASSERT_EQ(CAPACITY, id.capacity);
	self->features = id.features;

	self->dev = ubt_alloc(CAPACITY);
	self->reply = ubt_alloc(UBP_RES_SIZE + OUT_MAX);
	ASSERT_NE(NULL, self->dev);
	ASSERT_NE(NULL, self->reply);

	ubp_random(self->dev, DATA_LEN, 1);
	/* "Alpha" at block, page and range boundaries and all over */
	for (off = 1000; off + 5 < DATA_LEN; off += 7919)
		plant(self->dev, off, "Alpha");
	plant(self->dev, 0, "Alpha");
	plant(self->dev, 510, "Alpha");		/* blocks 0/1 */
	plant(self->dev, 4091, "Alpha");	/* ends at the end of block 7 */
	plant(self->dev, 4094, "Alpha");	/* pages 0/1 */
	plant(self->dev, 7 * BS - 2, "Alpha");	/* starts before range 3 */
	plant(self->dev, UBT_MIB - 2, "Alpha");
	plant(self->dev, DATA_LEN - 5, "Alpha");	/* ends at the hole */
	/* runs for overlapping matches */
	memset(self->dev + 100000, 'A', 64);
	memset(self->dev + 3 * UBT_MIB + 4090, 'A', 17);
	plant(self->dev, 8192 - 7, "0123456789abcdef");
	plant(self->dev, 2 * UBT_MIB + 3, "0123456789abcdef");
	memset(self->dev + 5000, 0, 40);	/* zeroes in the data too */

	ubp_random(self->dev + TAIL_OFF, TAIL_LEN, 2);
	plant(self->dev, CAPACITY - 5, "Alpha");	/* the drive's last bytes */
	plant(self->dev, CAPACITY - BS - 2, "Alpha");
	plant(self->dev, TAIL_OFF, "Alpha");

	self->bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, self->bfd);
	ASSERT_EQ(DATA_LEN, ubt_pwrite_full(self->bfd, self->dev, DATA_LEN, 0));
	ASSERT_EQ(TAIL_LEN, ubt_pwrite_full(self->bfd, self->dev + TAIL_OFF,
					    TAIL_LEN, TAIL_OFF));
}

FIXTURE_TEARDOWN(correct)
{
	io_uring_queue_exit(&self->ring);
	close(self->cfd);
	close(self->bfd);
	munmap(self->dev, CAPACITY);
	munmap(self->reply, UBP_RES_SIZE + OUT_MAX);
}

static int load_obj(struct __test_metadata *_metadata,
		    FIXTURE_DATA(correct) *self, const char *name,
		    const char *suffix)
{
	char obj[64];
	int id;

	snprintf(obj, sizeof(obj), "%s%s", name, suffix);
	id = ubp_load_obj(&self->ring, self->cfd, obj, self->log,
			  sizeof(self->log));
	EXPECT_LT(0, id) TH_LOG("load %s: %d: %s", obj, id, self->log);
	return id;
}

struct run {
	int res;
	uint64_t res2;
	struct uringblk_exec_result r;
	const uint8_t *out;
	struct uringblk_stats before, after;
};

#define DELTA(h, f)	((h)->after.f - (h)->before.f)

static void exec(struct __test_metadata *_metadata, FIXTURE_DATA(correct) *self,
		 const struct ubp_exec *e, uint32_t out_len, struct run *h)
{
	memset(h, 0, sizeof(*h));
	memset(self->reply, 0xa5, UBP_RES_SIZE + out_len);
	ASSERT_EQ(sizeof(h->before), ubt_get_stats(&self->ring, self->cfd,
						   &h->before, 0));
	h->res = ubp_exec(&self->ring, self->cfd, e, self->reply,
			  UBP_RES_SIZE + out_len, &h->res2);
	ASSERT_EQ(sizeof(h->after), ubt_get_stats(&self->ring, self->cfd,
						  &h->after, 0));
	memcpy(&h->r, self->reply, sizeof(h->r));
	h->out = self->reply + UBP_RES_SIZE;
}

/*
 * A completed run with r0, out_len bytes of output and @scanned bytes
 * examined, and the counters moved by exactly that.
 */
static void expect_run(struct __test_metadata *_metadata, const struct run *h,
		       uint64_t r0, uint64_t out_len, uint64_t scanned)
{
	EXPECT_EQ(r0 > INT32_MAX ? -EOVERFLOW : (int)r0, h->res);
	EXPECT_EQ(r0, h->res2);
	EXPECT_EQ(r0, h->r.r0);
	EXPECT_EQ(0, h->r.error);
	EXPECT_EQ(URINGBLK_PROG_OK, h->r.abort_code);
	EXPECT_EQ(out_len, h->r.out_len);
	EXPECT_EQ(scanned, h->r.bytes_scanned);
	EXPECT_LT(0, h->r.insns);
	EXPECT_EQ(1, DELTA(h, prog_runs));
	/* ended inline or on the worker, counted once */
	EXPECT_EQ(1, DELTA(h, prog_runs_inline) + DELTA(h, prog_runs_worker));
	if (never_inline)
		EXPECT_EQ(0, DELTA(h, prog_runs_inline));
	EXPECT_EQ(scanned, DELTA(h, prog_bytes_scanned));
	EXPECT_EQ(UBP_RES_SIZE + out_len, DELTA(h, prog_bytes_to_host));
	EXPECT_EQ(UBP_RES_SIZE + out_len, DELTA(h, bytes_to_host));
	EXPECT_EQ(h->r.insns, DELTA(h, prog_insns));
	EXPECT_EQ(0, DELTA(h, prog_aborts_budget));
	EXPECT_EQ(0, DELTA(h, prog_aborts_bounds));
	EXPECT_EQ(0, DELTA(h, prog_aborts_fault));
	EXPECT_EQ(0, DELTA(h, read_ops)) TH_LOG("an EXEC is not a READ");
	EXPECT_EQ(0, DELTA(h, read_bytes));
	EXPECT_EQ(0, DELTA(h, prog_loads));
}

/* --- the programs ----------------------------------------------------------- */

TEST_F(correct, count_pattern)
{
	static const struct {
		const char *pat;
		size_t m;
		bool small_only;	/* the reference would be slow on MiBs */
	} pats[] = {
		{ "Alpha", 5, false }, { "A", 1, false }, { "AA", 2, false },
		{ "0123456789abcdef", 16, false },
		{ "lpha", 4, false }, { "\0\0\0\0", 4, true },
	};
	int id = load_obj(_metadata, self, "count_pattern", variant->suffix);
	struct ubp_exec e = { .prog = id };
	struct run h;
	size_t r, i;

	ASSERT_LT(0, id);
	for (r = 0; r < ARRAY_SIZE(ranges); r++) {
		const uint8_t *d = self->dev + ranges[r].lba * BS;
		uint64_t len = ranges[r].count * BS, want;

		e.lba = ranges[r].lba;
		e.count = ranges[r].count;
		for (i = 0; i < ARRAY_SIZE(pats); i++) {
			if (pats[i].small_only && len > 64 * UBT_KIB)
				continue;
			ubp_pattern_args(&e, pats[i].pat, pats[i].m);
			want = ubp_ref_count(d, len, pats[i].pat, pats[i].m);
			exec(_metadata, self, &e, 0, &h);
			expect_run(_metadata, &h, want, 0, len);
			if (h.r.r0 != want)
				TH_LOG("%s, pattern %zu: r0 %llu want %llu",
				       ranges[r].what, i,
				       (unsigned long long)h.r.r0,
				       (unsigned long long)want);
		}
	}
	/* the whole drive, 64 MiB: planted ones plus chance */
	e.lba = 0;
	e.count = NR_BLOCKS;
	ubp_pattern_args(&e, "Alpha", 5);
	exec(_metadata, self, &e, 0, &h);
	expect_run(_metadata, &h, ubp_ref_count(self->dev, CAPACITY, "Alpha", 5), 0,
		   CAPACITY);
	/* the program's own argument check: a 17-byte pattern */
	e.args[2] = 17;
	exec(_metadata, self, &e, 0, &h);
	EXPECT_EQ(-EINVAL, h.res);
	EXPECT_EQ(URINGBLK_PROG_ABORT_ARG, h.r.abort_code);
	EXPECT_EQ(1, DELTA(&h, prog_aborts_fault));
}

TEST_F(correct, grep)
{
	static uint64_t want[OUT_MAX / 8];
	static const uint64_t caps[] = { OUT_MAX / 8, 3, 1, 0 };
	int id = load_obj(_metadata, self, "grep", variant->suffix);
	struct ubp_exec e = { .prog = id };
	uint64_t n, scanned, r0;
	struct run h;
	size_t r, c;
	int more;

	ASSERT_LT(0, id);
	ubp_pattern_args(&e, "Alpha", 5);
	for (r = 0; r < ARRAY_SIZE(ranges); r++) {
		const uint8_t *d = self->dev + ranges[r].lba * BS;
		uint64_t len = ranges[r].count * BS;

		e.lba = ranges[r].lba;
		e.count = ranges[r].count;
		for (c = 0; c < ARRAY_SIZE(caps); c++) {
			n = ubp_ref_grep(d, len, "Alpha", 5, want, caps[c], &more,
				     &scanned);
			r0 = n | (more ? UBP_GREP_MORE : 0);
			exec(_metadata, self, &e, caps[c] * 8, &h);
			expect_run(_metadata, &h, r0, n * 8, scanned);
			EXPECT_EQ(0, memcmp(h.out, want, n * 8))
				TH_LOG("%s: offsets differ", ranges[r].what);
			if (h.r.r0 != r0 || h.r.bytes_scanned != scanned)
				TH_LOG("%s, cap %llu: r0 %#llx want %#llx, "
				       "scanned %llu want %llu", ranges[r].what,
				       (unsigned long long)caps[c],
				       (unsigned long long)h.r.r0,
				       (unsigned long long)r0,
				       (unsigned long long)h.r.bytes_scanned,
				       (unsigned long long)scanned);
		}
	}
	/* overlapping occurrences: a run of 64 'A' holds 63 "AA" */
	ubp_pattern_args(&e, "AA", 2);
	e.lba = 100000 / BS;
	e.count = 2;
	n = ubp_ref_grep(self->dev + e.lba * BS, 2 * BS, "AA", 2, want, 1000, &more,
		     &scanned);
	ASSERT_LE(63, n);
	exec(_metadata, self, &e, 8000, &h);
	expect_run(_metadata, &h, n, n * 8, scanned);
	EXPECT_EQ(0, memcmp(h.out, want, n * 8));
}

TEST_F(correct, histogram)
{
	int id = load_obj(_metadata, self, "histogram", variant->suffix);
	struct ubp_exec e = { .prog = id };
	uint64_t want[256], distinct;
	struct run h;
	size_t r;

	ASSERT_LT(0, id);
	for (r = 0; r < ARRAY_SIZE(ranges); r++) {
		uint64_t len = ranges[r].count * BS;

		e.lba = ranges[r].lba;
		e.count = ranges[r].count;
		distinct = ubp_ref_hist(self->dev + e.lba * BS, len, want);
		/* 2048 bytes of output, or more: the program fills 2048 */
		exec(_metadata, self, &e, r % 2 ? 2048 : 4096, &h);
		expect_run(_metadata, &h, distinct, 2048, len);
		EXPECT_EQ(0, memcmp(h.out, want, sizeof(want)))
			TH_LOG("%s: bins differ", ranges[r].what);
	}
	/* too small an output: the program's own -EINVAL */
	exec(_metadata, self, &e, 2040, &h);
	EXPECT_EQ(-EINVAL, h.res);
	EXPECT_EQ(URINGBLK_PROG_ABORT_ARG, h.r.abort_code);
}

TEST_F(correct, checksum)
{
	int id = load_obj(_metadata, self, "checksum", variant->suffix);
	struct ubp_exec e = { .prog = id };
	struct run h;
	uint64_t want;
	size_t r;

	ASSERT_LT(0, id);
	for (r = 0; r < ARRAY_SIZE(ranges); r++) {
		const uint8_t *d = self->dev + ranges[r].lba * BS;
		uint64_t len = ranges[r].count * BS;

		e.lba = ranges[r].lba;
		e.count = ranges[r].count;
		e.args[0] = 0;		/* sum32 */
		want = ubp_ref_sum32(d, len);
		exec(_metadata, self, &e, 0, &h);
		expect_run(_metadata, &h, want, 0, len);
		if (len > 64 * UBT_KIB)
			continue;	/* CRC-32 in bytecode: ~27 units a byte */
		e.args[0] = 1;
		want = ubp_ref_crc32(d, len);
		exec(_metadata, self, &e, 0, &h);
		expect_run(_metadata, &h, want, 0, len);
		if (h.r.r0 != want)
			TH_LOG("%s: crc %#llx want %#llx", ranges[r].what,
			       (unsigned long long)h.r.r0,
			       (unsigned long long)want);
	}
	/* CRC-32 of 64 KiB straddling the data and the hole */
	e.lba = (DATA_LEN - 32 * UBT_KIB) / BS;
	e.count = 128;
	e.args[0] = 1;
	want = ubp_ref_crc32(self->dev + e.lba * BS, 64 * UBT_KIB);
	exec(_metadata, self, &e, 0, &h);
	expect_run(_metadata, &h, want, 0, 64 * UBT_KIB);
	/* the whole drive's sum */
	e.lba = 0;
	e.count = NR_BLOCKS;
	e.args[0] = 0;
	exec(_metadata, self, &e, 0, &h);
	expect_run(_metadata, &h, ubp_ref_sum32(self->dev, CAPACITY), 0, CAPACITY);
	e.args[0] = 3;	/* 2 is CRC-32C since bpf/checksum grew it */
	exec(_metadata, self, &e, 0, &h);
	EXPECT_EQ(-EINVAL, h.res);
	EXPECT_EQ(URINGBLK_PROG_ABORT_ARG, h.r.abort_code);
}

TEST_F(correct, sum_records)
{
	static const struct {
		uint64_t lba, count, rec, foff, width;
	} cases[] = {
		{ 0, 2048, 16, 8, 8 },			/* batched, 64 K records */
		{ 1, 7, 12, 2, 4 },			/* partial last record */
		{ 7, 130, 1000, 998, 2 },		/* one field per read */
		{ 3, 1, 1, 0, 1 },
		{ 9, 31, 256, 255, 1 },
		{ 8190, 16, 300, 7, 8 },		/* into the hole */
		{ NR_BLOCKS - 5, 5, 100, 92, 8 },
		{ NR_BLOCKS - 1, 1, 513, 0, 8 },	/* no whole record */
		{ 2, 2, 65536, 0, 8 },			/* none either */
	};
	int id = load_obj(_metadata, self, "sum_records", variant->suffix);
	struct ubp_exec e = { .prog = id, .budget = 1ULL << 32 };
	uint64_t sum, nrec, o[2], scanned;
	struct run h;
	size_t i;

	ASSERT_LT(0, id);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t len = cases[i].count * BS;

		e.lba = cases[i].lba;
		e.count = cases[i].count;
		e.args[0] = cases[i].rec;
		e.args[1] = cases[i].foff;
		e.args[2] = cases[i].width;
		sum = ubp_ref_records(self->dev + e.lba * BS, len, cases[i].rec,
				  cases[i].foff, cases[i].width, &nrec);
		/* batched reads take whole records, others just the field */
		scanned = nrec * (cases[i].rec <= 256 ? cases[i].rec : cases[i].width);
		exec(_metadata, self, &e, 16, &h);
		expect_run(_metadata, &h, sum, 16, scanned);
		memcpy(o, h.out, sizeof(o));
		EXPECT_EQ(sum, o[0]);
		EXPECT_EQ(nrec, o[1]) TH_LOG("case %zu", i);
		/* less than 16 bytes of output: none written */
		exec(_metadata, self, &e, 15, &h);
		expect_run(_metadata, &h, sum, 0, scanned);
	}
	e.args[0] = 16;
	e.args[1] = 14;
	e.args[2] = 4;		/* the field overruns the record */
	exec(_metadata, self, &e, 16, &h);
	EXPECT_EQ(-EINVAL, h.res);
	EXPECT_EQ(URINGBLK_PROG_ABORT_ARG, h.r.abort_code);
}

/* --- fresh state per run ---------------------------------------------------- */

/*
 * Two programs of the same shape over frame 0, the output buffer and a
 * callee's frame 1: "fill" stores all ones there, "scan" ORs together what
 * it finds and returns it.  Stores are 8 bytes on the stack, 1 byte in the
 * output (any out_len works).
 */
static size_t stack_out_prog(struct bpf_insn *p, bool fill)
{
	size_t n = 0;

	p[n++] = BPF_MOV64_IMM(R0, 0);
	p[n++] = BPF_MOV64_REG(R2, R10);
	p[n++] = BPF_ALU64_IMM(BPF_ADD, R2, -512);
	if (fill) {						/* 3 */
		p[n++] = BPF_ST_MEM(BPF_DW, R2, 0, -1);
		p[n++] = BPF_MOV64_IMM(R0, 1);
	} else {
		p[n++] = BPF_LDX_MEM(BPF_DW, R3, R2, 0);
		p[n++] = BPF_ALU64_REG(BPF_OR, R0, R3);
	}
	p[n++] = BPF_ALU64_IMM(BPF_ADD, R2, 8);
	p[n++] = BPF_JMP_REG(BPF_JLT, R2, R10, -4);		/* 6 -> 3 */
	p[n++] = BPF_LDX_MEM(BPF_DW, R2, R1, UBP_CTX(out));
	p[n++] = BPF_LDX_MEM(BPF_W, R4, R1, UBP_CTX(out_len));
	p[n++] = BPF_ALU64_REG(BPF_ADD, R4, R2);
	p[n++] = BPF_JMP_REG(BPF_JGE, R2, R4, 4);		/* 10 -> 15 */
	if (fill) {						/* 11 */
		p[n++] = BPF_ST_MEM(BPF_B, R2, 0, 0xff);
		p[n++] = BPF_MOV64_IMM(R0, 1);
	} else {
		p[n++] = BPF_LDX_MEM(BPF_B, R3, R2, 0);
		p[n++] = BPF_ALU64_REG(BPF_OR, R0, R3);
	}
	p[n++] = BPF_ALU64_IMM(BPF_ADD, R2, 1);
	p[n++] = BPF_JMP_REG(BPF_JLT, R2, R4, -4);		/* 14 -> 11 */
	p[n++] = BPF_MOV64_REG(R6, R0);				/* 15 */
	p[n++] = BPF_CALL_REL(2);				/* 16 -> 19 */
	p[n++] = BPF_ALU64_REG(BPF_OR, R0, R6);
	p[n++] = BPF_EXIT_INSN();
	/* callee: the same over its own frame */
	p[n++] = BPF_MOV64_IMM(R0, 0);				/* 19 */
	p[n++] = BPF_MOV64_REG(R2, R10);
	p[n++] = BPF_ALU64_IMM(BPF_ADD, R2, -512);
	if (fill) {						/* 22 */
		p[n++] = BPF_ST_MEM(BPF_DW, R2, 0, -1);
		p[n++] = BPF_MOV64_IMM(R0, 1);
	} else {
		p[n++] = BPF_LDX_MEM(BPF_DW, R3, R2, 0);
		p[n++] = BPF_ALU64_REG(BPF_OR, R0, R3);
	}
	p[n++] = BPF_ALU64_IMM(BPF_ADD, R2, 8);
	p[n++] = BPF_JMP_REG(BPF_JLT, R2, R10, -4);		/* 25 -> 22 */
	p[n++] = BPF_EXIT_INSN();
	return n;
}

TEST_F(correct, stack_and_output_start_zeroed)
{
	struct bpf_insn fill[32], scan[32];
	size_t nf = stack_out_prog(fill, true), ns = stack_out_prog(scan, false);
	int fid, sid, i;
	struct ubp_exec e = { .lba = 1, .count = 1 };
	struct run h;

	/*
	 * Each EXEC allocates its run state and output anew; with init_on_alloc
	 * the kernel already zeroes them, and only boots with
	 * init_on_alloc=0 (URINGBLK_VM_APPEND=init_on_alloc=0 tools/vm/run ...)
	 * would show a driver that does not zero them itself.
	 */
	if (ubp_heap_init_on_alloc())
		TH_LOG("note: init_on_alloc is on, the kernel zeroes allocations too");
	fid = ubp_load(&self->ring, self->cfd, fill, nf, "fill", self->log,
		       sizeof(self->log));
	ASSERT_LT(0, fid) TH_LOG("%s", self->log);
	sid = ubp_load(&self->ring, self->cfd, scan, ns, "scan", self->log,
		       sizeof(self->log));
	ASSERT_LT(0, sid) TH_LOG("%s", self->log);

	for (i = 0; i < 3; i++) {
		e.prog = fid;
		exec(_metadata, self, &e, 4096, &h);
		expect_run(_metadata, &h, 1, 4096, 0);
		EXPECT_EQ(0xff, h.out[0]);
		EXPECT_EQ(0xff, h.out[4095]);
		/* what "fill" left must not be visible: stack, output, frame 1 */
		e.prog = sid;
		exec(_metadata, self, &e, 4096, &h);
		expect_run(_metadata, &h, 0, 0, 0);
		/* the same with a larger and a smaller output buffer */
		e.prog = fid;
		exec(_metadata, self, &e, OUT_MAX, &h);
		expect_run(_metadata, &h, 1, OUT_MAX, 0);
		e.prog = sid;
		exec(_metadata, self, &e, 64, &h);
		expect_run(_metadata, &h, 0, 0, 0);
	}
}

/*
 * A helper pays for every page it fetches (uAPI "Helpers"): 1-byte reads
 * of args[0] pages cost, per read, the loop's 7 slots, 2 for the call, 1
 * for the byte and the backend's page cost, whatever the data.
 */
TEST_F(correct, page_fetch_cost)
{
	/* for (r6 = 0; r6 < args[0] * 4096; r6 += 4096) read(r6, r10 - 8, 1) */
	const struct bpf_insn p[] = {
		BPF_LDX_MEM(BPF_DW, R7, R1, UBP_CTX(args[0])),
		BPF_ALU64_IMM(BPF_LSH, R7, 12),
		BPF_MOV64_IMM(R6, 0),
		BPF_MOV64_REG(R1, R6),				/* 3 */
		BPF_MOV64_REG(R2, R10),
		BPF_ALU64_IMM(BPF_ADD, R2, -8),
		BPF_MOV64_IMM(R3, 1),
		BPF_EMIT_CALL(URINGBLK_HELPER_READ),
		BPF_ALU64_IMM(BPF_ADD, R6, 4096),
		BPF_JMP_REG(BPF_JLT, R6, R7, -7),		/* 9 -> 3 */
		BPF_MOV64_IMM(R0, 0),
		BPF_EXIT_INSN(),
	};
	struct ubp_exec e = { .lba = 0, .count = 64 * 4096 / BS };
	uint64_t one, many;
	struct run h;

	e.prog = ubp_load(&self->ring, self->cfd, p, UBP_NINSNS(p), "pages",
			  self->log, sizeof(self->log));
	ASSERT_LT(0, e.prog) TH_LOG("%s", self->log);
	e.args[0] = 1;
	exec(_metadata, self, &e, 0, &h);
	expect_run(_metadata, &h, 0, 0, 1);
	one = h.r.insns;
	e.args[0] = 64;
	exec(_metadata, self, &e, 0, &h);
	expect_run(_metadata, &h, 0, 0, 64);
	many = h.r.insns;
	EXPECT_EQ(63 * (7 + 2 + 1 + variant->page_cost), many - one)
		TH_LOG("1 page: %llu units, 64 pages: %llu",
		       (unsigned long long)one, (unsigned long long)many);
}

/* --- EXEC sees completed writes ----------------------------------------- */

TEST_F(correct, sees_writes_discards_zeroes)
{
	int id = load_obj(_metadata, self, "checksum", variant->suffix);
	struct ubp_exec e = { .prog = id, .lba = 64, .count = 64 };
	uint64_t off = e.lba * BS, len = e.count * BS, r[2];
	static uint8_t buf[64 * 512] __attribute__((aligned(4096)));
	struct run h;
	int i;

	ASSERT_LT(0, id);
	for (i = 0; i < 8; i++) {
		/* a new generation of the range, then EXEC right away */
		ubp_random(buf, len, 100 + i);
		ASSERT_EQ(len, ubt_pwrite_full(self->bfd, buf, len, off));
		exec(_metadata, self, &e, 0, &h);
		expect_run(_metadata, &h, ubp_ref_sum32(buf, len), 0, len);
		/* a partial overwrite of 3 blocks in the middle */
		ubp_random(buf + 5 * BS, 3 * BS, 200 + i);
		ASSERT_EQ(3 * BS, ubt_pwrite_full(self->bfd, buf + 5 * BS, 3 * BS,
						  off + 5 * BS));
		exec(_metadata, self, &e, 0, &h);
		expect_run(_metadata, &h, ubp_ref_sum32(buf, len), 0, len);
	}
	if (!(self->features & URINGBLK_F_DISCARD))
		SKIP(return, "no URINGBLK_F_DISCARD: discarded data need not read as zeroes");
	/* discard 8 blocks (not page-aligned), zero-out 4 more: zeroes */
	r[0] = off + 3 * BS;
	r[1] = 8 * BS;
	ASSERT_EQ(0, ioctl(self->bfd, BLKDISCARD, r));
	memset(buf + 3 * BS, 0, 8 * BS);
	r[0] = off + 20 * BS;
	r[1] = 4 * BS;
	ASSERT_EQ(0, ioctl(self->bfd, BLKZEROOUT, r));
	memset(buf + 20 * BS, 0, 4 * BS);
	exec(_metadata, self, &e, 0, &h);
	expect_run(_metadata, &h, ubp_ref_sum32(buf, len), 0, len);
}

/* The prog_* counters of sysfs and of GET_STATS are the same numbers. */
TEST_F(correct, counters_sysfs_match)
{
	static const char *const names[] = {
		"prog_loads", "prog_runs", "prog_aborts_budget",
		"prog_aborts_bounds", "prog_aborts_fault", "prog_insns",
		"prog_bytes_scanned", "prog_bytes_to_host",
	};
	int id = load_obj(_metadata, self, "histogram", variant->suffix);
	struct ubp_exec e = { .prog = id, .lba = 0, .count = 16 };
	struct uringblk_prog_info info;
	struct uringblk_stats st;
	const __u64 *v = &st.prog_loads;
	uint64_t sys;
	struct run h;
	size_t i;

	ASSERT_LT(0, id);
	exec(_metadata, self, &e, 2048, &h);
	exec(_metadata, self, &e, 100, &h);	/* aborts: arg */
	ASSERT_EQ(sizeof(st), ubt_get_stats(&self->ring, self->cfd, &st, 0));
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		ASSERT_EQ(0, ubp_counter(0, names[i], &sys)) TH_LOG("%s", names[i]);
		EXPECT_EQ(v[i], sys) TH_LOG("%s", names[i]);
	}
	/* a fresh drive: exactly what this test did */
	EXPECT_EQ(1, st.prog_loads);
	EXPECT_EQ(2, st.prog_runs);
	EXPECT_EQ(1, st.prog_aborts_fault);
	EXPECT_EQ(2 * UBP_RES_SIZE + 2048, st.prog_bytes_to_host);
	/* and the program's own run count */
	ASSERT_EQ(1, ubp_list(&self->ring, self->cfd, 0, &info, 1));
	EXPECT_EQ(id, info.id);
	EXPECT_EQ(2, info.runs);
	EXPECT_EQ(0, strncmp(info.name, "histogram", 9)) TH_LOG("name '%.32s'",
								 info.name);
}

/* --- ISA v4, run by the kernel build of the interpreter ------------------- */

#define UBP_MEMSX	0x80	/* BPF_MEMSX: 6.1's <linux/bpf.h> lacks it */
#define R9 9

/*
 * One instance of each ISA v4 instruction, with the edge cases the kernel
 * defines (INT_MIN / -1, modulo by zero, zero-extension), each result
 * stored in the output: the module's interpreter (kernel byte swaps,
 * kernel division) must agree with the native one the vectors test.
 */
TEST_F(correct, isa_v4)
{
	static const struct bpf_insn p[] = {
		BPF_LDX_MEM(BPF_DW, R9, R1, UBP_CTX(out)),
		BPF_MOV64_IMM(R0, -7),
		BPF_RAW_INSN(BPF_ALU64 | BPF_DIV | BPF_K, R0, 0, 1, 2),	/* sdiv */
		BPF_STX_MEM(BPF_DW, R9, R0, 0),
		BPF_LD_IMM64(R0, 0x8000000000000000ULL),
		BPF_MOV64_IMM(R2, -1),
		BPF_RAW_INSN(BPF_ALU64 | BPF_DIV | BPF_X, R0, R2, 1, 0),
		BPF_STX_MEM(BPF_DW, R9, R0, 8),
		BPF_LD_IMM64(R0, 0xdeadbeef80000000ULL),
		BPF_RAW_INSN(BPF_ALU | BPF_DIV | BPF_K, R0, 0, 1, -1),	/* sdiv32 */
		BPF_STX_MEM(BPF_DW, R9, R0, 16),
		BPF_LD_IMM64(R0, 0xdeadbeef80000007ULL),
		BPF_MOV64_IMM(R2, 0),
		BPF_RAW_INSN(BPF_ALU | BPF_MOD | BPF_X, R0, R2, 1, 0),	/* smod32 */
		BPF_STX_MEM(BPF_DW, R9, R0, 24),
		BPF_MOV64_IMM(R2, 0x80),
		BPF_RAW_INSN(BPF_ALU64 | BPF_MOV | BPF_X, R0, R2, 8, 0),	/* movsx */
		BPF_STX_MEM(BPF_DW, R9, R0, 32),
		BPF_MOV64_IMM(R2, 0x8000),
		BPF_RAW_INSN(BPF_ALU | BPF_MOV | BPF_X, R0, R2, 16, 0),
		BPF_STX_MEM(BPF_DW, R9, R0, 40),
		BPF_LD_IMM64(R0, 0x1122334455667788ULL),
		BPF_RAW_INSN(BPF_ALU64 | BPF_END | BPF_TO_LE, R0, 0, 0, 16),	/* bswap */
		BPF_STX_MEM(BPF_DW, R9, R0, 48),
		BPF_ST_MEM(BPF_DW, R10, -8, -32000),
		BPF_RAW_INSN(BPF_LDX | UBP_MEMSX | BPF_H, R0, R10, -8, 0),	/* ldxsh */
		BPF_STX_MEM(BPF_DW, R9, R0, 56),
		BPF_MOV64_IMM(R0, 1),
		BPF_RAW_INSN(BPF_JMP32 | BPF_JA, 0, 0, 0, 1),		/* gotol +1 */
		BPF_MOV64_IMM(R0, 99),
		BPF_EXIT_INSN(),
	};
	static const uint64_t want[] = {
		-3ULL, 0x8000000000000000ULL, 0x80000000, 0x80000007,
		0xffffffffffffff80ULL, 0xffff8000, 0x8877,
		0xffffffffffff8300ULL,
	};
	struct ubp_exec e = { .lba = 0, .count = 1 };
	struct run h;
	size_t i;

	e.prog = ubp_load(&self->ring, self->cfd, p, UBP_NINSNS(p), "isa_v4",
			  self->log, sizeof(self->log));
	ASSERT_LT(0, e.prog) TH_LOG("%s", self->log);
	exec(_metadata, self, &e, sizeof(want), &h);
	expect_run(_metadata, &h, 1, sizeof(want), 0);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		EXPECT_EQ(want[i], ((const uint64_t *)h.out)[i]) TH_LOG("result %zu", i);
}

TEST_HARNESS_MAIN
