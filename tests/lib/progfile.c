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
#include "bpf/globals.h"

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

/* The ld_imm64 values of a linked program, as 64-bit immediates. */
static unsigned int ldimm64s(const struct bpf_insn *insns, unsigned int cnt,
			     uint64_t *vals, unsigned int max)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i + 1 < cnt; i++) {
		if (insns[i].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		CHECK_EQ(insns[i].src_reg, 0);	/* plain: no pseudo left */
		if (n < max)
			vals[n++] = (uint32_t)insns[i].imm |
				    (uint64_t)(uint32_t)insns[i + 1].imm << 32;
		i++;
	}
	return n;
}

static bool has_value(const uint64_t *v, unsigned int n, uint64_t lo,
		      uint64_t hi)
{
	for (unsigned int i = 0; i < n; i++)
		if (v[i] >= lo && v[i] < hi)
			return true;
	return false;
}

static int read_obj(const char *dir, const char *obj, const char *prog,
		    struct uringblk_prog_obj *po)
{
	char path[512];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, obj);
	memset(log_buf, 0x7f, sizeof(log_buf));
	ret = uringblk_prog_read_obj(path, prog, po, log_buf, sizeof(log_buf));
	CHECK(memchr(log_buf, '\0', sizeof(log_buf)) != NULL);
	if (!ret)
		CHECK_STR(log_buf, "");
	return ret;
}

/*
 * Global data (uringblk_prog_read_obj()): the layout of globals.bpf.c's
 * sections, .rodata (6 bytes) + .rodata.str1.1 (4) + .rodata.cst16 (16),
 * .data (8), .bss (8 + 256), each rounded up to 8, and every ld_imm64
 * pointing into it; the image holds the initial bytes.
 */
static void test_globals(void)
{
	const uint64_t ga = URINGBLK_PROG_GLOBAL_ADDR;
	static const uint32_t table[4] = GLOBALS_TABLE;
	struct uringblk_prog_obj po, untouched;
	struct uringblk_prog_image img;
	struct uringblk_cmd cmd;
	struct bpf_insn *insns;
	unsigned int cnt, n;
	uint64_t v[64], rw_at, total;
	uint8_t *g;

	CHECK_EQ(read_obj(TEST_BPF_DIR, "globals.bpf.o", "all_sections", &po), 0);
	CHECK_STR(po.name, "all_sections");
	CHECK_EQ(po.rodata_len, 8 + 8 + 16);
	CHECK_EQ(po.data_len, 8);
	CHECK_EQ(po.bss_len, 8 + 256);
	CHECK(po.globals != NULL);
	if (!po.globals)
		return;
	g = po.globals;
	rw_at = po.rodata_len;
	total = po.rodata_len + po.data_len + po.bss_len;
	/* the initial bytes: every constant once, .data's value */
	CHECK(memmem(g, po.rodata_len, GLOBALS_WORD, sizeof(GLOBALS_WORD)));
	CHECK(memmem(g, po.rodata_len, "xyz", 4));
	CHECK(memmem(g, po.rodata_len, table, sizeof(table)));
	CHECK_EQ(*(uint64_t *)(g + rw_at), GLOBALS_DATA_INIT);
	n = ldimm64s(po.insns, po.insn_cnt, v, 64);
	CHECK(n >= 6);
	for (unsigned int i = 0; i < n; i++)
		CHECK(v[i] >= ga && v[i] < ga + total);
	/* .data is data_a: its address is the first byte after .rodata */
	CHECK(has_value(v, n, ga + rw_at, ga + rw_at + 1));
	/* .bss is used, and lies after .data */
	CHECK(has_value(v, n, ga + rw_at + po.data_len, ga + total));
	/* the string literal's address: "xyz" in the image */
	{
		uint8_t *x = memmem(g, po.rodata_len, "xyz", 4);

		CHECK(x && has_value(v, n, ga + (x - g), ga + (x - g) + 1));
	}
	/* the PROG_LOAD F_IMAGE payload */
	uringblk_prog_obj_image(&po, &img);
	CHECK_EQ(img.insns, (uintptr_t)po.insns);
	CHECK_EQ(img.insn_cnt, po.insn_cnt);
	CHECK_EQ(img.type, URINGBLK_PROG_TYPE_EBPF);
	CHECK_EQ(img.globals, (uintptr_t)po.globals);
	CHECK_EQ(img.rodata_len, po.rodata_len);
	CHECK_EQ(img.data_len, po.data_len);
	CHECK_EQ(img.bss_len, po.bss_len);
	CHECK(!img.rsvd0 && !img.rsvd[0] && !img.combine.r0);
	CHECK_EQ(uringblk_prog_load_image_cmd(&cmd, &img, "g", NULL, 0), 0);
	CHECK_EQ(cmd.flags, URINGBLK_PROG_LOAD_F_IMAGE);
	CHECK_EQ(cmd.addr, (uintptr_t)&img);
	CHECK_EQ(cmd.len, sizeof(img));
	CHECK_EQ(memcmp(cmd.prog_load.name, "g", 2), 0);
	CHECK_EQ(uringblk_prog_load_image_cmd(&cmd, NULL, "g", NULL, 0), -EINVAL);
	uringblk_prog_obj_free(&po);
	CHECK(po.insns == NULL && po.globals == NULL);
	uringblk_prog_obj_free(NULL);

	/* the old API has nowhere to put global data: refused, with a hint */
	expect_refusal("globals.bpf.o", "all_sections", -EOPNOTSUPP,
		       "uringblk_prog_read_obj()", NULL);

	/* .rodata only: bpf/count_word.bpf.c */
	CHECK_EQ(read_obj(BPF_DIR, "count_word.bpf.o", NULL, &po), 0);
	CHECK(po.rodata_len >= 6 + 24 + 3 && po.rodata_len % 8 == 0);
	CHECK(!po.data_len && !po.bss_len && po.globals);
	n = ldimm64s(po.insns, po.insn_cnt, v, 64);
	CHECK(n >= 2 && has_value(v, n, ga, ga + 1));
	uringblk_prog_obj_free(&po);

	/* .bss only: no image at all (PROG_LOAD wants globals 0 then) */
	CHECK_EQ(read_obj(TEST_BPF_DIR, "globals_big.bpf.o", "big_rw", &po), 0);
	CHECK_EQ(po.bss_len, 8192);
	CHECK(!po.rodata_len && !po.data_len && po.globals == NULL);
	uringblk_prog_obj_free(&po);
	/* big .rodata: the loader takes it, the drive's limits decide */
	CHECK_EQ(read_obj(TEST_BPF_DIR, "globals_big.bpf.o", "big_ro_data",
			  &po), 0);
	CHECK_EQ(po.rodata_len, 70000);
	uringblk_prog_obj_free(&po);

	/* no global data: nothing, as from uringblk_prog_read_file() */
	CHECK_EQ(read_obj(TEST_BPF_DIR, "globals.bpf.o", "no_globals", &po), 0);
	CHECK(!po.rodata_len && !po.data_len && !po.bss_len && !po.globals);
	CHECK_EQ(read_prog(TEST_BPF_DIR, "globals.bpf.o", "no_globals", &insns,
			   &cnt, NULL), 0);
	CHECK(cnt == po.insn_cnt && !memcmp(insns, po.insns, cnt * sizeof(*insns)));
	free(insns);
	uringblk_prog_obj_free(&po);

	/* what read_obj() still refuses; nothing handed out then */
	memset(&untouched, 0x6b, sizeof(untouched));
	po = untouched;
	CHECK_EQ(read_obj(TEST_BPF_DIR, "globals_ptr.bpf.o", NULL, &po),
		 -EOPNOTSUPP);
	CHECK(strstr(log_buf, "section .rodata holds addresses") != NULL);
	CHECK(!memcmp(&po, &untouched, sizeof(po)));
	CHECK_EQ(read_obj(TEST_BPF_DIR, "map.bpf.o", "uses_map", &po),
		 -EOPNOTSUPP);
	CHECK(strstr(log_buf, "uses map 'counts'") != NULL);
	CHECK_EQ(read_obj(TEST_BPF_DIR, "extern.bpf.o", "uses_kconfig", &po),
		 -EOPNOTSUPP);
	CHECK(strstr(log_buf, "extern 'LINUX_KERNEL_VERSION'") != NULL);
	CHECK(!memcmp(&po, &untouched, sizeof(po)));
	CHECK_EQ(uringblk_prog_read_obj(NULL, NULL, &po, NULL, 0), -EINVAL);
	CHECK_EQ(uringblk_prog_read_obj("x.o", NULL, NULL, NULL, 0), -EINVAL);
	/* global.bpf.o's four, every section kind, now load */
	CHECK_EQ(read_obj(TEST_BPF_DIR, "global.bpf.o", "uses_string", &po), 0);
	CHECK(po.rodata_len >= 21 && po.globals &&
	      memmem(po.globals, po.rodata_len, "needle in a haystack", 20));
	uringblk_prog_obj_free(&po);
	CHECK_EQ(read_obj(TEST_BPF_DIR, "global.bpf.o", "uses_bss", &po), 0);
	CHECK(po.bss_len == 8 && !po.globals);
	uringblk_prog_obj_free(&po);
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
	test_globals();
	test_not_objects();
	return test_summary("progfile");
}
