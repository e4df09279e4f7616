// SPDX-License-Identifier: GPL-2.0
/*
 * Programs with global data (ABI 1.3, PROG_LOAD F_IMAGE): .rodata, .data
 * and .bss laid out by liburingblk's loader, run by EXEC in the drive.
 *
 *  - tests/lib/bpf/globals.bpf.c, read with uringblk_prog_read_obj(),
 *    computes what globals_ref() does (globals.h) from every kind of
 *    section, run after run: .data and .bss start afresh every time;
 *  - bpf/count_word.bpf.c (a .rodata string and table) counts as C does;
 *  - a store to .rodata aborts the run with -EFAULT (abort "mem");
 *  - writable globals above what the cached run state holds (1 KiB) are
 *    reset too, on every EXEC path;
 *  - identify's limits, PROG_LIST's globals_len, and the refusals:
 *    -E2BIG over the limits, -EINVAL for a malformed image, -EFAULT for
 *    an unreadable one.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "liburingblk.h"
#include "prog_test.h"
#include "globals.h"

#define CAPACITY	(16 * UBT_MIB)
#define BS		512ULL
#define DATA_LEN	(1 * UBT_MIB)
#define REPLY_LEN	(UBP_RES_SIZE + 64)
#define R0		0
#define R2		2

FIXTURE(globals) {
	struct io_uring ring;
	int cfd, bfd;
	struct uringblk_identify id;
	uint8_t *data;
	uint8_t reply[REPLY_LEN];
	char log[4096];
};

FIXTURE_VARIANT(globals) {
	const char *params;
};

FIXTURE_VARIANT_ADD(globals, inline) {
	.params = "capacity_mb=16",
};

/* every run yields in the issuing task and the worker resumes it */
FIXTURE_VARIANT_ADD(globals, yield) {
	.params = "capacity_mb=16 exec_inline_units=1",
};

FIXTURE_VARIANT_ADD(globals, worker) {
	.params = "capacity_mb=16 exec_inline_units=0",
};

FIXTURE_SETUP(globals)
{
	UBT_SETUP_MODULE(ubt_module_reload, variant->params);
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	ASSERT_EQ(sizeof(self->id), ubt_identify(&self->ring, self->cfd,
						 &self->id));
	if (!(self->id.features & URINGBLK_F_COMPUTE))
		UBT_SETUP_SKIP("the drive has no URINGBLK_F_COMPUTE");
	if (self->id.abi_minor < 3 || !self->id.max_globals)
		UBT_SETUP_SKIP("the drive has no global data (ABI < 1.3)");
	self->data = ubt_alloc(DATA_LEN);
	ASSERT_NE(NULL, self->data);
	ubp_random(self->data, DATA_LEN, 12);
	for (uint64_t off = 17; off + 5 < DATA_LEN; off += 4099)
		memcpy(self->data + off, "Alpha", 5);
	memcpy(self->data + 4094, "Gamma", 5);		/* across a page */
	self->bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, self->bfd);
	ASSERT_EQ(DATA_LEN, ubt_pwrite_full(self->bfd, self->data, DATA_LEN, 0));
}

FIXTURE_TEARDOWN(globals)
{
	io_uring_queue_exit(&self->ring);
	close(self->cfd);
	close(self->bfd);
	munmap(self->data, DATA_LEN);
}

/* EXEC over the first block(s); cqe->res, the result struct in *r. */
static int run(struct __test_metadata *_metadata, FIXTURE_DATA(globals) *self,
	       uint32_t id, uint64_t count, uint64_t a0, uint64_t a1,
	       struct uringblk_exec_result *r)
{
	struct ubp_exec e = {
		.prog = id, .lba = 0, .count = count,
		.args = { a0, a1, 0 },
	};
	int ret;

	memset(self->reply, 0xa5, sizeof(self->reply));
	ret = ubp_exec(&self->ring, self->cfd, &e, self->reply, REPLY_LEN,
		       NULL);
	memcpy(r, self->reply, sizeof(*r));
	return ret;
}

TEST_F(globals, identify_limits)
{
	EXPECT_EQ(64 * 1024, self->id.max_globals);
	EXPECT_EQ(4 * 1024, self->id.max_rw_globals);
}

/* Every section, run after run: never anything of the previous run. */
TEST_F(globals, all_sections_reset_every_run)
{
	struct uringblk_prog_info info[4];
	struct uringblk_exec_result r;
	int id, n;

	id = ubp_load_obj_prog(&self->ring, self->cfd, "globals",
			       "all_sections", self->log, sizeof(self->log));
	ASSERT_LT(0, id) TH_LOG("load: %d %s", id, self->log);
	for (uint64_t a = 0; a < 6; a++) {
		uint64_t want = globals_ref(a, a * 3);

		/* twice with the same args: the second sees the initial values */
		for (int k = 0; k < 2; k++) {
			int ret = run(_metadata, self, id, 1, a, a * 3, &r);

			EXPECT_EQ(0, r.error);
			EXPECT_EQ(want, r.r0) TH_LOG("args %llu run %d",
						     (unsigned long long)a, k);
			EXPECT_EQ((int)want, ret);
		}
	}
	/* the only downloaded program: first (device-defined ones follow) */
	n = ubp_list(&self->ring, self->cfd, 0, info, 4);
	ASSERT_LE(1, n);
	ASSERT_EQ(id, info[0].id);
	for (int i = 1; i < n; i++)
		EXPECT_TRUE(info[i].flags & URINGBLK_PROG_INFO_F_DEVICE);
	/* .rodata 8 + 8 + 16, .data 8, .bss 8 + 256 (the loader's layout) */
	EXPECT_EQ(8 + 8 + 16 + 8 + 8 + 256, info[0].globals_len);
	EXPECT_EQ(0, ubp_unload(&self->ring, self->cfd, id));
}

TEST_F(globals, store_to_rodata_faults)
{
	struct uringblk_exec_result r;
	int id, ret;

	id = ubp_load_obj_prog(&self->ring, self->cfd, "globals",
			       "store_rodata", self->log, sizeof(self->log));
	ASSERT_LT(0, id) TH_LOG("load: %d %s", id, self->log);
	ret = run(_metadata, self, id, 1, 2, 0, &r);
	EXPECT_EQ(-EFAULT, ret);
	EXPECT_EQ(-EFAULT, r.error);
	EXPECT_EQ(URINGBLK_PROG_ABORT_MEM, r.abort_code);
	/* every run: the store never lands, so it never succeeds later */
	EXPECT_EQ(-EFAULT, run(_metadata, self, id, 1, 0, 0, &r));
}

/* bpf/count_word.bpf.c: the words are .rodata */
TEST_F(globals, count_word)
{
	static const char *const words[] = { "Alpha", "Beta", "Gamma", "Delta" };
	struct uringblk_exec_result r;
	int id, ret;

	id = ubp_load_obj(&self->ring, self->cfd, "count_word", self->log,
			  sizeof(self->log));
	ASSERT_LT(0, id) TH_LOG("load: %d %s", id, self->log);
	for (int i = 0; i < 4; i++) {
		uint64_t want = ubp_ref_count(self->data, DATA_LEN, words[i],
					      strlen(words[i]));

		ret = run(_metadata, self, id, DATA_LEN / BS, i, 0, &r);
		EXPECT_EQ(0, r.error);
		EXPECT_EQ(want, r.r0) TH_LOG("%s", words[i]);
		EXPECT_EQ((int)want, ret);
	}
	EXPECT_EQ(-EINVAL, run(_metadata, self, id, 1, 4, 0, &r));
	EXPECT_EQ(URINGBLK_PROG_ABORT_ARG, r.abort_code);
}

/* The same through liburingblk's own handle: uringblk_prog_load_file(). */
TEST_F(globals, load_file_through_liburingblk)
{
	struct uringblk_exec_result r;
	struct uringblk_dev *dev;
	char path[512];
	int id;

	ASSERT_EQ(0, uringblk_open_index(0, &dev));
	ubp_obj_path("count_word", path, sizeof(path));
	id = uringblk_prog_load_file(dev, path, NULL, self->log,
				     sizeof(self->log));
	ASSERT_LT(0, id) TH_LOG("load: %d %s", id, self->log);
	EXPECT_EQ((int)ubp_ref_count(self->data, 8 * BS, "Alpha", 5),
		  run(_metadata, self, id, 8, 0, 0, &r));
	uringblk_close(dev);
}

/*
 * Hand-made image: .rodata 8, .data 8 (= 5), .bss 2048: writable globals
 * beyond the cached run state's 1 KiB.  The program returns .data +
 * the last .bss word + .rodata, then overwrites both writable words.
 */
TEST_F(globals, big_rw_reset)
{
	const uint64_t g = URINGBLK_PROG_GLOBAL_ADDR;
	const struct bpf_insn insns[] = {
		BPF_LD_IMM64(R2, g),
		BPF_LDX_MEM(BPF_DW, 0, 2, 8),		/* .data */
		BPF_LDX_MEM(BPF_DW, 3, 2, 16 + 2040),	/* last .bss word */
		BPF_ALU64_REG(BPF_ADD, 0, 3),
		BPF_LDX_MEM(BPF_DW, 3, 2, 0),		/* .rodata */
		BPF_ALU64_REG(BPF_ADD, 0, 3),
		BPF_ST_MEM(BPF_DW, 2, 8, 1000),
		BPF_ST_MEM(BPF_DW, 2, 16 + 2040, 2000),
		BPF_LDX_MEM(BPF_DW, 3, 1, UBP_CTX(globals_len)),
		BPF_ALU64_IMM(BPF_LSH, 3, 32),
		BPF_ALU64_REG(BPF_ADD, 0, 3),
		BPF_EXIT_INSN(),
	};
	uint64_t init[2] = { 100, 5 };
	struct uringblk_prog_image img = {
		.insns = (uintptr_t)insns, .insn_cnt = UBP_NINSNS(insns),
		.globals = (uintptr_t)init, .rodata_len = 8, .data_len = 8,
		.bss_len = 2048,
	};
	struct uringblk_exec_result r;
	int id;

	id = ubp_load_image(&self->ring, self->cfd, &img, "big_rw", self->log,
			    sizeof(self->log));
	ASSERT_LT(0, id) TH_LOG("load: %d %s", id, self->log);
	for (int k = 0; k < 3; k++) {
		run(_metadata, self, id, 1, 0, 0, &r);
		EXPECT_EQ(0, r.error);
		EXPECT_EQ((2064ULL << 32) + 105, r.r0) TH_LOG("run %d", k);
	}
}

/* Without global data the region is empty, whatever the address. */
TEST_F(globals, no_globals_no_region)
{
	const struct bpf_insn insns[] = {
		BPF_LDX_MEM(BPF_DW, 0, 1, UBP_CTX(globals)),
		BPF_LD_IMM64(R2, URINGBLK_PROG_GLOBAL_ADDR),
		BPF_LDX_MEM(BPF_B, 0, 2, 0),
		BPF_EXIT_INSN(),
	};
	struct uringblk_exec_result r;
	int id;

	id = ubp_load(&self->ring, self->cfd, insns, UBP_NINSNS(insns), "none",
		      self->log, sizeof(self->log));
	ASSERT_LT(0, id) TH_LOG("%s", self->log);
	EXPECT_EQ(-EFAULT, run(_metadata, self, id, 1, 0, 0, &r));
	EXPECT_EQ(3, r.abort_pc);
	/* plain PROG_LOAD of an object without globals: no_globals */
	id = ubp_load_obj_prog(&self->ring, self->cfd, "globals", "no_globals",
			       self->log, sizeof(self->log));
	ASSERT_LT(0, id);
	EXPECT_EQ(8, run(_metadata, self, id, 1, 7, 0, &r));
}

TEST_F(globals, over_the_limits)
{
	int ret;

	/* 8 KiB of .bss: over max_rw_globals */
	ret = ubp_load_obj_prog(&self->ring, self->cfd, "globals_big", "big_rw",
				self->log, sizeof(self->log));
	EXPECT_EQ(-E2BIG, ret);
	EXPECT_NE(NULL, strstr(self->log, "writable global data"))
		TH_LOG("%s", self->log);
	/* 70000 bytes of .rodata: over max_globals */
	ret = ubp_load_obj_prog(&self->ring, self->cfd, "globals_big",
				"big_ro_data", self->log, sizeof(self->log));
	EXPECT_EQ(-E2BIG, ret);
	EXPECT_NE(NULL, strstr(self->log, "bytes of global data"))
		TH_LOG("%s", self->log);
}

TEST_F(globals, malformed_images)
{
	const struct bpf_insn insns[] = {
		BPF_MOV64_IMM(R0, 1),
		BPF_EXIT_INSN(),
	};
	uint64_t init[2] = { 0, 0 };
	struct uringblk_prog_image good = {
		.insns = (uintptr_t)insns, .insn_cnt = 2,
		.globals = (uintptr_t)init, .rodata_len = 8, .data_len = 8,
	}, img;
	struct uringblk_cmd cmd;
	int ret;

	ASSERT_LT(0, ubp_load_image(&self->ring, self->cfd, &good, "ok", NULL, 0));
	img = good;
	img.rsvd[0] = 1;
	EXPECT_EQ(-EINVAL, ubp_load_image(&self->ring, self->cfd, &img, "x",
					  NULL, 0));
	img = good;
	img.rsvd0 = 1;
	EXPECT_EQ(-EINVAL, ubp_load_image(&self->ring, self->cfd, &img, "x",
					  NULL, 0));
	img = good;
	img.rodata_len = 4;
	EXPECT_EQ(-EINVAL, ubp_load_image(&self->ring, self->cfd, &img, "x",
					  self->log, sizeof(self->log)));
	EXPECT_NE(NULL, strstr(self->log, "multiples of 8"));
	img = good;
	img.type = 0x01;
	EXPECT_EQ(-EINVAL, ubp_load_image(&self->ring, self->cfd, &img, "x",
					  NULL, 0));
	img = good;
	img.insn_cnt = 0;
	EXPECT_EQ(-EINVAL, ubp_load_image(&self->ring, self->cfd, &img, "x",
					  NULL, 0));
	img = good;
	img.insn_cnt = URINGBLK_PROG_MAX_INSNS + 1;
	EXPECT_EQ(-E2BIG, ubp_load_image(&self->ring, self->cfd, &img, "x",
					 NULL, 0));
	img = good;
	img.rodata_len = img.data_len = 0;	/* names data of 0 bytes */
	EXPECT_EQ(-EINVAL, ubp_load_image(&self->ring, self->cfd, &img, "x",
					  NULL, 0));
	img = good;
	img.rodata_len = 0x7ffffff8;		/* u32 sums must not wrap */
	img.data_len = 0x7ffffff8;
	img.bss_len = 0x7ffffff8;
	EXPECT_EQ(-E2BIG, ubp_load_image(&self->ring, self->cfd, &img, "x",
					 NULL, 0));
	img = good;
	img.globals = 8;			/* unreadable */
	EXPECT_EQ(-EFAULT, ubp_load_image(&self->ring, self->cfd, &img, "x",
					  NULL, 0));
	img = good;
	img.insns = 8;
	EXPECT_EQ(-EFAULT, ubp_load_image(&self->ring, self->cfd, &img, "x",
					  NULL, 0));
	/* the payload is the image struct, exactly */
	ubt_cmd_init(&cmd, &good, sizeof(good) - 8);
	cmd.flags = URINGBLK_PROG_LOAD_F_IMAGE;
	ret = ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_PROG_LOAD,
			    &cmd, NULL);
	EXPECT_EQ(-EINVAL, ret);
	/* an unknown flag next to it */
	ubt_cmd_init(&cmd, &good, sizeof(good));
	cmd.flags = URINGBLK_PROG_LOAD_F_IMAGE | 2;
	ret = ubt_uring_cmd(&self->ring, self->cfd, URINGBLK_CMD_PROG_LOAD,
			    &cmd, NULL);
	EXPECT_EQ(-EINVAL, ret);
	/* a program the validator refuses is refused with an image too */
	{
		const struct bpf_insn bad[] = { BPF_MOV64_IMM(R0, 1) };

		img = good;
		img.insns = (uintptr_t)bad;
		img.insn_cnt = 1;
		EXPECT_EQ(-EINVAL, ubp_load_image(&self->ring, self->cfd, &img,
						  "x", NULL, 0));
	}
}

TEST_HARNESS_MAIN
