// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel-BPF programs (ABI 1.6, driver/kbpf.c): SEC("syscall") programs
 * the kernel verifies and JIT-compiles, handed to the drive by fd.
 *  - twins: every bpf/ program and its bpf/kbpf/ twin give the same r0,
 *    errno, abort code, bytes scanned and output on the same data, over
 *    EXEC and over EXECUTE, aborts included; btree_lookup over a B+-tree
 *    of depth 4, found, missing and corrupt (btree_range has no twin);
 *  - sandbox: kfunc offsets and lengths outside the grant (zero, huge,
 *    wrapping), a histogram table too small, output and SLM windows,
 *    another drive's data, kfuncs outside a drive run (BPF_PROG_TEST_RUN);
 *  - refusals with their errno: callbacks without the tick, tail calls,
 *    bpf_sys_bpf(), a context read past the struct, more verifier work
 *    than kbpf_max_verified, another program type,
 *    a non-BPF fd, a closed fd, a bad struct, no CAP_SYS_ADMIN, a program
 *    the JIT did not compile, a kfunc the drive does not have, a program
 *    an freplace program could extend or has extended;
 *  - termination: the budget stops a program that would run for ever,
 *    and so does SIGKILL of the submitter, within a bound.
 * Lifetime (rmmod refused, drive removal with a run in flight) and the
 * BTF checks at load are kbpf_lifetime.sh and kbpf_btf.sh.  Without the
 * engine (identify.engines) everything here is a SKIP.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "harness.h"
#include "prog_test.h"
#include "tools/btree/btree.h"	/* -I the repository */

#define DATA_BYTES	(1ULL << 20)	/* the data the tests run over */
#define OUT_MAX		(1U << 20)
#define REPLY_MAX	(UBP_RES_SIZE + OUT_MAX)

/* probe.bpf.c's operations */
enum { OP_READ, OP_COUNT, OP_SUM, OP_HIST_SMALL, OP_FIND, OP_EMIT,
       OP_OUT_BIG, OP_MEM, OP_READ_OUT, OP_TICK };

FIXTURE(kbpf) {
	struct io_uring ring;
	int cfd;
	struct uringblk_identify id;
	uint8_t *reply;
	uint8_t *reply2;
	uint8_t *data;
};

/*
 * Load function @prog of progs/<obj>.bpf.o into the kernel with libbpf,
 * then into the drive (PROG_LOAD F_BPF_FD).  Returns the drive's answer
 * (id or -errno), or libbpf's -errno with *@kernel set; the verifier's or
 * the drive's words in @log.  If @keep_fd, *@keep_fd gets a dup of the
 * program's fd (else nothing stays open).
 */
static int kload(FIXTURE_DATA(kbpf) *self, const char *obj, const char *prog,
		 int *keep_fd, bool *kernel, char *log, size_t log_len)
{
	struct uringblk_prog_kbpf k = { .type = URINGBLK_PROG_TYPE_KBPF };
	struct bpf_program *p, *want = NULL;
	struct bpf_object *o;
	struct uringblk_cmd cmd;
	char path[512];
	int ret;

	if (kernel)
		*kernel = false;
	log[0] = '\0';
	ubp_obj_path(obj, path, sizeof(path));
	o = bpf_object__open_file(path, NULL);
	if (libbpf_get_error(o)) {
		snprintf(log, log_len, "cannot open %s", path);
		return -ENOENT;
	}
	bpf_object__for_each_program(p, o) {
		bool me = !strcmp(bpf_program__name(p), prog);

		bpf_program__set_autoload(p, me);
		if (me)
			want = p;
	}
	if (!want) {
		bpf_object__close(o);
		snprintf(log, log_len, "no %s in %s", prog, path);
		return -ENOENT;
	}
	bpf_program__set_log_buf(want, log, log_len);
	ret = bpf_object__load(o);
	if (ret) {
		if (kernel)
			*kernel = true;
		bpf_object__close(o);
		return ret < 0 ? ret : -EINVAL;
	}
	log[0] = '\0';
	k.prog_fd = bpf_program__fd(want);
	ubt_cmd_init(&cmd, &k, sizeof(k));
	cmd.flags = URINGBLK_PROG_LOAD_F_BPF_FD;
	cmd.prog_load.log_addr = (uintptr_t)log;
	cmd.prog_load.log_len = log_len < 4096 ? log_len : 4096;
	snprintf(cmd.prog_load.name, sizeof(cmd.prog_load.name), "%s", prog);
	ret = ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_PROG_LOAD, &cmd, NULL);
	if (keep_fd)
		*keep_fd = dup(k.prog_fd);
	bpf_object__close(o);
	return ret;
}

/* kload() that must succeed: the id. */
#define KLOAD(obj, prog) ({						\
	char _log[4096];						\
	int _id = kload(self, obj, prog, NULL, NULL, _log, sizeof(_log)); \
	ASSERT_LT(0, _id) TH_LOG("%s:%s: %s: %s", obj, prog,		\
				 strerror(-_id), _log);			\
	_id;								\
})

static const struct uringblk_exec_result *res(const uint8_t *reply)
{
	return (const struct uringblk_exec_result *)reply;
}

/* EXEC of @id over the first @bytes of the data with @args and @out bytes */
static int run(FIXTURE_DATA(kbpf) *self, uint8_t *reply, uint32_t id,
	       uint64_t bytes, const uint64_t args[3], uint32_t out)
{
	struct ubp_exec e = {
		.prog = id,
		.count = bytes / self->id.logical_block_size,
		.budget = self->id.max_insn_budget,
	};

	memcpy(e.args, args, sizeof(e.args));
	memset(reply, 0xee, UBP_RES_SIZE + out);
	return ubp_exec(&self->ring, self->cfd, &e, reply, UBP_RES_SIZE + out, NULL);
}

/* probe.bpf.c's @op with @off and @len over the first @bytes: cqe->res */
static int probe(FIXTURE_DATA(kbpf) *self, uint32_t id, uint64_t op,
		 uint64_t off, uint64_t len, uint64_t bytes, uint32_t out)
{
	uint64_t args[3] = { op, off, len };

	return run(self, self->reply, id, bytes, args, out);
}

FIXTURE_SETUP(kbpf)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	int bfd;

	self->ring.ring_fd = -1;
	self->cfd = -1;
	self->reply = self->reply2 = self->data = NULL;
	UBT_SETUP_MODULE(ubt_module_ensure, "capacity_mb=64 nr_devices=2");
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	ASSERT_EQ(sizeof(self->id), ubt_identify(&self->ring, self->cfd, &self->id));
	if (!(self->id.engines & URINGBLK_ENGINE_KBPF))
		UBT_SETUP_SKIP("no kernel-BPF engine (identify.engines 0x%x): see the kernel log at load",
			       self->id.engines);
	ASSERT_TRUE(self->id.features & URINGBLK_F_KBPF);
	ASSERT_LE(0, ubp_unload_all(&self->ring, self->cfd));
	self->reply = ubt_alloc(REPLY_MAX);
	self->reply2 = ubt_alloc(REPLY_MAX);
	self->data = ubt_alloc(DATA_BYTES);
	ASSERT_NE(NULL, self->reply);
	ASSERT_NE(NULL, self->reply2);
	ASSERT_NE(NULL, self->data);
	/* words of a small alphabet, so that patterns and records occur */
	for (uint64_t i = 0; i < DATA_BYTES; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		self->data[i] = i % 64 == 63 ? '\n' : "aabcdAlphaBetaGammaDelta  "[(seed >> 33) % 26];
	}
	bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, bfd);
	ASSERT_EQ((ssize_t)DATA_BYTES, ubt_pwrite_full(bfd, self->data, DATA_BYTES, 0));
	close(bfd);
}

FIXTURE_TEARDOWN(kbpf)
{
	if (self->cfd >= 0) {
		/* EXPECT, not ASSERT: an ASSERT here would run teardown again */
		EXPECT_LE(0, ubp_unload_all(&self->ring, self->cfd));
		close(self->cfd);
	}
	if (self->ring.ring_fd >= 0)
		io_uring_queue_exit(&self->ring);
	if (self->reply)
		munmap(self->reply, REPLY_MAX);
	if (self->reply2)
		munmap(self->reply2, REPLY_MAX);
	if (self->data)
		munmap(self->data, DATA_BYTES);
}

/* One program of bpf/ and its twin, with the arguments and output to try. */
struct twin_case {
	const char *name;
	uint64_t args[3];
	uint32_t out;
	uint64_t bytes;
};

static uint64_t pat(const char *s)
{
	uint64_t v = 0;

	memcpy(&v, s, strlen(s) < 8 ? strlen(s) : 8);
	return v;
}

static const struct twin_case twins[] = {
	{ "count_pattern", { 0x61 /* "a" */, 0, 1 }, 0, DATA_BYTES },
	{ "count_pattern", { 0, 0, 5 }, 0, DATA_BYTES },	/* "Alpha" below */
	{ "count_pattern", { 0, 0, 0 }, 0, DATA_BYTES },	/* -EINVAL */
	{ "count_pattern", { 0, 0, 17 }, 0, DATA_BYTES },	/* -EINVAL */
	{ "count_word", { 0 }, 0, DATA_BYTES },
	{ "count_word", { 1 }, 0, DATA_BYTES },
	{ "count_word", { 2 }, 0, 4096 },
	{ "count_word", { 3 }, 0, DATA_BYTES },
	{ "count_word", { 4 }, 0, DATA_BYTES },			/* -EINVAL */
	{ "grep", { 0, 0, 5 }, 4096, DATA_BYTES },		/* fills up: MORE */
	{ "grep", { 0, 0, 5 }, OUT_MAX, DATA_BYTES },
	{ "grep", { 0, 0, 5 }, 64, 4096 },
	{ "checksum", { 0 }, 0, DATA_BYTES },
	{ "checksum", { 1 }, 0, DATA_BYTES },
	{ "checksum", { 2 }, 0, 65536 },
	{ "checksum", { 9 }, 0, 4096 },				/* -EINVAL */
	{ "histogram", { 0 }, 2048, DATA_BYTES },
	{ "histogram", { 0 }, 4096, 512 },
	{ "histogram", { 0 }, 2047, 512 },			/* -EINVAL */
	{ "sum_records", { 64, 8, 4 }, 16, DATA_BYTES },
	{ "sum_records", { 7, 3, 2 }, 16, DATA_BYTES },
	{ "sum_records", { 300, 10, 8 }, 16, DATA_BYTES },
	{ "sum_records", { 256, 255, 1 }, 8, 65536 },		/* no room for the output */
	{ "sum_records", { 8, 4, 8 }, 16, DATA_BYTES },		/* -EINVAL */
	{ "tpch_q6_bin", { 0 }, 24, DATA_BYTES },
	{ "tpch_q6_bin", { 0 }, 23, 4608 },			/* no room for the output */
	/* the text rows' shipdates are past Q1's: an output of empty groups */
	{ "tpch_q1_bin", { 0 }, 448, DATA_BYTES },
	{ "tpch_q1_bin", { 0 }, 447, 4608 },			/* -EINVAL: no room */
};

/* Compare two replies field by field: the interpreter's and the twin's. */
static void same_reply(struct __test_metadata *_metadata, const char *what,
		       const uint8_t *a, int ra, const uint8_t *b, int rb)
{
	const struct uringblk_exec_result *x = res(a), *y = res(b);

	EXPECT_EQ(ra, rb) TH_LOG("%s: cqe->res", what);
	EXPECT_EQ(x->r0, y->r0) TH_LOG("%s: r0", what);
	EXPECT_EQ(x->error, y->error) TH_LOG("%s: error", what);
	EXPECT_EQ(x->abort_code, y->abort_code) TH_LOG("%s: abort", what);
	EXPECT_EQ(x->out_len, y->out_len) TH_LOG("%s: out_len", what);
	if (!x->error)
		EXPECT_EQ(x->bytes_scanned, y->bytes_scanned) TH_LOG("%s: scanned", what);
	if (x->out_len == y->out_len && x->out_len <= OUT_MAX)
		EXPECT_EQ(0, memcmp(a + UBP_RES_SIZE, b + UBP_RES_SIZE, x->out_len))
			TH_LOG("%s: output", what);
}

/* the interpreter's CRC over 1 MiB is slow under TCG on a busy host */
TEST_F_TIMEOUT(kbpf, twins_exec, 600)
{
	for (size_t i = 0; i < sizeof(twins) / sizeof(twins[0]); i++) {
		const struct twin_case *t = &twins[i];
		uint64_t args[3];
		char what[96], kobj[64];
		int ia, ka, ra, rb;

		memcpy(args, t->args, sizeof(args));
		if (!strcmp(t->name, "count_pattern") && args[2] == 5)
			args[0] = pat("Alpha");
		if (!strcmp(t->name, "grep"))
			args[0] = pat("Alpha");
		snprintf(kobj, sizeof(kobj), "kbpf/%s", t->name);
		ia = ubp_load_obj(&self->ring, self->cfd, t->name, NULL, 0);
		ASSERT_LT(0, ia) TH_LOG("%s: %s", t->name, strerror(-ia));
		ka = KLOAD(kobj, t->name);
		snprintf(what, sizeof(what), "%s args %#llx,%llu,%llu out %u bytes %llu",
			 t->name, (unsigned long long)args[0],
			 (unsigned long long)args[1], (unsigned long long)args[2],
			 t->out, (unsigned long long)t->bytes);
		ra = run(self, self->reply, ia, t->bytes, args, t->out);
		rb = run(self, self->reply2, ka, t->bytes, args, t->out);
		same_reply(_metadata, what, self->reply, ra, self->reply2, rb);
		TH_LOG("%s: r0 %llu error %d", what,
		       (unsigned long long)res(self->reply2)->r0,
		       res(self->reply2)->error);
		EXPECT_EQ(0, ubp_unload(&self->ring, self->cfd, ia));
		EXPECT_EQ(0, ubp_unload(&self->ring, self->cfd, ka));
	}
}

/* btree_lookup and its twin over a tree of depth 4 written to the drive. */
TEST_F_TIMEOUT(kbpf, twin_btree_lookup, 300)
{
	const uint64_t off = 8 << 20;	/* past the fixture's data */
	struct btree_shape sh;
	char err[256];
	int bfd, ia, ka;

	ASSERT_EQ(0, btree_plan(20000, 4, 4, &sh, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_GE(self->id.capacity, off + sh.size);
	bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(0, btree_write(bfd, off, &sh));
	close(bfd);
	ia = ubp_load_obj(&self->ring, self->cfd, "btree_lookup", NULL, 0);
	ASSERT_LT(0, ia);
	ka = KLOAD("kbpf/btree_lookup", "btree_lookup");
	for (int i = 0; i < 400; i++) {
		uint64_t key = i < 200 ? btree_key(&sh, (uint64_t)i * 97 % sh.nr_keys) :
					 btree_key(&sh, i % sh.nr_keys) + 1;
		uint64_t args[3] = { key, sh.root };
		struct ubp_exec e = { .lba = off / self->id.logical_block_size,
				      .count = (sh.size + self->id.logical_block_size - 1) /
					       self->id.logical_block_size };
		int ra, rb;

		if (i >= 390)	/* a root that is no node: corrupt */
			args[1] = sh.root + 8 * (i - 389) + (i & 1);
		memcpy(e.args, args, sizeof(args));
		e.prog = ia;
		ra = ubp_exec(&self->ring, self->cfd, &e, self->reply, UBP_RES_SIZE + 64, NULL);
		e.prog = ka;
		rb = ubp_exec(&self->ring, self->cfd, &e, self->reply2, UBP_RES_SIZE + 64, NULL);
		same_reply(_metadata, "btree_lookup", self->reply, ra, self->reply2, rb);
		if (i < 200)
			EXPECT_EQ(BTREE_FOUND, res(self->reply2)->r0);
	}
	EXPECT_EQ(0, ubp_unload(&self->ring, self->cfd, ia));
	EXPECT_EQ(0, ubp_unload(&self->ring, self->cfd, ka));
}

/* EXECUTE: the same twins over a range set of SLM holding the data. */
TEST_F_TIMEOUT(kbpf, twins_execute, 300)
{
	static const char *const names[] = { "count_pattern", "checksum",
					      "histogram", "sum_records" };
	static const uint64_t argv[][3] = { { 0, 0, 5 }, { 1 }, { 0 }, { 64, 8, 4 } };
	struct uringblk_mem_range r = { .slm_off = 0, .len = DATA_BYTES };
	uint64_t step = self->id.max_mem_xfer;
	int rsid;

	ASSERT_TRUE(self->id.features & URINGBLK_F_SLM);
	for (uint64_t done = 0; done < DATA_BYTES; done += step) {
		uint32_t n = DATA_BYTES - done < step ? DATA_BYTES - done : step;

		ASSERT_EQ((int)n, ubp_mem_rw(&self->ring, self->cfd, URINGBLK_CMD_MEM_WRITE,
					     done, self->data + done, n));
	}
	rsid = ubp_rset_create(&self->ring, self->cfd, &r, 1);
	ASSERT_LT(0, rsid);
	for (size_t i = 0; i < 4; i++) {
		struct ubp_execute x = { .pind = 1, .rsid = rsid,
					 .budget = self->id.max_insn_budget };
		char kobj[64];
		int ia, ka, ra, rb;

		memcpy(x.args, argv[i], sizeof(x.args));
		if (i == 0)
			x.args[0] = pat("Alpha");
		ia = ubp_load_obj(&self->ring, self->cfd, names[i], NULL, 0);
		ASSERT_LT(0, ia);
		snprintf(kobj, sizeof(kobj), "kbpf/%s", names[i]);
		ka = KLOAD(kobj, names[i]);
		ASSERT_EQ(0, ubp_activate(&self->ring, self->cfd, 1, URINGBLK_PROG_ACT_ACTIVATE));
		ASSERT_EQ(0, ubp_activate(&self->ring, self->cfd, 2, URINGBLK_PROG_ACT_ACTIVATE));
		x.pind = 1;
		ra = ubp_execute(&self->ring, self->cfd, &x, self->reply, UBP_RES_SIZE + 4096, NULL);
		x.pind = 2;
		rb = ubp_execute(&self->ring, self->cfd, &x, self->reply2, UBP_RES_SIZE + 4096, NULL);
		same_reply(_metadata, names[i], self->reply, ra, self->reply2, rb);
		ASSERT_EQ(0, ubp_activate(&self->ring, self->cfd, 1, URINGBLK_PROG_ACT_DEACTIVATE));
		ASSERT_EQ(0, ubp_activate(&self->ring, self->cfd, 2, URINGBLK_PROG_ACT_DEACTIVATE));
		EXPECT_EQ(0, ubp_unload(&self->ring, self->cfd, ia));
		EXPECT_EQ(0, ubp_unload(&self->ring, self->cfd, ka));
	}
	EXPECT_EQ(0, ubp_rset_delete(&self->ring, self->cfd, rsid));
}

/* The run stopped with @err and @code; r0 0. */
#define EXPECT_ABORT(ret, err, code) do {				\
	EXPECT_EQ((err), (ret));					\
	EXPECT_EQ((err), res(self->reply)->error);			\
	EXPECT_EQ((code), res(self->reply)->abort_code);		\
	EXPECT_EQ(0, res(self->reply)->r0);				\
} while (0)

TEST_F(kbpf, sandbox_grant)
{
	const uint64_t n = 65536;	/* the grant: 64 KiB */
	int id = KLOAD("kbpf/probe", "probe");

	/* inside: fine, up to the last byte */
	EXPECT_EQ(0, probe(self, id, OP_READ, n - 256, 256, n, 0));
	EXPECT_EQ(0, probe(self, id, OP_READ, n, 0, n, 0));	/* empty, at the end */
	/* past the end, by one byte or by a lot, or wrapping */
	EXPECT_ABORT(probe(self, id, OP_READ, n - 255, 256, n, 0), -ERANGE,
		     URINGBLK_PROG_ABORT_RANGE);
	EXPECT_ABORT(probe(self, id, OP_READ, n + 1, 0, n, 0), -ERANGE,
		     URINGBLK_PROG_ABORT_RANGE);
	EXPECT_ABORT(probe(self, id, OP_READ, UINT64_MAX - 10, 256, n, 0), -ERANGE,
		     URINGBLK_PROG_ABORT_RANGE);
	EXPECT_ABORT(probe(self, id, OP_COUNT, 0, n + 1, n, 0), -ERANGE,
		     URINGBLK_PROG_ABORT_RANGE);
	EXPECT_ABORT(probe(self, id, OP_COUNT, 1, UINT64_MAX, n, 0), -ERANGE,
		     URINGBLK_PROG_ABORT_RANGE);
	EXPECT_ABORT(probe(self, id, OP_FIND, UINT64_MAX, 2, n, 0), -ERANGE,
		     URINGBLK_PROG_ABORT_RANGE);
	EXPECT_ABORT(probe(self, id, OP_SUM, 4, n, n, 0), -ERANGE,
		     URINGBLK_PROG_ABORT_RANGE);
	/* zero lengths are empty scans at a valid offset */
	EXPECT_EQ(0, probe(self, id, OP_COUNT, n, 0, n, 0));
	EXPECT_EQ(0, probe(self, id, OP_SUM, 0, 0, n, 0));
	/* bad scalars, bad buffers */
	EXPECT_ABORT(probe(self, id, OP_SUM, 0, 3, n, 0), -EINVAL,
		     URINGBLK_PROG_ABORT_ARG);
	EXPECT_ABORT(probe(self, id, OP_HIST_SMALL, 0, 16, n, 0), -EFAULT,
		     URINGBLK_PROG_ABORT_MEM);
	/* the whole grant as the interpreter counts it */
	EXPECT_EQ((int)ubp_ref_count(self->data, n, "a", 1),
		  probe(self, id, OP_COUNT, 0, n, n, 0));
	/* the data itself, into the output */
	EXPECT_EQ(0, probe(self, id, OP_READ_OUT, 4096, 0, n, 64));
	EXPECT_EQ(64, res(self->reply)->out_len);
	EXPECT_EQ(0, memcmp(self->reply + UBP_RES_SIZE, self->data + 4096, 64));
}

TEST_F(kbpf, sandbox_output_and_slm)
{
	struct uringblk_mem_range r = { .slm_off = 4096, .len = 4096 };
	struct ubp_execute x = { .pind = 1, .args = { OP_MEM, 4088 } };
	uint64_t v = 0;
	int id, rsid;

	id = KLOAD("kbpf/probe", "probe");
	/* emit: -ENOSPC when it does not fit, nothing written, the run goes on */
	/* r0 is the kfunc's -ENOSPC: above INT_MAX as a u64 */
	EXPECT_EQ(-EOVERFLOW, probe(self, id, OP_EMIT, 0, 256, 4096, 100));
	EXPECT_EQ((uint64_t)-ENOSPC, res(self->reply)->r0);
	EXPECT_EQ(0, res(self->reply)->error);
	EXPECT_EQ(0, res(self->reply)->out_len);
	EXPECT_EQ(256, probe(self, id, OP_EMIT, 0, 256, 4096, 256));
	EXPECT_EQ(256, res(self->reply)->out_len);
	/* the output window: only as large as the output */
	EXPECT_EQ(0, probe(self, id, OP_OUT_BIG, 0, 0, 4096, 4096));
	EXPECT_EQ(0, res(self->reply)->out_len);
	EXPECT_EQ(1, probe(self, id, OP_OUT_BIG, 0, 0, 4096, OUT_MAX));
	EXPECT_EQ(OUT_MAX, res(self->reply)->out_len);
	EXPECT_EQ(0x5a, self->reply[UBP_RES_SIZE + OUT_MAX - 1]);
	/* SLM: none under EXEC; under EXECUTE only inside the set */
	EXPECT_EQ(0, probe(self, id, OP_MEM, 0, 0, 4096, 0));
	rsid = ubp_rset_create(&self->ring, self->cfd, &r, 1);
	ASSERT_LT(0, rsid);
	x.rsid = rsid;
	ASSERT_EQ(0, ubp_activate(&self->ring, self->cfd, 1, URINGBLK_PROG_ACT_ACTIVATE));
	EXPECT_EQ(1, ubp_execute(&self->ring, self->cfd, &x, self->reply, UBP_RES_SIZE, NULL));
	x.args[1] = 4089;	/* one byte past the set */
	EXPECT_EQ(0, ubp_execute(&self->ring, self->cfd, &x, self->reply, UBP_RES_SIZE, NULL));
	x.args[1] = UINT64_MAX - 3;
	EXPECT_EQ(0, ubp_execute(&self->ring, self->cfd, &x, self->reply, UBP_RES_SIZE, NULL));
	EXPECT_EQ(8, ubp_mem_rw(&self->ring, self->cfd, URINGBLK_CMD_MEM_READ,
				4096 + 4088, &v, 8));
	EXPECT_EQ(0x1122334455667788ULL, v);
	ASSERT_EQ(0, ubp_activate(&self->ring, self->cfd, 1, URINGBLK_PROG_ACT_DEACTIVATE));
	EXPECT_EQ(0, ubp_rset_delete(&self->ring, self->cfd, rsid));
}

/*
 * Another drive: a program id is the drive's own, and the same kernel
 * program loaded into both drives sees each drive's data only.
 */
TEST_F(kbpf, sandbox_other_drive)
{
	struct ubp_exec e = { .count = 8, .args = { OP_COUNT, 0, 4096 } };
	struct io_uring ring1;
	int id, id1, cfd1, bfd, fd;
	struct uringblk_prog_kbpf k = { .type = URINGBLK_PROG_TYPE_KBPF };
	struct uringblk_cmd cmd;
	uint8_t *b = ubt_alloc(4096);
	char log[256];

	ASSERT_NE(NULL, b);
	memset(b, 'b', 4096);
	bfd = ubt_open_blk(1, O_RDWR | O_DIRECT);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(4096, ubt_pwrite_full(bfd, b, 4096, 0));
	close(bfd);
	cfd1 = ubt_open_cdev(1, O_RDWR);
	ASSERT_LE(0, cfd1);
	ASSERT_EQ(0, ubt_ring_init(&ring1, 0));
	ASSERT_LE(0, ubp_unload_all(&ring1, cfd1));

	fd = -1;
	id = kload(self, "kbpf/probe", "probe", &fd, NULL, log, sizeof(log));
	ASSERT_LT(0, id) TH_LOG("%s", log);
	ASSERT_LE(0, fd);
	/* drive 1 has no program of that id (or a different one) */
	e.prog = id;
	EXPECT_EQ(-ENOENT, ubp_exec(&ring1, cfd1, &e, self->reply, UBP_RES_SIZE, NULL));
	/* the same kernel program in drive 1: its data, not drive 0's */
	k.prog_fd = fd;
	ubt_cmd_init(&cmd, &k, sizeof(k));
	cmd.flags = URINGBLK_PROG_LOAD_F_BPF_FD;
	id1 = ubt_uring_cmd(&ring1, cfd1, URINGBLK_CMD_PROG_LOAD, &cmd, NULL);
	ASSERT_LT(0, id1);
	close(fd);	/* the drives hold it */
	e.prog = id1;
	EXPECT_EQ(0, ubp_exec(&ring1, cfd1, &e, self->reply, UBP_RES_SIZE, NULL));
	e.prog = id;
	EXPECT_EQ((int)ubp_ref_count(self->data, 4096, "a", 1),
		  ubp_exec(&self->ring, self->cfd, &e, self->reply, UBP_RES_SIZE, NULL));
	EXPECT_EQ(0, ubp_unload(&ring1, cfd1, id1));
	io_uring_queue_exit(&ring1);
	close(cfd1);
	munmap(b, 4096);
}

/* Outside a drive run (the owner's BPF_PROG_TEST_RUN) kfuncs reach nothing. */
TEST_F(kbpf, kfuncs_outside_a_run)
{
	struct uringblk_prog_ctx ctx = { .data_len = 4096, .args = { OP_READ, 0, 16 } };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &ctx, .ctx_size_in = sizeof(ctx));
	char log[256];
	int fd = -1, id;

	id = kload(self, "kbpf/probe", "probe", &fd, NULL, log, sizeof(log));
	ASSERT_LT(0, id) TH_LOG("%s", log);
	ASSERT_EQ(0, bpf_prog_test_run_opts(fd, &opts));
	EXPECT_EQ(-EPERM, (int)opts.retval);
	ctx.args[0] = OP_OUT_BIG;
	ASSERT_EQ(0, bpf_prog_test_run_opts(fd, &opts));
	EXPECT_EQ(0, (int)opts.retval);
	ctx.args[0] = OP_TICK;	/* "stop" */
	ASSERT_EQ(0, bpf_prog_test_run_opts(fd, &opts));
	EXPECT_EQ(1, (int)opts.retval);
	/* while the drive runs the very same program normally */
	EXPECT_EQ(0, probe(self, id, OP_READ, 0, 16, 4096, 0));
	EXPECT_EQ(0, probe(self, id, OP_TICK, 0, 0, 4096, 0));
	close(fd);
}

/* What the verifier accepts and the drive refuses, each with its errno. */
TEST_F(kbpf, refusals)
{
	static const char *const unbounded[] = { "no_tick", "late_tick", "ignore_tick",
						 "sys_bpf" };
	struct uringblk_prog_kbpf k = { .type = URINGBLK_PROG_TYPE_KBPF };
	struct uringblk_cmd cmd;
	char log[4096];
	bool kernel;
	int ret, fd;

	for (size_t i = 0; i < sizeof(unbounded) / sizeof(unbounded[0]); i++) {
		ret = kload(self, "kbpf/refused", unbounded[i], NULL, &kernel, log,
			    sizeof(log));
		EXPECT_FALSE(kernel) TH_LOG("%s: the kernel refused it: %s", unbounded[i], log);
		EXPECT_EQ(-EOPNOTSUPP, ret) TH_LOG("%s: %s", unbounded[i], log);
		TH_LOG("%s: %s", unbounded[i], log);
	}
	/* tail calls: 6.1 refuses prog arrays to (always sleepable) syscall programs */
	ret = kload(self, "kbpf/refused", "tail_call", NULL, &kernel, log, sizeof(log));
	EXPECT_TRUE(kernel);
	EXPECT_EQ(-EINVAL, ret);
	ret = kload(self, "kbpf/refused", "big_ctx", NULL, &kernel, log, sizeof(log));
	EXPECT_EQ(-EINVAL, ret) TH_LOG("big_ctx: %s", log);
	EXPECT_NE(NULL, strstr(log, "context"));
	ret = kload(self, "kbpf/refused", "not_syscall", NULL, &kernel, log, sizeof(log));
	EXPECT_EQ(-EINVAL, ret) TH_LOG("not_syscall: %s", log);
	EXPECT_NE(NULL, strstr(log, "BPF_PROG_TYPE_SYSCALL"));
	/* the right way to loop is accepted, and runs */
	ret = kload(self, "kbpf/refused", "tick_ok", NULL, &kernel, log, sizeof(log));
	ASSERT_LT(0, ret) TH_LOG("tick_ok: %s", log);
	EXPECT_EQ(100, probe(self, ret, 100, 0, 0, 4096, 0));
	/*
	 * A kfunc the drive does not have: libbpf 1.1 cannot resolve the
	 * extern and fails the load with -EINVAL ("not found in kernel or
	 * module BTFs"); the kernel and the drive never see it.
	 */
	ret = kload(self, "kbpf/missing", "missing", NULL, &kernel, log, sizeof(log));
	EXPECT_TRUE(kernel);
	EXPECT_EQ(-EINVAL, ret);

	/* more verifier work than the drive allows between reschedule points */
	ASSERT_EQ(0, ubt_write_str("/sys/module/uringblk/parameters/kbpf_max_verified", "10"));
	ret = kload(self, "kbpf/probe", "probe", NULL, &kernel, log, sizeof(log));
	ASSERT_EQ(0, ubt_write_str("/sys/module/uringblk/parameters/kbpf_max_verified", "262144"));
	EXPECT_EQ(-E2BIG, ret) TH_LOG("%s", log);
	EXPECT_NE(NULL, strstr(log, "kbpf_max_verified=10"));
	/* bounded by the verifier's own limit; a refused value changes nothing */
	EXPECT_EQ(0, ubt_write_str("/sys/module/uringblk/parameters/kbpf_max_verified", "1000000"));
	EXPECT_EQ(-ERANGE, ubt_write_str("/sys/module/uringblk/parameters/kbpf_max_verified",
					 "1000001"));
	{
		char val[32];

		ASSERT_EQ(0, ubt_read_str("/sys/module/uringblk/parameters/kbpf_max_verified",
					  val, sizeof(val)));
		EXPECT_STREQ("1000000", val);
	}
	ASSERT_EQ(0, ubt_write_str("/sys/module/uringblk/parameters/kbpf_max_verified", "262144"));

	/* fds: not BPF, not open */
	fd = open("/dev/null", O_RDONLY);
	ASSERT_LE(0, fd);
	k.prog_fd = fd;
	ubt_cmd_init(&cmd, &k, sizeof(k));
	cmd.flags = URINGBLK_PROG_LOAD_F_BPF_FD;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_PROG_LOAD, &cmd, NULL));
	close(fd);
	k.prog_fd = fd;		/* closed now */
	EXPECT_EQ(-EBADF, ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_PROG_LOAD, &cmd, NULL));
	/* the struct: length, type, reserved words, flags */
	cmd.len = sizeof(k) - 8;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_PROG_LOAD, &cmd, NULL));
	cmd.len = sizeof(k);
	k.type = URINGBLK_PROG_TYPE_EBPF;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_PROG_LOAD, &cmd, NULL));
	k.type = 0;
	k.rsvd[2] = 1;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_PROG_LOAD, &cmd, NULL));
	k.rsvd[2] = 0;
	cmd.flags |= URINGBLK_PROG_LOAD_F_IMAGE;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_PROG_LOAD, &cmd, NULL));
}

/* PROG_LOAD F_BPF_FD needs CAP_SYS_ADMIN, like any PROG_LOAD. */
TEST_F(kbpf, needs_cap_sys_admin)
{
	char log[256];
	int fd = -1, id, status;
	pid_t pid;

	id = kload(self, "kbpf/probe", "probe", &fd, NULL, log, sizeof(log));
	ASSERT_LT(0, id) TH_LOG("%s", log);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct uringblk_prog_kbpf k = { .prog_fd = fd };
		struct uringblk_cmd cmd;
		struct io_uring ring;

		/*
		 * A ring of its own: the parent's is shared memory whose
		 * indexes the parent's liburing caches, so a CQE the child
		 * reaped there would throw the parent's teardown off (-EIO).
		 */
		if (ubp_drop_cap_sys_admin() || ubt_ring_init(&ring, 0))
			_exit(2);
		ubt_cmd_init(&cmd, &k, sizeof(k));
		cmd.flags = URINGBLK_PROG_LOAD_F_BPF_FD;
		_exit(ubt_uring_cmd(&ring, self->cfd, URINGBLK_CMD_PROG_LOAD,
				    &cmd, NULL) == -EPERM ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fd);
}

/*
 * Load extension @repl of kbpf/extendable.bpf.o aimed at function @func
 * of the loaded program @tgt_fd.  Returns the object (its program in
 * *@ext) or NULL, with the verifier's words in @log.
 */
static struct bpf_object *load_ext(const char *repl, int tgt_fd, const char *func,
				   struct bpf_program **ext, char *log, size_t log_len)
{
	struct bpf_program *p;
	struct bpf_object *o;
	char path[512];

	log[0] = '\0';
	*ext = NULL;
	ubp_obj_path("kbpf/extendable", path, sizeof(path));
	o = bpf_object__open_file(path, NULL);
	if (libbpf_get_error(o))
		return NULL;
	bpf_object__for_each_program(p, o) {
		bool me = !strcmp(bpf_program__name(p), repl);

		bpf_program__set_autoload(p, me);
		if (me)
			*ext = p;
	}
	if (!*ext || bpf_program__set_attach_target(*ext, tgt_fd, func)) {
		bpf_object__close(o);
		return NULL;
	}
	bpf_program__set_log_buf(*ext, log, log_len);
	if (bpf_object__load(o)) {
		bpf_object__close(o);
		return NULL;
	}
	return o;
}

/*
 * A held program stays what the drive checked: an freplace program could
 * replace a global function of a loaded program later and run un-ticked
 * inside the drive's runs (an int3 oops on the debug kernel).  The drive
 * refuses programs with such a function, and one already extended; the
 * kernel refuses to extend the functions of a program the drive takes.
 */
TEST_F(kbpf, freplace_refused)
{
	struct bpf_program *ext;
	struct bpf_object *o;
	struct bpf_link *link;
	char log[4096];
	bool kernel;
	int ret, fd = -1, pfd = -1, id;

	/* the kernel takes the program, and would let it be extended: */
	ret = kload(self, "kbpf/extendable", "extendable_main", &fd, &kernel, log,
		    sizeof(log));
	ASSERT_FALSE(kernel) TH_LOG("the kernel refused it: %s", log);
	EXPECT_EQ(-EOPNOTSUPP, ret) TH_LOG("%s", log);
	EXPECT_NE(NULL, strstr(log, "function extendable")) TH_LOG("%s", log);
	ASSERT_LE(0, fd);
	o = load_ext("repl_global", fd, "extendable", &ext, log, sizeof(log));
	ASSERT_NE(NULL, o) TH_LOG("the extension did not load: %s", log);
	link = bpf_program__attach_freplace(ext, fd, "extendable");
	ASSERT_EQ(0, libbpf_get_error(link)) TH_LOG("the kernel refused the attachment");
	/* extended now: still refused, and never held */
	{
		struct uringblk_prog_kbpf k = { .prog_fd = fd };
		struct uringblk_cmd cmd;

		ubt_cmd_init(&cmd, &k, sizeof(k));
		cmd.flags = URINGBLK_PROG_LOAD_F_BPF_FD;
		cmd.prog_load.log_addr = (uintptr_t)log;
		cmd.prog_load.log_len = sizeof(log);
		EXPECT_EQ(-EOPNOTSUPP, ubt_uring_cmd(&self->ring, self->cfd,
						     URINGBLK_CMD_PROG_LOAD, &cmd, NULL));
	}
	bpf_link__destroy(link);
	bpf_object__close(o);
	close(fd);

	/* a program the drive takes: its functions cannot be replaced */
	id = kload(self, "kbpf/probe", "probe", &pfd, NULL, log, sizeof(log));
	ASSERT_LT(0, id) TH_LOG("%s", log);
	ASSERT_LE(0, pfd);
	o = load_ext("repl_main", pfd, "probe", &ext, log, sizeof(log));
	EXPECT_EQ(NULL, o) TH_LOG("the kernel let an extension replace a held program's function");
	EXPECT_NE(NULL, strstr(log, "Cannot replace static functions")) TH_LOG("%s", log);
	if (o)
		bpf_object__close(o);
	close(pfd);
	/* and it still runs as it was checked */
	EXPECT_EQ(0, probe(self, id, OP_TICK, 0, 0, 4096, 0));
}

/* Without the JIT the drive refuses a program (kfuncs need it anyway). */
TEST_F(kbpf, needs_the_jit)
{
	const char *knob = "/proc/sys/net/core/bpf_jit_enable";
	char was[16] = "", log[512];
	int ret;

	if (ubt_read_str(knob, was, sizeof(was)))
		SKIP(return, "no %s", knob);
	if (ubt_write_str(knob, "0"))
		SKIP(return, "cannot turn the JIT off (CONFIG_BPF_JIT_ALWAYS_ON?)");
	ret = kload(self, "kbpf/plain", "plain", NULL, NULL, log, sizeof(log));
	ubt_write_str(knob, was[0] ? was : "1");
	EXPECT_EQ(-EOPNOTSUPP, ret) TH_LOG("%s", log);
	EXPECT_NE(NULL, strstr(log, "JIT"));
}

/*
 * Termination: a program that would run about 6e20 loop turns stops when
 * its budget is used up, each turn paying one unit at its tick.
 */
TEST_F(kbpf, budget_stops_a_long_run)
{
	struct ubp_exec e = { .count = 8, .budget = 1000000 };
	double t;
	int id;

	id = KLOAD("kbpf/spin", "spin");
	e.prog = id;
	t = ubp_now();
	EXPECT_EQ(-ETIME, ubp_exec(&self->ring, self->cfd, &e, self->reply, UBP_RES_SIZE, NULL));
	t = ubp_now() - t;
	EXPECT_EQ(URINGBLK_PROG_ABORT_BUDGET, res(self->reply)->abort_code);
	EXPECT_LE(1000000, res(self->reply)->insns);
	EXPECT_GT(1000000 + 64, res(self->reply)->insns);
	TH_LOG("1e6 ticks in %.3f s", t);
	/* with kfunc work in every turn */
	e.args[0] = 1;
	EXPECT_EQ(-ETIME, ubp_exec(&self->ring, self->cfd, &e, self->reply, UBP_RES_SIZE, NULL));
	EXPECT_EQ(URINGBLK_PROG_ABORT_BUDGET, res(self->reply)->abort_code);
}

/* SIGKILL of the submitter ends a run that no budget would end soon. */
TEST_F(kbpf, sigkill_stops_a_long_run)
{
	int id, status;
	double t;
	pid_t pid;

	id = KLOAD("kbpf/spin", "spin");
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct ubp_exec e = { .prog = id, .count = 8,
				      .budget = self->id.max_insn_budget };
		struct io_uring ring;
		uint8_t reply[UBP_RES_SIZE];

		if (ubt_ring_init(&ring, 0))
			_exit(2);
		ubp_exec(&ring, self->cfd, &e, reply, sizeof(reply), NULL);
		_exit(3);	/* not reached: killed in the run */
	}
	usleep(500 * 1000);
	t = ubp_now();
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	t = ubp_now() - t;
	EXPECT_TRUE(WIFSIGNALED(status));
	/* the interpreter's bound is a slice; here a tick, but TCG is slow */
	EXPECT_GT(2.0, t);
	TH_LOG("the killed submitter was gone %.3f s after SIGKILL", t);
}

TEST_HARNESS_MAIN
