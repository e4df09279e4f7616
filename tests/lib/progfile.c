// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk_prog_read_file() on real clang-built objects: the programs of
 * bpf/, objects with calls to link (tests/lib/bpf/subprog.bpf.c) and objects
 * the drive cannot run (maps, global data, externs, kfuncs, callbacks),
 * each refusal with its errno and a log naming the culprit.
 *
 * Linked calls are checked by running the result: a small evaluator for
 * the handful of opcodes subprog.bpf.c compiles to (it fails the test on
 * anything else) computes r0 from the linked instructions alone.
 */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "private.h"
#include "test.h"

#ifndef TEST_BPF_DIR
#error "TEST_BPF_DIR: directory of the objects built from tests/lib/bpf"
#endif
#ifndef BPF_DIR
#error "BPF_DIR: directory of the objects built from bpf/"
#endif

static char log_buf[4096];

static int read_prog(const char *dir, const char *obj, const char *prog,
		     struct bpf_insn **insns, unsigned int *cnt, char *name)
{
	char path[512];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, obj);
	memset(log_buf, 0x7f, sizeof(log_buf));
	ret = uringblk_prog_read_file(path, prog, insns, cnt, name, log_buf,
				      sizeof(log_buf));
	/* the log is always a C string, empty on success */
	CHECK(memchr(log_buf, '\0', sizeof(log_buf)) != NULL);
	if (!ret)
		CHECK_STR(log_buf, "");
	return ret;
}

/* The refusal's errno, and words the log must contain. */
static void expect_refusal(const char *obj, const char *prog, int err,
			   const char *needle1, const char *needle2)
{
	struct bpf_insn *insns = (struct bpf_insn *)&insns;
	unsigned int cnt = 12345;
	int ret;

	ret = read_prog(TEST_BPF_DIR, obj, prog, &insns, &cnt, NULL);
	CHECK_EQ(ret, err);
	if (!strstr(log_buf, needle1) || (needle2 && !strstr(log_buf, needle2)))
		fprintf(stderr, "%s/%s: log \"%s\" lacks \"%s\"/\"%s\"\n", obj,
			prog ? prog : "-", log_buf, needle1,
			needle2 ? needle2 : "");
	CHECK(strstr(log_buf, needle1) != NULL);
	CHECK(!needle2 || strstr(log_buf, needle2) != NULL);
	/* nothing handed out on failure */
	CHECK(insns == (struct bpf_insn *)&insns);
	CHECK_EQ(cnt, 12345);
}

/*
 * Run linked instructions over a ctx.  Only what subprog.bpf.c uses:
 * 64-bit ALU, 64-bit loads and stores, bpf-to-bpf calls, exit.  Returns
 * r0, or sets *bad on anything else (or a wild call target).
 */
static uint64_t eval(const struct bpf_insn *insns, unsigned int cnt,
		     const struct uringblk_prog_ctx *ctx, int *bad)
{
	static uint64_t stack[8][64];
	struct { unsigned int ret; uint64_t saved[4]; } frames[8];
	uint64_t r[11] = { 0 };
	unsigned int pc = 0, depth = 0, steps = 0;

	r[1] = (uintptr_t)ctx;
	r[10] = (uintptr_t)&stack[0][64];
	while (pc < cnt && steps++ < 10000) {
		const struct bpf_insn *in = &insns[pc++];
		uint64_t src = BPF_SRC(in->code) == BPF_X ? r[in->src_reg] :
							     (uint64_t)(int64_t)in->imm;
		uint64_t *dst = &r[in->dst_reg];

		switch (in->code) {
		case BPF_ALU64 | BPF_MOV | BPF_K:
		case BPF_ALU64 | BPF_MOV | BPF_X:
			*dst = src;
			continue;
		case BPF_ALU64 | BPF_ADD | BPF_K:
		case BPF_ALU64 | BPF_ADD | BPF_X:
			*dst += src;
			continue;
		case BPF_ALU64 | BPF_MUL | BPF_K:
		case BPF_ALU64 | BPF_MUL | BPF_X:
			*dst *= src;
			continue;
		case BPF_ALU64 | BPF_OR | BPF_K:
			*dst |= src;
			continue;
		case BPF_ALU64 | BPF_LSH | BPF_K:
			*dst <<= src & 63;
			continue;
		case BPF_LDX | BPF_MEM | BPF_DW:
			memcpy(dst, (void *)(uintptr_t)(r[in->src_reg] + in->off), 8);
			continue;
		case BPF_STX | BPF_MEM | BPF_DW:
			memcpy((void *)(uintptr_t)(*dst + in->off), &r[in->src_reg], 8);
			continue;
		case BPF_JMP | BPF_CALL:
			if (in->src_reg != BPF_PSEUDO_CALL || depth == 7)
				break;
			frames[depth].ret = pc;
			memcpy(frames[depth].saved, &r[6], sizeof(frames[0].saved));
			depth++;
			r[10] = (uintptr_t)&stack[depth][64];
			pc += in->imm;
			if (pc >= cnt)
				break;
			continue;
		case BPF_JMP | BPF_EXIT:
			if (!depth)
				return r[0];
			depth--;
			pc = frames[depth].ret;
			memcpy(&r[6], frames[depth].saved, sizeof(frames[0].saved));
			r[10] = (uintptr_t)&stack[depth][64];
			continue;
		}
		fprintf(stderr, "eval: opcode 0x%02x at %u not supported\n",
			in->code, pc - 1);
		break;
	}
	*bad = 1;
	return 0;
}

static uint64_t twice(uint64_t x) { return x * 2 + 1; }
static uint64_t chain(uint64_t x) { return twice(x) * 3 + 7; }

static int calls_to(const struct bpf_insn *insns, unsigned int cnt)
{
	int n = 0;

	for (unsigned int i = 0; i < cnt; i++)
		n += insns[i].code == (BPF_JMP | BPF_CALL) &&
		     insns[i].src_reg == BPF_PSEUDO_CALL;
	return n;
}

static void test_subprog(void)
{
	struct uringblk_prog_ctx ctx = { .args = { 5, 11, 1000 } };
	struct bpf_insn *insns = NULL;
	unsigned int cnt = 0, exits = 0;
	char name[URINGBLK_PROG_NAME_LEN + 1];
	int bad = 0;
	uint64_t r0;

	/* two uringblk programs (and an xdp one): a name is needed */
	CHECK_EQ(read_prog(TEST_BPF_DIR, "subprog.bpf.o", NULL, &insns, &cnt,
			   NULL), -EINVAL);
	CHECK(strstr(log_buf, "pick one: calls just_twice") != NULL);
	CHECK_EQ(read_prog(TEST_BPF_DIR, "subprog.bpf.o", "other", &insns,
			   &cnt, NULL), -ENOENT);
	CHECK(strstr(log_buf, "no program 'other'") != NULL);

	CHECK_EQ(read_prog(TEST_BPF_DIR, "subprog.bpf.o", "calls", &insns,
			   &cnt, name), 0);
	CHECK_STR(name, "calls");
	/* calls, chain, thrice, twice, global_add: one copy each, 5 exits */
	for (unsigned int i = 0; i < cnt; i++)
		exits += insns[i].code == (BPF_JMP | BPF_EXIT);
	CHECK_EQ(exits, 5);
	CHECK_EQ(calls_to(insns, cnt), 5);
	r0 = eval(insns, cnt, &ctx, &bad);
	CHECK_EQ(bad, 0);
	CHECK_EQ(r0, chain(5) + twice(11) + (1000 + 1 + 100));
	ctx.args[0] = 1ULL << 40;
	r0 = eval(insns, cnt, &ctx, &bad);
	CHECK_EQ(r0, chain(1ULL << 40) + twice(11) + (1000 + 1 + 100));
	free(insns);

	/* only what it calls: itself and twice() */
	CHECK_EQ(read_prog(TEST_BPF_DIR, "subprog.bpf.o", "just_twice", &insns,
			   &cnt, name), 0);
	CHECK_STR(name, "just_twice");
	CHECK_EQ(calls_to(insns, cnt), 1);
	r0 = eval(insns, cnt, &ctx, &bad);
	CHECK_EQ(bad, 0);
	CHECK_EQ(r0, twice(1ULL << 40));
	free(insns);
}

/* Every program of bpf/: one per object, found without a name. */
static void test_bpf_dir(void)
{
	static const char *const progs[] = {
		"count_pattern", "grep", "histogram", "checksum", "sum_records",
	};
	char obj[64], name[URINGBLK_PROG_NAME_LEN + 1];

	for (size_t i = 0; i < ARRAY_SIZE(progs); i++) {
		struct bpf_insn *insns = NULL;
		unsigned int cnt = 0;
		int ret;

		snprintf(obj, sizeof(obj), "%s.bpf.o", progs[i]);
		ret = read_prog(BPF_DIR, obj, NULL, &insns, &cnt, name);
		if (ret)
			fprintf(stderr, "%s: %d: %s\n", obj, ret, log_buf);
		CHECK_EQ(ret, 0);
		if (ret)
			continue;
		CHECK_STR(name, progs[i]);
		CHECK(cnt > 1 && cnt <= URINGBLK_PROG_MAX_INSNS);
		/* every linked call lands inside the program */
		for (unsigned int j = 0; j < cnt; j++) {
			long long t = (long long)j + insns[j].imm + 1;

			if (insns[j].code == (BPF_JMP | BPF_CALL) &&
			    insns[j].src_reg == BPF_PSEUDO_CALL)
				CHECK(t >= 0 && t < cnt);
		}
		/* by name too, with the same result */
		{
			struct bpf_insn *again = NULL;
			unsigned int n2 = 0;

			CHECK_EQ(read_prog(BPF_DIR, obj, progs[i], &again, &n2,
					   NULL), 0);
			CHECK_EQ(n2, cnt);
			CHECK(again && !memcmp(again, insns, cnt * sizeof(*insns)));
			free(again);
		}
		free(insns);
	}
}

static void test_refusals(void)
{
	struct bpf_insn *insns = NULL;
	unsigned int cnt;

	expect_refusal("map.bpf.o", "uses_map", -EOPNOTSUPP, "uses map 'counts'",
		       "no maps");
	/* the same object's map-free program is fine */
	CHECK_EQ(read_prog(TEST_BPF_DIR, "map.bpf.o", "no_map", &insns, &cnt,
			   NULL), 0);
	free(insns);

	expect_refusal("global.bpf.o", "uses_data", -EOPNOTSUPP,
		       "variable 'data_var'", "section .data");
	expect_refusal("global.bpf.o", "uses_bss", -EOPNOTSUPP,
		       "variable 'bss_var'", "section .bss");
	expect_refusal("global.bpf.o", "uses_rodata", -EOPNOTSUPP,
		       "variable 'rodata_var'", "section .rodata");
	expect_refusal("global.bpf.o", "uses_string", -EOPNOTSUPP,
		       "string literal", "ctx->args");
	expect_refusal("extern.bpf.o", "uses_kconfig", -EOPNOTSUPP,
		       "extern 'LINUX_KERNEL_VERSION'", NULL);
	expect_refusal("extern.bpf.o", "uses_kfunc", -EOPNOTSUPP,
		       "kernel function 'bpf_rcu_read_lock'", NULL);
	expect_refusal("extern.bpf.o", "uses_callback", -EOPNOTSUPP,
		       "address of function 'step'", "callbacks");
	/* helper ids are the drive's business: handed on unchanged */
	CHECK_EQ(read_prog(TEST_BPF_DIR, "badhelper.bpf.o", NULL, &insns, &cnt,
			   NULL), 0);
	CHECK(cnt >= 2 && insns[cnt - 2].code == (BPF_JMP | BPF_CALL) &&
	      insns[cnt - 2].imm == 99);
	free(insns);

	expect_refusal("global.bpf.o", NULL, -EINVAL, "4 programs",
		       "uses_data uses_bss uses_rodata uses_string");
	expect_refusal("subprog.bpf.o", "nope", -ENOENT, "no program 'nope'",
		       "calls just_twice");
	expect_refusal("no-such-file.bpf.o", NULL, -ENOENT, "no-such-file",
		       NULL);
}

/* Not objects at all, and an object without uringblk programs. */
static void test_not_objects(void)
{
	char path[] = "/tmp/liburingblk-test-XXXXXX";
	struct bpf_insn *insns;
	unsigned int cnt;
	int fd;

	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_EQ(write(fd, "not an ELF file\n", 16), 16);
	close(fd);
	CHECK_EQ(uringblk_prog_read_file(path, NULL, &insns, &cnt, NULL,
					 log_buf, sizeof(log_buf)), -EINVAL);
	CHECK(strstr(log_buf, "cannot open as a BPF object") != NULL);
	unlink(path);

	/* a NULL or zero-size log is fine */
	CHECK_EQ(uringblk_prog_read_file("/nonexistent", NULL, &insns, &cnt,
					 NULL, NULL, 0), -ENOENT);
	CHECK_EQ(uringblk_prog_read_file(NULL, NULL, &insns, &cnt, NULL, NULL,
					 0), -EINVAL);
}

int main(void)
{
	test_subprog();
	test_bpf_dir();
	test_refusals();
	test_not_objects();
	return test_summary("progfile");
}
