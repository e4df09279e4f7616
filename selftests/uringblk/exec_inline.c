// SPDX-License-Identifier: GPL-2.0
/*
 * The two EXEC paths (driver/exec.c) give the same answer.  A short run
 * ends inline, in the task that issued it; a longer one yields when its
 * slice of exec_inline_units budget units ends and the worker resumes it;
 * with exec_inline_units=0 every run is the worker's.  For every bpf/
 * program, on short and long ranges, with slices from 1 unit (a yield at
 * the first reschedule point) to the default, the whole reply (result
 * struct, insns and bytes_scanned included, and the output) is the same
 * byte for byte, and prog_runs_inline / prog_runs_worker say which path
 * ended the run.  Also: a reply buffer that is not resident (the issue
 * path never faults, so the worker writes it), IOSQE_ASYNC, and a
 * file-backed drive, whose reads sleep: a run that reads data moves to
 * the worker, one that does not ends inline.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "prog_test.h"

#define PARAM_PATH	"/sys/module/uringblk/parameters/exec_inline_units"
#define CAPACITY	(64 * UBT_MIB)
#define BS		512ULL
#define DATA_LEN	(8 * UBT_MIB)
#define OUT_LEN		4096
#define REPLY_LEN	(UBP_RES_SIZE + OUT_LEN)
#define DEFAULT_UNITS	16384

/* Slices tried: the default first (the reference), then smaller ones, 0. */
static const unsigned int slices[] = { DEFAULT_UNITS, 0, 1, 7, 1000 };

static int set_slice(unsigned int units)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", units);
	return ubt_write_str(PARAM_PATH, buf);
}

struct outcome {
	int res;
	uint64_t res2;
	uint64_t inline_runs, worker_runs, runs;
	uint8_t reply[REPLY_LEN];
};

/* EXEC and wait; the reply is left in @reply and copied to o->reply. */
static int run_once(struct io_uring *ring, int fd, const struct ubp_exec *e,
		    uint32_t reply_len, void *reply, uint8_t sqe_flags,
		    struct outcome *o)
{
	struct uringblk_stats b, a;
	struct uringblk_cmd cmd;

	if (ubt_get_stats(ring, fd, &b, 0) != sizeof(b))
		return -EIO;
	ubp_exec_cmd(&cmd, e, reply, reply_len);
	o->res = ubt_uring_cmd_flags(ring, fd, URINGBLK_CMD_EXEC, &cmd,
				     &o->res2, sqe_flags);
	if (ubt_get_stats(ring, fd, &a, 0) != sizeof(a))
		return -EIO;
	o->inline_runs = a.prog_runs_inline - b.prog_runs_inline;
	o->worker_runs = a.prog_runs_worker - b.prog_runs_worker;
	o->runs = a.prog_runs - b.prog_runs;
	if (reply != o->reply)
		memcpy(o->reply, reply, reply_len);
	return 0;
}

FIXTURE(inl) {
	struct io_uring ring;
	int cfd;
	uint8_t *data;
	struct outcome ref, o;
};

FIXTURE_SETUP(inl)
{
	int bfd;

	UBT_SETUP_MODULE(ubt_module_ensure, "capacity_mb=64");
	ASSERT_EQ(0, set_slice(DEFAULT_UNITS));
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	self->data = ubt_alloc(DATA_LEN);
	ASSERT_NE(NULL, self->data);
	ubp_random(self->data, DATA_LEN, 11);
	for (uint64_t off = 333; off + 5 < DATA_LEN; off += 4099)
		memcpy(self->data + off, "Alpha", 5);
	bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(DATA_LEN, ubt_pwrite_full(bfd, self->data, DATA_LEN, 0));
	close(bfd);
}

FIXTURE_TEARDOWN(inl)
{
	set_slice(DEFAULT_UNITS);
	io_uring_queue_exit(&self->ring);
	close(self->cfd);
	munmap(self->data, DATA_LEN);
}

/* One program run the same way on every path. */
struct job {
	const char *obj;
	uint64_t args[3];
	const char *pat;	/* pattern args (count_pattern, grep) */
	uint32_t out_len;
	uint64_t budget;
	bool aborts;		/* ends with an error on every path */
	bool light;		/* a page of it is far below the default slice */
};

static const struct job jobs[] = {
	{ .obj = "checksum", .args = { 0 }, .light = true },
	{ .obj = "checksum", .args = { 1 }, .budget = 1ULL << 32 },
	{ .obj = "checksum", .args = { 3 }, .aborts = true },	/* its own -EINVAL */
	{ .obj = "count_pattern", .pat = "Alpha", .light = true },
	{ .obj = "grep", .pat = "Alpha", .out_len = OUT_LEN, .light = true },
	{ .obj = "histogram", .out_len = 2048, .light = true },
	{ .obj = "sum_records", .args = { 16, 8, 8 }, .out_len = 16 },
	{ .obj = "checksum", .args = { 1 }, .budget = 20000, .aborts = true },	/* -ETIME */
};

/* Block ranges: a page (ends inline), 8 MiB (outlasts the default slice). */
static const struct { uint64_t lba, count; bool short_run; } ranges[] = {
	{ 1, 8, true },
	{ 0, DATA_LEN / BS, false },
};

/* 5 slices x 8 jobs x 2 ranges (8 MiB scans): minutes under KASAN */
TEST_F_TIMEOUT(inl, same_reply_on_every_path, 600)
{
	for (size_t j = 0; j < ARRAY_SIZE(jobs); j++) {
		const struct job *jb = &jobs[j];
		char log[256];
		struct ubp_exec e = { .budget = jb->budget };
		int id = ubp_load_obj(&self->ring, self->cfd, jb->obj, log,
				      sizeof(log));

		ASSERT_LT(0, id) TH_LOG("load %s: %s", jb->obj, log);
		e.prog = id;
		memcpy(e.args, jb->args, sizeof(e.args));
		if (jb->pat)
			ubp_pattern_args(&e, jb->pat, strlen(jb->pat));
		for (size_t ri = 0; ri < ARRAY_SIZE(ranges); ri++) {
			uint32_t len = UBP_RES_SIZE + jb->out_len;

			/* CRC-32 in bytecode: ~27 units a byte; keep it short */
			if (jb->args[0] == 1 && !jb->aborts && !ranges[ri].short_run)
				continue;
			e.lba = ranges[ri].lba;
			e.count = ranges[ri].count;
			for (size_t s = 0; s < ARRAY_SIZE(slices); s++) {
				struct outcome *o = s ? &self->o : &self->ref;
				struct uringblk_exec_result r;
				bool worker;

				ASSERT_EQ(0, set_slice(slices[s]));
				memset(o->reply, 0xa5, len);
				ASSERT_EQ(0, run_once(&self->ring, self->cfd, &e, len,
						      o->reply, 0, o));
				EXPECT_EQ(1, o->runs);
				EXPECT_EQ(1, o->inline_runs + o->worker_runs)
					TH_LOG("%s slice %u: inline %llu worker %llu",
					       jb->obj, slices[s],
					       (unsigned long long)o->inline_runs,
					       (unsigned long long)o->worker_runs);
				/*
				 * Which path ended it, where that is certain: an
				 * abort may come before the first reschedule point.
				 */
				worker = !slices[s] ||
					 (!jb->aborts && (slices[s] < 1000 ||
							  !ranges[ri].short_run));
				if (worker || (ranges[ri].short_run && jb->light &&
					       slices[s] == DEFAULT_UNITS))
					EXPECT_EQ(worker ? 0 : 1, o->inline_runs)
						TH_LOG("%s, range %zu, slice %u: worker %llu, "
						       "res %d", jb->obj, ri, slices[s],
						       (unsigned long long)o->worker_runs,
						       o->res);
				memcpy(&r, o->reply, sizeof(r));
				if (jb->aborts) {
					EXPECT_NE(URINGBLK_PROG_OK, r.abort_code);
					EXPECT_EQ(r.error, o->res);
				} else {
					EXPECT_EQ(URINGBLK_PROG_OK, r.abort_code)
						TH_LOG("%s: res %d", jb->obj, o->res);
				}
				if (!s)
					continue;
				EXPECT_EQ(self->ref.res, o->res);
				EXPECT_EQ(self->ref.res2, o->res2);
				EXPECT_EQ(0, memcmp(self->ref.reply, o->reply, len))
					TH_LOG("%s, range %zu: slice %u's reply differs "
					       "from slice %u's", jb->obj, ri, slices[s],
					       slices[0]);
			}
		}
		EXPECT_EQ(0, ubp_unload(&self->ring, self->cfd, id));
	}
}

/* r0 = 7, without touching data */
static const struct bpf_insn trivial[] = {
	BPF_MOV64_IMM(BPF_REG_0, 7),
	BPF_EXIT_INSN(),
};

/*
 * The issue path copies the reply without faulting pages in; a reply
 * buffer that is not resident is written by the worker, and the run still
 * counts as an inline one, once.
 */
TEST_F(inl, reply_not_resident)
{
	const size_t len = 2 * 4096;
	struct ubp_exec e = { .lba = 1, .count = 8 };
	unsigned char vec[2];
	struct uringblk_exec_result r;
	uint8_t *reply;
	int id;

	id = ubp_load(&self->ring, self->cfd, trivial, UBP_NINSNS(trivial),
		      "trivial", NULL, 0);
	ASSERT_LT(0, id);
	e.prog = id;
	for (int round = 0; round < 3; round++) {
		reply = mmap(NULL, len, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, reply);
		ASSERT_EQ(0, mincore(reply, len, vec));
		ASSERT_EQ(0, vec[0] & 1) TH_LOG("a fresh mapping is resident");
		ASSERT_EQ(0, run_once(&self->ring, self->cfd, &e, UBP_RES_SIZE + 64,
				      reply, 0, &self->o));
		EXPECT_EQ(7, self->o.res);
		EXPECT_EQ(7, self->o.res2);
		memcpy(&r, reply, sizeof(r));
		EXPECT_EQ(7, r.r0);
		EXPECT_EQ(0, r.error);
		EXPECT_EQ(URINGBLK_PROG_OK, r.abort_code);
		EXPECT_EQ(1, self->o.inline_runs);
		EXPECT_EQ(0, self->o.worker_runs);
		munmap(reply, len);
	}
}

/* From io-wq (IOSQE_ASYNC) the issue may block: still inline, still right. */
TEST_F(inl, iosqe_async)
{
	struct ubp_exec e = { .lba = 1, .count = 8 };
	char log[256];
	int id = ubp_load_obj(&self->ring, self->cfd, "checksum", log, sizeof(log));

	ASSERT_LT(0, id) TH_LOG("%s", log);
	e.prog = id;
	ASSERT_EQ(0, run_once(&self->ring, self->cfd, &e, UBP_RES_SIZE,
			      self->ref.reply, 0, &self->ref));
	ASSERT_EQ(0, run_once(&self->ring, self->cfd, &e, UBP_RES_SIZE,
			      self->o.reply, IOSQE_ASYNC, &self->o));
	EXPECT_EQ(self->ref.res, self->o.res);
	EXPECT_EQ(self->ref.res2, self->o.res2);
	EXPECT_EQ(0, memcmp(self->ref.reply, self->o.reply, UBP_RES_SIZE));
	EXPECT_EQ(1, self->o.inline_runs);
	EXPECT_EQ(ubp_ref_sum32(self->data + BS, 8 * BS), self->o.res2);
}

/*
 * A file-backed drive's page fetch reads the file, which sleeps: a run
 * that reads data yields at its first fetch and the worker finishes it;
 * one that reads none ends inline.
 */
TEST(file_backed)
{
	const char *params = "capacity_mb=16 backing=file path=/var/tmp/ubt-exec_inline.img";
	struct ubp_exec e = { .lba = 0, .count = 64 };
	struct io_uring ring;
	struct outcome *o = calloc(1, sizeof(*o));
	uint8_t *data = ubt_alloc(64 * BS);
	char log[256];
	int cfd, bfd, id;

	ASSERT_NE(NULL, o);
	ASSERT_NE(NULL, data);
	UBT_SETUP_MODULE(ubt_module_reload, params);
	ASSERT_EQ(0, set_slice(DEFAULT_UNITS));
	cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, cfd);
	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	ubp_random(data, 64 * BS, 5);
	bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(64 * BS, ubt_pwrite_full(bfd, data, 64 * BS, 0));
	close(bfd);

	id = ubp_load_obj(&ring, cfd, "checksum", log, sizeof(log));
	ASSERT_LT(0, id) TH_LOG("%s", log);
	e.prog = id;
	ASSERT_EQ(0, run_once(&ring, cfd, &e, UBP_RES_SIZE, o->reply, 0, o));
	EXPECT_EQ(ubp_ref_sum32(data, 64 * BS), o->res2);
	EXPECT_EQ(0, o->inline_runs);
	EXPECT_EQ(1, o->worker_runs);

	id = ubp_load(&ring, cfd, trivial, UBP_NINSNS(trivial), "trivial", NULL, 0);
	ASSERT_LT(0, id);
	e.prog = id;
	ASSERT_EQ(0, run_once(&ring, cfd, &e, UBP_RES_SIZE, o->reply, 0, o));
	EXPECT_EQ(7, o->res);
	EXPECT_EQ(1, o->inline_runs);
	EXPECT_EQ(0, o->worker_runs);

	io_uring_queue_exit(&ring);
	close(cfd);
	munmap(data, 64 * BS);
	free(o);
	EXPECT_EQ(0, ubt_module_unload());
}

/*
 * The slice runs with no reschedule point in the submitter's task: it is
 * bounded (16 x the default), at insmod and in sysfs, and a refused value
 * leaves the old one.
 */
TEST(slice_bounded)
{
	char val[32];

	if (ubt_module_loaded())
		ASSERT_EQ(0, ubt_module_unload());
	EXPECT_EQ(-ERANGE, ubt_module_load("capacity_mb=16 exec_inline_units=262145"));
	EXPECT_FALSE(ubt_module_loaded());
	UBT_SETUP_MODULE(ubt_module_reload, "capacity_mb=16 exec_inline_units=262144");
	ASSERT_EQ(0, ubt_read_str(PARAM_PATH, val, sizeof(val)));
	EXPECT_STREQ("262144", val);
	EXPECT_EQ(-ERANGE, set_slice(262145));
	EXPECT_EQ(-ERANGE, set_slice(4294967295U));
	EXPECT_EQ(-ERANGE, ubt_write_str(PARAM_PATH, "4294967296"));
	EXPECT_EQ(-EINVAL, ubt_write_str(PARAM_PATH, "-1"));
	ASSERT_EQ(0, ubt_read_str(PARAM_PATH, val, sizeof(val)));
	EXPECT_STREQ("262144", val);
	EXPECT_EQ(0, set_slice(0));
	EXPECT_EQ(0, set_slice(DEFAULT_UNITS));
	EXPECT_EQ(0, ubt_module_unload());
}

TEST_HARNESS_MAIN
