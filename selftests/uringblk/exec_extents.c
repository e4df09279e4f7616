// SPDX-License-Identifier: GPL-2.0
/*
 * EXEC over a list of extents (URINGBLK_EXEC_F_EXTENTS, ABI 1.4) and the
 * two other pieces of "offload over files": MEM_COPY zero ranges
 * (URINGBLK_COPY_F_ZERO) and EXECUTE's data_len.
 *  - every refusal with its errno, and nothing runs: an empty or too long
 *    list (-EINVAL, -E2BIG), F_ZONE_WP with it, a bad address (-EFAULT),
 *    an empty extent, unknown flags, rsvd, a zero extent with an LBA, a
 *    stream longer than 2^64 - 1 (-EINVAL), extents off the drive
 *    (-ERANGE), the first bad extent deciding; the context a run sees
 *    (lba_start = lba_count = 0, data_len the lengths summed);
 *  - random lists (lengths that are no multiple of the block size, zero
 *    extents, repeated and overlapping extents) where count_pattern, grep,
 *    checksum (CRC-32) and sum_records give what the same C computes over
 *    the same bytes end to end, in eBPF and device-defined alike;
 *  - "Alpha" split across an extent boundary at every place, and over
 *    five one-byte extents; a zero extent between the halves breaks it;
 *  - extents that end at the drive's last byte, and one byte past it;
 *  - the read policy (an injected read fault) in every extent;
 *  - identify.max_exec_extents extents run, one more is -E2BIG;
 *  - each on a memory drive (short runs inline, long ones yield to the
 *    worker and resume), with exec_inline_units=0 (the worker only) and on
 *    a file-backed drive (every read sleeps: the worker), checked by the
 *    inline and worker counters;
 *  - MEM_COPY with zero ranges: SLM zeroed where it held data, holes left
 *    holes (no memory), exact counters, the refusals; a file's extents
 *    through MEM_COPY and EXECUTE with data_len give EXEC's count;
 *  - EXECUTE's data_len: a count over a cut window, a read past the cut
 *    aborts out of range, a load past it is a memory fault.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "prog_test.h"

#define R0 0
#define R1 1
#define R2 2
#define R3 3
#define R4 4
#define R10 10

#define PARAM_PATH	"/sys/module/uringblk/parameters/exec_inline_units"
#define FAULT_DIR	"/sys/block/uringblk0/fault/"
#define DEFAULT_UNITS	16384
#define CAPACITY	(16 * UBT_MIB)
#define BS		512ULL
#define NBLK		(CAPACITY / BS)
#define PAGE		4096ULL
#define STREAM_MAX	(8 * UBT_MIB)
#define OUT_LEN		4096			/* grep: 512 offsets */
#define REPLY_LEN	(UBP_RES_SIZE + OUT_LEN)
#define SLM_MB		16
#define MAX_LIST	64			/* random lists: up to this many */
/* the blocks test_split uses, past the text: each starts with a suffix */
#define SPLIT_LBA	(NBLK - 64)

/* r0 = ctx->data_len */
static const struct bpf_insn ret_data_len[] = {
	BPF_LDX_MEM(BPF_DW, R0, R1, UBP_CTX(data_len)),
	BPF_EXIT_INSN(),
};

/* r0 = lba_start + lba_count + block_size: 0 + 0 + the drive's */
static const struct bpf_insn ret_lba_bs[] = {
	BPF_LDX_MEM(BPF_DW, R0, R1, UBP_CTX(lba_start)),
	BPF_LDX_MEM(BPF_DW, R2, R1, UBP_CTX(lba_count)),
	BPF_ALU64_REG(BPF_ADD, R0, R2),
	BPF_LDX_MEM(BPF_W, R2, R1, UBP_CTX(block_size)),
	BPF_ALU64_REG(BPF_ADD, R0, R2),
	BPF_EXIT_INSN(),
};

/* uringblk_read(args[0], stack, 8): r0 = 0, or the run aborts */
static const struct bpf_insn read8_at[] = {
	BPF_LDX_MEM(BPF_DW, R1, R1, UBP_CTX(args[0])),
	BPF_MOV64_REG(R2, R10),
	BPF_ALU64_IMM(BPF_ADD, R2, -8),
	BPF_MOV64_IMM(R3, 8),
	BPF_EMIT_CALL(URINGBLK_HELPER_READ),
	BPF_EXIT_INSN(),
};

/* r0 = *(u8 *)(mem + args[0]) */
static const struct bpf_insn load_mem_at[] = {
	BPF_LDX_MEM(BPF_DW, R2, R1, UBP_CTX(mem)),
	BPF_LDX_MEM(BPF_DW, R3, R1, UBP_CTX(args[0])),
	BPF_ALU64_REG(BPF_ADD, R2, R3),
	BPF_LDX_MEM(BPF_B, R0, R2, 0),
	BPF_EXIT_INSN(),
};

/* The bpf/ programs run over every list, eBPF and device-defined. */
enum { P_COUNT, P_GREP, P_CKSUM, P_RECS, NR_PROGS };
static const char *const prog_names[NR_PROGS] = {
	"count_pattern", "grep", "checksum", "sum_records",
};
/* sum_records: 13-byte records, an 8-byte field at 4: fields cross extents */
#define REC		13
#define REC_FOFF	4
#define REC_WIDTH	8
/* CRC-32 in bytecode costs ~27 units a byte: only for shorter streams */
#define CKSUM_MAX	(512 * UBT_KIB)

FIXTURE(ext) {
	struct io_uring ring;
	int cfd;
	struct uringblk_identify id;
	uint8_t *img;		/* the drive's bytes, as written */
	uint8_t *stream;	/* a list's bytes end to end: the reference */
	uint8_t *reply, *reply2;
	uint32_t ebpf[NR_PROGS];	/* program ids */
	uint32_t dd[NR_PROGS];		/* device-defined ones, 0 = none */
};

FIXTURE_VARIANT(ext) {
	const char *params;
	unsigned int slice;	/* exec_inline_units */
	bool file;
};

FIXTURE_VARIANT_ADD(ext, mem) {
	.params = "capacity_mb=16 slm_size_mb=16",
	.slice = DEFAULT_UNITS,
};

FIXTURE_VARIANT_ADD(ext, mem_worker) {
	.params = "capacity_mb=16 slm_size_mb=16",
	.slice = 0,
};

FIXTURE_VARIANT_ADD(ext, file) {
	.params = "capacity_mb=16 slm_size_mb=16 backing=file "
		  "path=/var/tmp/ubt-exec_extents.img",
	.slice = DEFAULT_UNITS,
	.file = true,
};

static int fault_knob(const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), FAULT_DIR "%s", name);
	return ubt_write_str(path, val);
}

static int set_slice(unsigned int units)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", units);
	return ubt_write_str(PARAM_PATH, buf);
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/*
 * Text dense in "Alpha" and in its pieces, so that extents glued end to
 * end make new matches at their boundaries (and break others).
 */
static void fill_text(uint8_t *p, uint64_t len, uint64_t seed)
{
	static const char *const tok[] = {
		"Alpha ", "Al", "pha ", "lpha ", "A", "Alph", "a ", "alpha ",
		"beta\n", "AAlpha", "gamma ", "ph", "x",
	};
	uint64_t s = seed | 1, i = 0;

	while (i < len) {
		const char *t = tok[rnd(&s) % (sizeof(tok) / sizeof(tok[0]))];
		size_t n = strlen(t);

		if (n > len - i)
			n = len - i;
		memcpy(p + i, t, n);
		i += n;
	}
}

/* Find a device-defined program by name; its id or 0. */
static uint32_t find_dd(FIXTURE_DATA(ext) *self, const char *name)
{
	struct uringblk_prog_info info[URINGBLK_MAX_PROGS];
	uint32_t after = 0;
	int n;

	while ((n = ubp_list(&self->ring, self->cfd, after, info,
			     URINGBLK_MAX_PROGS)) > 0) {
		for (int i = 0; i < n; i++)
			if ((info[i].flags & URINGBLK_PROG_INFO_F_DEVICE) &&
			    !strncmp(info[i].name, name, sizeof(info[i].name)))
				return info[i].id;
		after = info[n - 1].id;
	}
	return 0;
}

FIXTURE_SETUP(ext)
{
	char log[256];
	int bfd, id;

	self->ring.ring_fd = -1;
	self->cfd = -1;
	UBT_SETUP_MODULE(ubt_module_ensure, variant->params);
	ASSERT_EQ(0, set_slice(variant->slice));
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	ASSERT_EQ(sizeof(self->id), ubt_identify(&self->ring, self->cfd, &self->id));
	if (!(self->id.features & URINGBLK_F_EXTENTS))
		UBT_SETUP_SKIP("the drive has no EXEC over extents");
	ASSERT_EQ(CAPACITY, self->id.capacity);
	ASSERT_EQ(BS, self->id.logical_block_size);
	ASSERT_LE(0, ubp_unload_all(&self->ring, self->cfd));

	self->img = ubt_alloc(CAPACITY);
	self->stream = ubt_alloc(STREAM_MAX);
	self->reply = ubt_alloc(REPLY_LEN);
	self->reply2 = ubt_alloc(REPLY_LEN);
	ASSERT_NE(NULL, self->img);
	ASSERT_NE(NULL, self->stream);
	ASSERT_NE(NULL, self->reply);
	ASSERT_NE(NULL, self->reply2);
	fill_text(self->img, CAPACITY, 13);
	/* the drive's last bytes, for last_byte */
	memcpy(self->img + CAPACITY - 5, "Alpha", 5);
	bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(CAPACITY, ubt_pwrite_full(bfd, self->img, CAPACITY, 0));
	close(bfd);

	for (int p = 0; p < NR_PROGS; p++) {
		id = ubp_load_obj(&self->ring, self->cfd, prog_names[p], log,
				  sizeof(log));
		ASSERT_LT(0, id) TH_LOG("%s: %s", prog_names[p], log);
		self->ebpf[p] = id;
		self->dd[p] = find_dd(self, prog_names[p]);
	}
}

FIXTURE_TEARDOWN(ext)
{
	set_slice(DEFAULT_UNITS);
	if (!access(FAULT_DIR "clear", W_OK))
		fault_knob("clear", "1");
	if (self->cfd >= 0) {
		/* EXPECT, not ASSERT: an ASSERT here would run teardown again */
		EXPECT_LE(0, ubp_unload_all(&self->ring, self->cfd));
		close(self->cfd);
	}
	if (self->ring.ring_fd >= 0)
		io_uring_queue_exit(&self->ring);
}

/* EXEC with F_EXTENTS of program @prog over @x[@n]; cqe->res. */
static int exec_ext_flags(FIXTURE_DATA(ext) *self, uint64_t prog, uint32_t flags,
			  const struct uringblk_extent *x, uint64_t n,
			  const uint64_t *args, void *reply, uint32_t rlen,
			  uint64_t *res2)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, reply, rlen);
	cmd.flags = flags;
	cmd.exec_ext.prog_id = prog;
	cmd.exec_ext.ext_addr = (uintptr_t)x;
	cmd.exec_ext.nr_ext = n;
	if (args)
		memcpy(cmd.exec_ext.args, args, sizeof(cmd.exec_ext.args));
	return ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_EXEC, &cmd, res2);
}

static int exec_ext(FIXTURE_DATA(ext) *self, uint64_t prog,
		    const struct uringblk_extent *x, uint64_t n,
		    const uint64_t *args, void *reply, uint32_t rlen, uint64_t *res2)
{
	return exec_ext_flags(self, prog, URINGBLK_EXEC_F_EXTENTS, x, n, args,
			      reply, rlen, res2);
}

/* The bytes a list stands for, end to end, into self->stream. */
static uint64_t build_stream(FIXTURE_DATA(ext) *self,
			     const struct uringblk_extent *x, size_t n)
{
	uint64_t len = 0;

	for (size_t i = 0; i < n; i++) {
		if (x[i].flags & URINGBLK_EXTENT_F_ZERO)
			memset(self->stream + len, 0, x[i].len);
		else
			memcpy(self->stream + len, self->img + x[i].lba * BS, x[i].len);
		len += x[i].len;
	}
	return len;
}

static void pattern_args(uint64_t *args, const char *pat)
{
	char buf[16] = { 0 };

	memcpy(buf, pat, strlen(pat));
	memcpy(&args[0], buf, 8);
	memcpy(&args[1], buf + 8, 8);
	args[2] = strlen(pat);
}

/*
 * Run every program (eBPF, then device-defined) over @x[@n] and check it
 * against C over the same bytes.  Returns the stream's length.
 */
static uint64_t check_list(struct __test_metadata *_metadata,
			   FIXTURE_DATA(ext) *self,
			   const struct uringblk_extent *x, size_t n,
			   const char *what)
{
	const uint64_t len = build_stream(self, x, n);
	const struct uringblk_exec_result *r = (void *)self->reply;
	const uint64_t *out = (void *)(self->reply + UBP_RES_SIZE);
	uint64_t offs[OUT_LEN / 8], want, scanned, nrec, res2, args[3];
	int more, ret;

	for (int p = 0; p < NR_PROGS; p++) {
		for (int k = 0; k < 2; k++) {
			uint32_t id = k ? self->dd[p] : self->ebpf[p];
			const char *kind = k ? "device-defined" : "eBPF";

			if (!id)
				continue;
			memset(args, 0, sizeof(args));
			switch (p) {
			case P_COUNT:
			case P_GREP:
				pattern_args(args, "Alpha");
				break;
			case P_CKSUM:
				if (len > CKSUM_MAX)
					continue;
				args[0] = 1;	/* CRC-32 */
				break;
			case P_RECS:
				args[0] = REC;
				args[1] = REC_FOFF;
				args[2] = REC_WIDTH;
				break;
			}
			memset(self->reply, 0xa5, REPLY_LEN);
			res2 = ~0ULL;
			ret = exec_ext(self, id, x, n, args, self->reply,
				       REPLY_LEN, &res2);
			/* -EOVERFLOW: it completed, r0 is above INT32_MAX */
			if (ret == -EOVERFLOW && !r->error)
				ret = 0;
			EXPECT_LE(0, ret) TH_LOG("%s: %s %s: %d (abort %u at %u)",
						 what, kind, prog_names[p], ret,
						 r->abort_code, r->abort_pc);
			if (ret < 0)
				continue;
			EXPECT_EQ(0, r->error);
			EXPECT_EQ(res2, r->r0);
			switch (p) {
			case P_COUNT:
				want = ubp_ref_count(self->stream, len, "Alpha", 5);
				EXPECT_EQ(want, res2) TH_LOG("%s: %s count_pattern",
							      what, kind);
				EXPECT_EQ(len, r->bytes_scanned);
				break;
			case P_GREP:
				want = ubp_ref_grep(self->stream, len, "Alpha", 5,
						    offs, OUT_LEN / 8, &more,
						    &scanned);
				EXPECT_EQ(want | (more ? UBP_GREP_MORE : 0), res2)
					TH_LOG("%s: %s grep", what, kind);
				EXPECT_EQ(want * 8, r->out_len);
				if (r->out_len == want * 8) {
					EXPECT_EQ(0, memcmp(offs, out, want * 8))
						TH_LOG("%s: %s grep offsets", what, kind);
				}
				break;
			case P_CKSUM:
				want = ubp_ref_crc32(self->stream, len);
				EXPECT_EQ(want, res2) TH_LOG("%s: %s checksum",
							      what, kind);
				break;
			case P_RECS:
				want = ubp_ref_records(self->stream, len, REC,
						       REC_FOFF, REC_WIDTH, &nrec);
				EXPECT_EQ(want, res2) TH_LOG("%s: %s sum_records",
							      what, kind);
				EXPECT_EQ(16, r->out_len);
				EXPECT_EQ(want, out[0]);
				EXPECT_EQ(nrec, out[1]);
				break;
			}
		}
	}
	return len;
}

/* The counters now, into @st (a struct uringblk_stats). */
#define RUNS(st) \
	ASSERT_EQ(sizeof(st), ubt_get_stats(&self->ring, self->cfd, &(st), 0))

TEST_F(ext, refusals)
{
	struct uringblk_extent x[4] = {
		{ .lba = 1, .len = 100 },
		{ .lba = 0, .len = 7, .flags = URINGBLK_EXTENT_F_ZERO },
		{ .lba = 10, .len = 3 * BS },
		{ .lba = NBLK - 1, .len = BS },
	};
	struct uringblk_stats b, a;
	uint64_t args[3] = { 0 };
	uint8_t reply[UBP_RES_SIZE];
	const uint32_t rsz = sizeof(reply);
	const uint32_t id = self->ebpf[P_COUNT];

	pattern_args(args, "Alpha");
	ASSERT_EQ(sizeof(b), ubt_get_stats(&self->ring, self->cfd, &b, 0));
	/* the list's size */
	EXPECT_EQ(-EINVAL, exec_ext(self, id, x, 0, args, reply, rsz, NULL));
	EXPECT_EQ(-E2BIG, exec_ext(self, id, x, self->id.max_exec_extents + 1,
				   args, reply, rsz, NULL));
	EXPECT_EQ(-E2BIG, exec_ext(self, id, x, 1ULL << 32, args, reply, rsz, NULL));
	EXPECT_EQ(-E2BIG, exec_ext(self, id, x, ~0ULL, args, reply, rsz, NULL));
	/* not with the zone flag, whatever the drive */
	EXPECT_EQ(-EINVAL, exec_ext_flags(self, id, URINGBLK_EXEC_F_EXTENTS |
					  URINGBLK_EXEC_F_ZONE_WP, x, 4, args,
					  reply, rsz, NULL));
	/* the reply and the program come before the list is read */
	EXPECT_EQ(-EINVAL, exec_ext(self, id, NULL, 4, args, reply, rsz - 1, NULL));
	EXPECT_EQ(-ENOENT, exec_ext(self, 0x7fffffff, NULL, 4, args, reply, rsz, NULL));
	/* the list's address */
	EXPECT_EQ(-EFAULT, exec_ext(self, id, NULL, 4, args, reply, rsz, NULL));
	EXPECT_EQ(-EFAULT, exec_ext(self, id, (void *)8, 1, args, reply, rsz, NULL));
	ASSERT_EQ(sizeof(a), ubt_get_stats(&self->ring, self->cfd, &a, 0));
	EXPECT_EQ(0, a.prog_runs - b.prog_runs) TH_LOG("a refused EXEC ran");

#define EXPECT_EXT(err) \
	EXPECT_EQ(err, exec_ext(self, id, x, 4, args, reply, rsz, NULL))
	ASSERT_EQ(sizeof(b), ubt_get_stats(&self->ring, self->cfd, &b, 0));
	/* extents: -EINVAL */
	x[2].len = 0;
	EXPECT_EXT(-EINVAL);
	x[2].len = 3 * BS;
	x[2].flags = 1U << 1;
	EXPECT_EXT(-EINVAL);
	x[2].flags = 1U << 31;
	EXPECT_EXT(-EINVAL);
	x[2].flags = URINGBLK_EXTENT_F_ZERO | (1U << 1);
	EXPECT_EXT(-EINVAL);
	x[2].flags = 0;
	x[2].rsvd = 1;
	EXPECT_EXT(-EINVAL);
	x[2].rsvd = 0;
	x[1].lba = 1;		/* a zero extent has no LBA */
	EXPECT_EXT(-EINVAL);
	x[1].lba = 0;
	/* extents: -ERANGE */
	x[3].lba = NBLK;
	EXPECT_EXT(-ERANGE);
	x[3].lba = NBLK - 1;
	x[3].len = BS + 1;
	EXPECT_EXT(-ERANGE);
	x[3].len = ~0ULL;
	EXPECT_EXT(-ERANGE);
	x[3].lba = ~0ULL;
	x[3].len = 1;
	EXPECT_EXT(-ERANGE);
	x[3].lba = ~0ULL / BS + 1;	/* lba * BS wraps to a small number */
	EXPECT_EXT(-ERANGE);
	x[3].lba = 0;
	x[3].len = CAPACITY + 1;
	EXPECT_EXT(-ERANGE);
	/* the first bad extent decides: x[2] before x[3] */
	x[2].flags = 1U << 5;
	EXPECT_EXT(-EINVAL);
	x[2].flags = 0;
	x[2].lba = NBLK;
	x[3] = (struct uringblk_extent){ .lba = NBLK - 1, .len = BS, .flags = 1U << 5 };
	EXPECT_EXT(-ERANGE);
	x[2].lba = 10;
	EXPECT_EXT(-EINVAL);
	x[3].flags = 0;
	/* a stream longer than 2^64 - 1 bytes */
	{
		struct uringblk_extent z[3] = {
			{ .len = 1ULL << 63, .flags = URINGBLK_EXTENT_F_ZERO },
			{ .len = 1ULL << 63, .flags = URINGBLK_EXTENT_F_ZERO },
			{ .lba = 0, .len = 1 },
		};

		EXPECT_EQ(-EINVAL, exec_ext(self, id, z, 2, args, reply, rsz, NULL));
		z[1].len = (1ULL << 63) - 1;
		EXPECT_EQ(-EINVAL, exec_ext(self, id, z, 3, args, reply, rsz, NULL));
	}
	ASSERT_EQ(sizeof(a), ubt_get_stats(&self->ring, self->cfd, &a, 0));
	EXPECT_EQ(0, a.prog_runs - b.prog_runs) TH_LOG("a refused EXEC ran");
	/* and with all that right, it runs */
	EXPECT_LE(0, exec_ext(self, id, x, 4, args, reply, rsz, NULL));
#undef EXPECT_EXT
}

/*
 * A list whose first extent is readable and the second is not mapped:
 * the whole list is read before anything runs (-EFAULT); the first alone
 * runs.  Inline, the issue does not fault (-EAGAIN, then io-wq faults).
 */
TEST_F(ext, list_fault)
{
	const long pg = sysconf(_SC_PAGESIZE);
	struct uringblk_extent *edge;
	struct uringblk_stats b, a;
	uint8_t reply[UBP_RES_SIZE];
	uint64_t args[3];
	uint8_t *m;

	m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	ASSERT_NE(MAP_FAILED, m);
	ASSERT_EQ(0, munmap(m + pg, pg));
	edge = (void *)(m + pg - sizeof(*edge));
	*edge = (struct uringblk_extent){ .lba = 1, .len = 100 };
	pattern_args(args, "Alpha");
	RUNS(b);
	EXPECT_EQ(-EFAULT, exec_ext(self, self->ebpf[P_COUNT], edge, 2, args,
				    reply, sizeof(reply), NULL));
	RUNS(a);
	EXPECT_EQ(0, a.prog_runs - b.prog_runs);
	EXPECT_LE(0, exec_ext(self, self->ebpf[P_COUNT], edge, 1, args, reply,
			      sizeof(reply), NULL));
	munmap(m, pg);
}

/* What the program sees: no LBA range, the lengths summed, the block size. */
TEST_F(ext, context)
{
	struct uringblk_extent x[3] = {
		{ .lba = 5, .len = 1 },
		{ .len = 1000, .flags = URINGBLK_EXTENT_F_ZERO },
		{ .lba = 5, .len = 3 * BS + 3 },
	};
	struct uringblk_extent big[2] = {
		{ .len = 1ULL << 63, .flags = URINGBLK_EXTENT_F_ZERO },
		{ .len = (1ULL << 63) - 1, .flags = URINGBLK_EXTENT_F_ZERO },
	};
	uint8_t reply[UBP_RES_SIZE];
	const struct uringblk_exec_result *r = (void *)reply;
	uint64_t res2 = 0, args[3] = { ~0ULL - 8 };
	int dl, lb, rd;

	dl = ubp_load(&self->ring, self->cfd, ret_data_len,
		      UBP_NINSNS(ret_data_len), "dl", NULL, 0);
	ASSERT_LT(0, dl);
	lb = ubp_load(&self->ring, self->cfd, ret_lba_bs, UBP_NINSNS(ret_lba_bs),
		      "lb", NULL, 0);
	ASSERT_LT(0, lb);
	EXPECT_EQ(1 + 1000 + 3 * BS + 3,
		  exec_ext(self, dl, x, 3, NULL, reply, sizeof(reply), NULL));
	EXPECT_EQ(BS, exec_ext(self, lb, x, 3, NULL, reply, sizeof(reply), NULL));
	/* the longest stream: all of 2^64 - 1 bytes (r0 beyond cqe->res) */
	EXPECT_EQ(-EOVERFLOW, exec_ext(self, dl, big, 2, NULL, reply,
				       sizeof(reply), &res2));
	EXPECT_EQ(~0ULL, res2);
	EXPECT_EQ(~0ULL, r->r0);
	/* its last 8 bytes read (as zeroes), one more is out of range */
	rd = ubp_load(&self->ring, self->cfd, read8_at, UBP_NINSNS(read8_at), "rd",
		      NULL, 0);
	ASSERT_LT(0, rd);
	EXPECT_EQ(0, exec_ext(self, rd, big, 2, args, reply, sizeof(reply), NULL));
	args[0]++;
	EXPECT_EQ(-ERANGE, exec_ext(self, rd, big, 2, args, reply, sizeof(reply), NULL));
	EXPECT_EQ(URINGBLK_PROG_ABORT_RANGE, r->abort_code);
}

/*
 * Random lists: random lengths (no multiple of the block size), zero
 * extents, extents repeated and overlapping others, now and then one at
 * the drive's end; short streams and, last, a long one whose run on a
 * memory drive outlasts the inline slice and resumes on the worker.
 */
static size_t random_list(uint64_t *s, struct uringblk_extent *x, size_t max,
			  uint64_t max_len)
{
	size_t n = 1 + rnd(s) % max;

	for (size_t i = 0; i < n; i++) {
		uint64_t r = rnd(s) % 16, lba, len;

		if (r == 0) {
			x[i] = (struct uringblk_extent){
				.len = 1 + rnd(s) % (3 * PAGE),
				.flags = URINGBLK_EXTENT_F_ZERO,
			};
			continue;
		}
		if (r == 1 && i) {		/* the same again */
			x[i] = x[rnd(s) % i];
			continue;
		}
		len = 1 + rnd(s) % max_len;
		if (r == 2 && i && !(x[i - 1].flags & URINGBLK_EXTENT_F_ZERO))
			lba = x[i - 1].lba + rnd(s) % 4;	/* overlaps it */
		else if (r == 3)
			lba = NBLK - 1 - rnd(s) % 8;		/* at the end */
		else
			lba = rnd(s) % (SPLIT_LBA - 8);
		if (len > CAPACITY - lba * BS)
			len = CAPACITY - lba * BS;		/* to the last byte */
		x[i] = (struct uringblk_extent){ .lba = lba, .len = len };
	}
	return n;
}

/* Matches of "Alpha" in the stream that an extent boundary cuts. */
static uint64_t cut_matches(const uint8_t *d, const struct uringblk_extent *x,
			    size_t n)
{
	uint64_t end = 0, cut = 0;

	for (size_t i = 0; i + 1 < n; i++) {
		end += x[i].len;
		for (uint64_t k = 1; k < 5; k++)
			cut += end >= k && !memcmp(d + end - k, "Alpha", 5);
	}
	return cut;
}

TEST_F(ext, random_lists)
{
	struct uringblk_extent x[MAX_LIST];
	struct uringblk_stats b, a;
	uint64_t s = 0x5eed, len, cut = 0, found = 0;
	char what[64];

	for (int it = 0; it < 24; it++) {
		/* a third of them longer than the run state's inline 16 */
		size_t n = random_list(&s, x, it % 3 ? 16 : MAX_LIST, 3 * PAGE);

		snprintf(what, sizeof(what), "list %d (%zu extents)", it, n);
		len = check_list(_metadata, self, x, n, what);
		found += ubp_ref_count(self->stream, len, "Alpha", 5);
		cut += cut_matches(self->stream, x, n);
	}
	/* the lists tested something: matches, some across boundaries */
	EXPECT_LT(100, found);
	EXPECT_LT(5, cut);

	/* a long stream: 48 extents of 32..96 KiB */
	for (int i = 0; i < 48; i++) {
		uint64_t lba = rnd(&s) % (SPLIT_LBA - 256);

		x[i] = (struct uringblk_extent){
			.lba = lba, .len = 32 * UBT_KIB + rnd(&s) % (64 * UBT_KIB),
		};
	}
	RUNS(b);
	len = check_list(_metadata, self, x, 48, "long list");
	RUNS(a);
	ASSERT_LT(2 * UBT_MIB, len);
	/* no run of the long list ends inline: the slice runs out first */
	EXPECT_EQ(0, a.prog_runs_inline - b.prog_runs_inline);
	EXPECT_EQ(a.prog_runs - b.prog_runs, a.prog_runs_worker - b.prog_runs_worker);
}

/*
 * "Alpha" cut by an extent boundary at every place: the first k bytes end
 * one extent, the rest start the next (a block that starts with them).
 */
TEST_F(ext, pattern_split)
{
	static const char pat[] = "Alpha";
	struct uringblk_extent x[16];
	uint8_t blk[5][BS];
	uint64_t args[3], res2;
	uint8_t reply[UBP_RES_SIZE];
	size_t n = 0;
	int bfd;

	/* block SPLIT_LBA + j starts with pat + j (j = 0..4), then dots */
	for (int j = 0; j < 5; j++) {
		memset(blk[j], '.', BS);
		memcpy(blk[j], pat + j, 5 - j);
		memcpy(self->img + (SPLIT_LBA + j) * BS, blk[j], BS);
	}
	bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(5 * BS, ubt_pwrite_full(bfd, self->img + SPLIT_LBA * BS, 5 * BS,
					  SPLIT_LBA * BS));
	close(bfd);

	/*
	 * For k = 1..4: "a......" (a separator), then the first k bytes of
	 * block 0 ("Al" for 2), then block k from its start ("pha...").
	 */
	for (int k = 1; k <= 4; k++) {
		x[n++] = (struct uringblk_extent){ .lba = SPLIT_LBA + 4, .len = 7 };
		x[n++] = (struct uringblk_extent){ .lba = SPLIT_LBA, .len = k };
		x[n++] = (struct uringblk_extent){ .lba = SPLIT_LBA + k, .len = 5 - k + 3 };
	}
	ASSERT_EQ(4, ubp_ref_count(self->stream, build_stream(self, x, n), pat, 5));
	check_list(_metadata, self, x, n, "split");
	pattern_args(args, pat);
	EXPECT_EQ(4, exec_ext(self, self->ebpf[P_COUNT], x, n, args, reply,
			      sizeof(reply), &res2));

	/* five extents of one byte each: "A", "l", "p", "h", "a" */
	n = 0;
	x[n++] = (struct uringblk_extent){ .lba = SPLIT_LBA + 4, .len = 3 };	/* "a.." */
	for (int j = 0; j < 5; j++)
		x[n++] = (struct uringblk_extent){ .lba = SPLIT_LBA + j, .len = 1 };
	check_list(_metadata, self, x, n, "one byte each");
	EXPECT_EQ(1, exec_ext(self, self->ebpf[P_COUNT], x, n, args, reply,
			      sizeof(reply), NULL));

	/* a zero extent between "Al" and "pha": no match */
	n = 0;
	x[n++] = (struct uringblk_extent){ .lba = SPLIT_LBA, .len = 2 };
	x[n++] = (struct uringblk_extent){ .len = 1, .flags = URINGBLK_EXTENT_F_ZERO };
	x[n++] = (struct uringblk_extent){ .lba = SPLIT_LBA + 2, .len = 3 };
	EXPECT_EQ(0, exec_ext(self, self->ebpf[P_COUNT], x, n, args, reply,
			      sizeof(reply), NULL));
	check_list(_metadata, self, x, n, "zero between");
}

/* Extents that end at the drive's last byte ("Alpha" is its last 5). */
TEST_F(ext, last_byte)
{
	struct uringblk_extent x[3] = {
		{ .lba = NBLK - 1, .len = BS },
		{ .lba = NBLK - 2, .len = 2 * BS },
		{ .lba = 0, .len = CAPACITY },
	};
	uint64_t args[3], len;
	uint8_t reply[UBP_RES_SIZE];

	check_list(_metadata, self, x, 2, "last blocks");
	len = check_list(_metadata, self, x, 3, "the whole drive at the end");
	ASSERT_EQ(0, memcmp(self->stream + len - 5, "Alpha", 5));
	/* the last block alone, whose last 5 bytes match */
	pattern_args(args, "Alpha");
	x[0] = (struct uringblk_extent){ .lba = NBLK - 1, .len = BS };
	EXPECT_EQ((int)ubp_ref_count(self->img + CAPACITY - BS, BS, "Alpha", 5),
		  exec_ext(self, self->ebpf[P_COUNT], x, 1, args, reply,
			   sizeof(reply), NULL));
	/* one byte past the end */
	x[0].len = BS + 1;
	EXPECT_EQ(-ERANGE, exec_ext(self, self->ebpf[P_COUNT], x, 1, args, reply,
				    sizeof(reply), NULL));
	x[0] = (struct uringblk_extent){ .lba = 0, .len = CAPACITY + 1 };
	EXPECT_EQ(-ERANGE, exec_ext(self, self->ebpf[P_COUNT], x, 1, args, reply,
				    sizeof(reply), NULL));
}

/*
 * identify.max_exec_extents one-byte extents spelling "Alpha" over and
 * over run (the limit bounds the list, the budget the work); one more is
 * -E2BIG.
 */
TEST_F(ext, max_extents)
{
	const uint64_t max = self->id.max_exec_extents;
	struct uringblk_extent *x;
	uint64_t args[3], res2 = 0;
	uint8_t reply[UBP_RES_SIZE];
	int bfd;

	ASSERT_EQ(URINGBLK_MAX_EXEC_EXTENTS, max);
	x = calloc(max + 1, sizeof(*x));
	ASSERT_NE(NULL, x);
	/* blocks that start with A, l, p, h, a */
	for (int j = 0; j < 5; j++)
		memcpy(self->img + (SPLIT_LBA + j) * BS, "Alpha" + j, 5 - j);
	bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(5 * BS, ubt_pwrite_full(bfd, self->img + SPLIT_LBA * BS, 5 * BS,
					  SPLIT_LBA * BS));
	close(bfd);
	for (uint64_t i = 0; i <= max; i++)
		x[i] = (struct uringblk_extent){ .lba = SPLIT_LBA + i % 5, .len = 1 };
	pattern_args(args, "Alpha");
	EXPECT_EQ(max / 5, exec_ext(self, self->ebpf[P_COUNT], x, max, args, reply,
				    sizeof(reply), &res2));
	EXPECT_EQ(max / 5, res2);
	if (self->dd[P_COUNT]) {
		EXPECT_EQ(max / 5, exec_ext(self, self->dd[P_COUNT], x, max, args,
					    reply, sizeof(reply), NULL));
	}
	EXPECT_EQ(-E2BIG, exec_ext(self, self->ebpf[P_COUNT], x, max + 1, args,
				   reply, sizeof(reply), NULL));
	free(x);
}

/*
 * The read policy applies to every extent: blocks 1000..1003 fail to read
 * (fault injection); a list around them runs, one that reaches them stops
 * with -EIO exactly there, after the extents before.
 */
TEST_F(ext, read_policy)
{
	struct uringblk_extent x[3] = {
		{ .lba = 0, .len = 100 },
		{ .len = 33, .flags = URINGBLK_EXTENT_F_ZERO },
		{ .lba = 999, .len = BS },
	};
	const struct uringblk_exec_result *r = (void *)self->reply;
	struct uringblk_stats b, a;
	uint64_t args[3];

	if (access(FAULT_DIR "ops", W_OK))
		SKIP(return, "the driver has no fault injection");
	ASSERT_EQ(0, fault_knob("clear", "1"));
	ASSERT_EQ(0, fault_knob("ops", "read"));
	ASSERT_EQ(0, fault_knob("lba_start", "1000"));
	ASSERT_EQ(0, fault_knob("lba_count", "4"));
	pattern_args(args, "Alpha");
	RUNS(b);
	EXPECT_LE(0, exec_ext(self, self->ebpf[P_COUNT], x, 3, args, self->reply,
			      UBP_RES_SIZE, NULL));
	x[2] = (struct uringblk_extent){ .lba = 1004, .len = 3 * BS };
	EXPECT_LE(0, exec_ext(self, self->ebpf[P_COUNT], x, 3, args, self->reply,
			      UBP_RES_SIZE, NULL));
	RUNS(a);
	EXPECT_EQ(b.faults_injected, a.faults_injected);
	/* one byte of block 1003, after 133 good ones */
	x[2] = (struct uringblk_extent){ .lba = 1003, .len = 1 };
	for (int k = 0; k < 2; k++) {
		uint32_t id = k ? self->dd[P_COUNT] : self->ebpf[P_COUNT];

		if (!id)
			continue;
		EXPECT_EQ(-EIO, exec_ext(self, id, x, 3, args, self->reply,
					 UBP_RES_SIZE, NULL));
		EXPECT_EQ(-EIO, r->error);
		EXPECT_EQ(URINGBLK_PROG_ABORT_IO, r->abort_code);
		EXPECT_EQ(133, r->bytes_scanned);
	}
	RUNS(b);
	EXPECT_LE(a.faults_injected + 1, b.faults_injected);
	ASSERT_EQ(0, fault_knob("clear", "1"));
	EXPECT_LE(0, exec_ext(self, self->ebpf[P_COUNT], x, 3, args, self->reply,
			      UBP_RES_SIZE, NULL));
}

/*
 * Where runs end: a short count inline on a memory drive, on the worker
 * with exec_inline_units=0 or on a file-backed drive (its reads sleep),
 * eBPF and device-defined alike.
 */
TEST_F(ext, paths)
{
	struct uringblk_extent x[3] = {
		{ .lba = 7, .len = 300 },
		{ .len = 50, .flags = URINGBLK_EXTENT_F_ZERO },
		{ .lba = 3, .len = 777 },
	};
	const uint64_t want = ubp_ref_count(self->stream, build_stream(self, x, 3),
					    "Alpha", 5);
	uint8_t reply[UBP_RES_SIZE];
	struct uringblk_stats b, a;
	uint64_t args[3];

	pattern_args(args, "Alpha");
	for (int k = 0; k < 2; k++) {
		uint32_t id = k ? self->dd[P_COUNT] : self->ebpf[P_COUNT];

		if (!id)
			continue;
		RUNS(b);
		EXPECT_EQ((int)want, exec_ext(self, id, x, 3, args, reply,
					      sizeof(reply), NULL));
		RUNS(a);
		EXPECT_EQ(1, a.prog_runs - b.prog_runs);
		if (variant->slice && !variant->file) {
			EXPECT_EQ(1, a.prog_runs_inline - b.prog_runs_inline)
				TH_LOG("%s", k ? "device-defined" : "eBPF");
		} else {
			EXPECT_EQ(1, a.prog_runs_worker - b.prog_runs_worker)
				TH_LOG("%s", k ? "device-defined" : "eBPF");
		}
	}
}

/* ---- MEM_COPY zero ranges ---------------------------------------------- */

static int slm_cmd(FIXTURE_DATA(ext) *self, uint32_t op, const void *addr,
		   uint32_t len, uint64_t w0, uint64_t w1)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, (void *)addr, len);
	cmd.cdw[0] = w0;
	cmd.cdw[1] = w1;
	return ubt_uring_cmd(&self->ring, self->cfd, op, &cmd, NULL);
}

static int mem_copy(FIXTURE_DATA(ext) *self, uint64_t off,
		    const struct uringblk_copy_range *cr, uint32_t nr)
{
	return slm_cmd(self, URINGBLK_CMD_MEM_COPY, cr, nr * sizeof(*cr), off, nr);
}

TEST_F(ext, mem_copy_zero)
{
	const uint64_t off = 100, len = 9 * BS;
	struct uringblk_copy_range cr[3] = {
		{ .slba = 2, .nlb = 3 },
		{ .slba = 0, .nlb = 5, .flags = URINGBLK_COPY_F_ZERO },
		{ .slba = 10, .nlb = 1 },
	};
	struct uringblk_stats b, a;
	uint8_t *junk = ubt_alloc(4 * PAGE), *back = ubt_alloc(4 * PAGE);
	uint8_t *want = ubt_alloc(4 * PAGE);

	ASSERT_NE(NULL, junk);
	ASSERT_NE(NULL, back);
	ASSERT_NE(NULL, want);
	/* SLM holds data first: the zero range must clear it */
	memset(junk, 0xee, 4 * PAGE);
	ASSERT_EQ(4 * PAGE, slm_cmd(self, URINGBLK_CMD_MEM_WRITE, junk, 4 * PAGE, 0, 0));
	RUNS(b);
	ASSERT_EQ(len, mem_copy(self, off, cr, 3));
	RUNS(a);
	EXPECT_EQ(1, a.mem_copies - b.mem_copies);
	EXPECT_EQ(4 * BS, a.slm_bytes_from_media - b.slm_bytes_from_media);
	EXPECT_EQ(0, a.bytes_to_host - b.bytes_to_host);
	EXPECT_EQ(0, a.read_ops - b.read_ops);
	EXPECT_EQ(b.slm_bytes, a.slm_bytes);
	memcpy(want, junk, 4 * PAGE);
	memcpy(want + off, self->img + 2 * BS, 3 * BS);
	memset(want + off + 3 * BS, 0, 5 * BS);
	memcpy(want + off + 8 * BS, self->img + 10 * BS, BS);
	ASSERT_EQ(4 * PAGE, slm_cmd(self, URINGBLK_CMD_MEM_READ, back, 4 * PAGE, 0, 0));
	EXPECT_EQ(0, memcmp(want, back, 4 * PAGE));

	/* zeroes into SLM that holds nothing: no memory, still zeroes */
	cr[0] = (struct uringblk_copy_range){ .nlb = 3 * PAGE / BS,
					      .flags = URINGBLK_COPY_F_ZERO };
	RUNS(b);
	ASSERT_EQ(3 * PAGE, mem_copy(self, 8 * UBT_MIB + 17, cr, 1));
	RUNS(a);
	EXPECT_EQ(b.slm_bytes, a.slm_bytes);
	EXPECT_EQ(0, a.slm_bytes_from_media - b.slm_bytes_from_media);
	EXPECT_EQ(1, a.mem_copies - b.mem_copies);
	ASSERT_EQ(3 * PAGE, slm_cmd(self, URINGBLK_CMD_MEM_READ, back, 3 * PAGE,
				    8 * UBT_MIB + 17, 0));
	EXPECT_EQ(-1, ubt_check_zero(back, 3 * PAGE));
	/* a zero range need not lie on the drive: only its bytes count */
	cr[0].nlb = NBLK + 1;
	EXPECT_EQ((NBLK + 1) * BS > self->id.max_mem_xfer ? -E2BIG : (int)((NBLK + 1) * BS),
		  mem_copy(self, 0, cr, 1));

	/* refusals: nothing copied, nothing counted */
	RUNS(b);
	cr[0] = (struct uringblk_copy_range){ .slba = 1, .nlb = 1,
					      .flags = URINGBLK_COPY_F_ZERO };
	EXPECT_EQ(-EINVAL, mem_copy(self, 0, cr, 1));
	cr[0] = (struct uringblk_copy_range){ .slba = 0, .nlb = 1, .flags = 1U << 1 };
	EXPECT_EQ(-EINVAL, mem_copy(self, 0, cr, 1));
	cr[0].flags = URINGBLK_COPY_F_ZERO | (1U << 31);
	EXPECT_EQ(-EINVAL, mem_copy(self, 0, cr, 1));
	cr[0] = (struct uringblk_copy_range){ .nlb = 0, .flags = URINGBLK_COPY_F_ZERO };
	EXPECT_EQ(-EINVAL, mem_copy(self, 0, cr, 1));
	/* a bad source range after a zero one: -ERANGE, nothing lands */
	cr[0] = (struct uringblk_copy_range){ .nlb = 1, .flags = URINGBLK_COPY_F_ZERO };
	cr[1] = (struct uringblk_copy_range){ .slba = NBLK, .nlb = 1 };
	EXPECT_EQ(-ERANGE, mem_copy(self, 0, cr, 2));
	RUNS(a);
	EXPECT_EQ(0, a.mem_copies - b.mem_copies);
	EXPECT_EQ(0, a.slm_bytes_from_media - b.slm_bytes_from_media);
	munmap(junk, 4 * PAGE);
	munmap(back, 4 * PAGE);
	munmap(want, 4 * PAGE);
}

/* ---- EXECUTE data_len ------------------------------------------------------ */

static int execute(FIXTURE_DATA(ext) *self, uint32_t pind, uint32_t rsid,
		   const uint64_t *args, uint64_t data_len, void *reply,
		   uint32_t rlen, uint64_t *res2)
{
	struct uringblk_cmd cmd;

	ubt_cmd_init(&cmd, reply, rlen);
	cmd.execute.pind = pind;
	cmd.execute.rsid = rsid;
	cmd.execute.cparam[0] = args[0];
	cmd.execute.cparam[1] = args[1];
	cmd.execute.arg2 = args[2];
	cmd.execute.data_len = data_len;
	return ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_EXECUTE, &cmd, res2);
}

/* Load @insns into slot @pind and activate it. */
static int load_active(FIXTURE_DATA(ext) *self, const struct bpf_insn *insns,
		       size_t cnt, uint32_t pind)
{
	int id = ubp_load_slot(&self->ring, self->cfd, insns, cnt, "x", pind,
			       NULL, 0);

	if (id > 0 && ubp_activate(&self->ring, self->cfd, pind,
				   URINGBLK_PROG_ACT_ACTIVATE))
		return -EIO;
	return id;
}

/* The pind of program @id (loaded), activated. */
static int activate_id(FIXTURE_DATA(ext) *self, uint32_t id)
{
	struct uringblk_prog_info info;

	if (ubp_list(&self->ring, self->cfd, id - 1, &info, 1) != 1 || info.id != id)
		return -EIO;
	if (ubp_activate(&self->ring, self->cfd, info.pind, URINGBLK_PROG_ACT_ACTIVATE))
		return -EIO;
	return info.pind;
}

TEST_F(ext, execute_data_len)
{
	const uint64_t set_len = 4 * PAGE;
	struct uringblk_mem_range mr = { .slm_off = 0, .len = set_len };
	const struct uringblk_exec_result *r = (void *)self->reply;
	uint64_t args[3] = { 0 }, res2 = 0;
	const uint64_t cuts[] = { 1, 5, 4999, 5000, 5001, PAGE, set_len - 1, set_len };
	int rsid, pind, rd, ld;

	/* SLM: text with "Alpha" at 4996 (cut by data_len 5000) */
	memcpy(self->stream, self->img, set_len);
	memcpy(self->stream + 4996, "Alpha", 5);
	ASSERT_EQ(set_len, slm_cmd(self, URINGBLK_CMD_MEM_WRITE, self->stream,
				   set_len, 0, 0));
	rsid = slm_cmd(self, URINGBLK_CMD_RANGE_SET_CREATE, &mr, sizeof(mr), 0, 0);
	ASSERT_LT(0, rsid);
	pind = activate_id(self, self->ebpf[P_COUNT]);
	ASSERT_LT(0, pind);
	pattern_args(args, "Alpha");
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		uint64_t want = ubp_ref_count(self->stream, cuts[i], "Alpha", 5);

		EXPECT_EQ((int)want, execute(self, pind, rsid, args, cuts[i],
					     self->reply, UBP_RES_SIZE, &res2))
			TH_LOG("data_len %llu", (unsigned long long)cuts[i]);
		EXPECT_EQ(cuts[i], r->bytes_scanned);
	}
	/* 0: the whole set */
	EXPECT_EQ((int)ubp_ref_count(self->stream, set_len, "Alpha", 5),
		  execute(self, pind, rsid, args, 0, self->reply, UBP_RES_SIZE, NULL));
	/* past the set */
	EXPECT_EQ(-ERANGE, execute(self, pind, rsid, args, set_len + 1, self->reply,
				   UBP_RES_SIZE, NULL));
	EXPECT_EQ(-ERANGE, execute(self, pind, rsid, args, ~0ULL, self->reply,
				   UBP_RES_SIZE, NULL));

	/* a read across the cut: out of range; up to it: fine */
	rd = load_active(self, read8_at, UBP_NINSNS(read8_at), 40);
	ASSERT_LT(0, rd);
	args[0] = 5000 - 8;
	EXPECT_EQ(0, execute(self, 40, rsid, args, 5000, self->reply, UBP_RES_SIZE, NULL));
	args[0] = 5000 - 7;
	EXPECT_EQ(-ERANGE, execute(self, 40, rsid, args, 5000, self->reply,
				   UBP_RES_SIZE, NULL));
	EXPECT_EQ(URINGBLK_PROG_ABORT_RANGE, r->abort_code);
	EXPECT_EQ(0, execute(self, 40, rsid, args, 0, self->reply, UBP_RES_SIZE, NULL));
	/* a load past mem_len: a memory fault; the last byte loads */
	ld = load_active(self, load_mem_at, UBP_NINSNS(load_mem_at), 41);
	ASSERT_LT(0, ld);
	args[0] = 4999;
	EXPECT_EQ(self->stream[4999], execute(self, 41, rsid, args, 5000, self->reply,
					      UBP_RES_SIZE, NULL));
	args[0] = 5000;
	EXPECT_EQ(-EFAULT, execute(self, 41, rsid, args, 5000, self->reply,
				   UBP_RES_SIZE, NULL));
	EXPECT_EQ(URINGBLK_PROG_ABORT_MEM, r->abort_code);
	EXPECT_EQ(0, slm_cmd(self, URINGBLK_CMD_RANGE_SET_DELETE, NULL, 0, rsid, 0));
}

/*
 * A "file" of whole-block extents and a hole, its last extent partial:
 * EXEC over the extents, and MEM_COPY (zero range for the hole, whole
 * blocks) into a set then EXECUTE with data_len = the file's size, count
 * the same.
 */
TEST_F(ext, copy_then_execute)
{
	const uint64_t size = 7 * BS + 3 * BS + 5 * BS + 201;
	struct uringblk_extent x[4] = {
		{ .lba = 1000, .len = 7 * BS },
		{ .len = 3 * BS, .flags = URINGBLK_EXTENT_F_ZERO },
		{ .lba = 77, .len = 5 * BS },
		{ .lba = 4000, .len = 201 },
	};
	struct uringblk_copy_range cr[4] = {
		{ .slba = 1000, .nlb = 7 },
		{ .nlb = 3, .flags = URINGBLK_COPY_F_ZERO },
		{ .slba = 77, .nlb = 5 },
		{ .slba = 4000, .nlb = 1 },
	};
	struct uringblk_mem_range mr = { .slm_off = PAGE, .len = 4 * PAGE };
	uint64_t args[3], res2 = 0, want;
	uint8_t *junk = ubt_alloc(4 * PAGE);
	int rsid, pind;

	ASSERT_NE(NULL, junk);
	memset(junk, 'A', 4 * PAGE);	/* stale SLM must not count */
	ASSERT_EQ(4 * PAGE, slm_cmd(self, URINGBLK_CMD_MEM_WRITE, junk, 4 * PAGE,
				    PAGE, 0));
	want = ubp_ref_count(self->stream, build_stream(self, x, 4), "Alpha", 5);
	pattern_args(args, "Alpha");
	EXPECT_EQ((int)want, exec_ext(self, self->ebpf[P_COUNT], x, 4, args,
				      self->reply, UBP_RES_SIZE, &res2));
	ASSERT_EQ(16 * BS, mem_copy(self, PAGE, cr, 4));
	rsid = slm_cmd(self, URINGBLK_CMD_RANGE_SET_CREATE, &mr, sizeof(mr), 0, 0);
	ASSERT_LT(0, rsid);
	pind = activate_id(self, self->ebpf[P_COUNT]);
	ASSERT_LT(0, pind);
	EXPECT_EQ((int)want, execute(self, pind, rsid, args, size, self->reply,
				     UBP_RES_SIZE, NULL));
	/* the whole set counts the stale tail too: data_len is what cuts it */
	EXPECT_LT((int)want, execute(self, pind, rsid, args, 0, self->reply,
				     UBP_RES_SIZE, NULL));
	EXPECT_EQ(0, slm_cmd(self, URINGBLK_CMD_RANGE_SET_DELETE, NULL, 0, rsid, 0));
	munmap(junk, 4 * PAGE);
}

TEST_HARNESS_MAIN
