// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk_prog_load_args() and the uringblk_prog_load*() calls that wrap
 * it, without a drive: the test is linked with
 * --wrap=uringblk_submit_cmd, so every PROG_LOAD the library submits is
 * caught here, its payload (and image, or kernel-BPF fd block) copied,
 * and answered with a program id.  Checked: the size rule of the options
 * struct (NULL and a short size -EINVAL, a larger struct with a non-zero
 * tail -E2BIG, a larger one with a zero tail taken), the fields each
 * source may not set, and that each old entry point submits the command
 * it always did.
 */
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include "private.h"
#include "test.h"

#ifndef TEST_BPF_DIR
#error "TEST_BPF_DIR: directory of the objects built from tests/lib/bpf"
#endif
#ifndef BPF_DIR
#error "BPF_DIR: directory of the objects built from bpf/"
#endif

#define FAKE_ID	7

/* The last command submitted, and what its addr pointed at. */
static struct {
	unsigned int			calls;
	__u32				op;
	struct uringblk_cmd		cmd;
	struct uringblk_prog_image	img;
	struct uringblk_prog_kbpf	kbpf;
} sub;

int __wrap_uringblk_submit_cmd(struct uringblk_dev *dev, __u32 cmd_op,
			       const struct uringblk_cmd *cmd, __s32 *res,
			       __u64 *res2);
int __wrap_uringblk_submit_cmd(struct uringblk_dev *dev, __u32 cmd_op,
			       const struct uringblk_cmd *cmd, __s32 *res,
			       __u64 *res2)
{
	(void)dev;
	sub.calls++;
	sub.op = cmd_op;
	sub.cmd = *cmd;
	memset(&sub.img, 0, sizeof(sub.img));
	memset(&sub.kbpf, 0, sizeof(sub.kbpf));
	if (cmd->flags & URINGBLK_PROG_LOAD_F_IMAGE)
		memcpy(&sub.img, (void *)(uintptr_t)cmd->addr, sizeof(sub.img));
	if (cmd->flags & URINGBLK_PROG_LOAD_F_BPF_FD)
		memcpy(&sub.kbpf, (void *)(uintptr_t)cmd->addr, sizeof(sub.kbpf));
	if (res)
		*res = FAKE_ID;
	if (res2)
		*res2 = 0;
	return FAKE_ID;
}

static const struct bpf_insn ret1[2] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 1 },
	{ .code = BPF_JMP | BPF_EXIT },
};

static struct uringblk_dev *fake_dev(void)
{
	struct uringblk_dev *dev = NULL;
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	CHECK(fd >= 0);
	CHECK_EQ(uringblk_dev_new(0, fd, NULL, false, &dev), 0);
	return dev;
}

static void reset(void)
{
	memset(&sub, 0, sizeof(sub));
}

/* The name PROG_LOAD carried, as a C string. */
static const char *sub_name(void)
{
	static char name[URINGBLK_PROG_NAME_LEN + 1];

	memcpy(name, sub.cmd.prog_load.name, URINGBLK_PROG_NAME_LEN);
	name[URINGBLK_PROG_NAME_LEN] = '\0';
	return name;
}

/* A struct one field longer than this library's, as a newer caller's. */
struct grown_args {
	struct uringblk_prog_load_args	a;
	__u64				newer;
};

static void test_size_rule(struct uringblk_dev *dev)
{
	struct uringblk_prog_load_args a = {
		.size = sizeof(a), .from = URINGBLK_PROG_FROM_INSNS,
		.insns = ret1, .insn_cnt = 2,
	};
	struct grown_args g = { .a = a };
	char log[32];

	reset();
	CHECK_EQ(uringblk_prog_load_args(dev, NULL), -EINVAL);
	a.size = 0;
	CHECK_EQ(uringblk_prog_load_args(dev, &a), -EINVAL);
	a.size = offsetof(struct uringblk_prog_load_args, log_len);
	CHECK_EQ(uringblk_prog_load_args(dev, &a), -EINVAL);
	/* a log named by a refused struct is not trusted, so not written */
	memset(log, 'x', sizeof(log));
	a.log = log;
	a.log_len = sizeof(log);
	CHECK_EQ(uringblk_prog_load_args(dev, &a), -EINVAL);
	CHECK_EQ(log[0], 'x');
	CHECK_EQ(sub.calls, 0);

	/* a newer caller's option this library does not know: refused */
	g.a.size = sizeof(g);
	g.newer = 1;
	CHECK_EQ(uringblk_prog_load_args(dev, &g.a), -E2BIG);
	CHECK_EQ(sub.calls, 0);
	/* ... unless it is 0, its default */
	g.newer = 0;
	CHECK_EQ(uringblk_prog_load_args(dev, &g.a), FAKE_ID);
	CHECK_EQ(sub.calls, 1);

	a.size = sizeof(a);
	a.log = NULL;
	a.log_len = 0;
	a.flags = 1;
	CHECK_EQ(uringblk_prog_load_args(dev, &a), -EINVAL);
	a.flags = 0;
	CHECK_EQ(uringblk_prog_load_args(NULL, &a), -EINVAL);
	CHECK_EQ(sub.calls, 1);
}

/* What each source may not be given (-EINVAL, nothing submitted). */
static void test_refused(struct uringblk_dev *dev)
{
	const struct uringblk_prog_combine cb = { .r0 = 1 };
	struct uringblk_prog_image img = { 0 };
	struct uringblk_prog_obj po = { 0 };
	const struct uringblk_prog_load_args base = { .size = sizeof(base) };
	struct uringblk_prog_load_args a;
	char log[32];

	reset();
	a = base;	/* from 0: none */
	a.insns = ret1;
	a.insn_cnt = 2;
	CHECK_EQ(uringblk_prog_load_args(dev, &a), -EINVAL);
	a.from = 99;
	CHECK_EQ(uringblk_prog_load_args(dev, &a), -EINVAL);
	a.from = URINGBLK_PROG_FROM_INSNS;
	a.type = URINGBLK_PROG_TYPE_KBPF;	/* the interpreter's only */
	CHECK_EQ(uringblk_prog_load_args(dev, &a), -EINVAL);
	a.type = URINGBLK_PROG_TYPE_DEVICE + 1;	/* no such engine */
	CHECK_EQ(uringblk_prog_load_args(dev, &a), -EINVAL);
	a.type = 0;
	a.path = "x.o";				/* another source's field */
	CHECK_EQ(uringblk_prog_load_args(dev, &a), -EINVAL);

	a = base;
	a.from = URINGBLK_PROG_FROM_IMAGE;
	a.image = &img;
	a.combine = &cb;	/* the image carries its own */
	CHECK_EQ(uringblk_prog_load_args(dev, &a), -EINVAL);

	a = base;
	a.from = URINGBLK_PROG_FROM_OBJ;
	a.obj = &po;
	a.image = &img;
	CHECK_EQ(uringblk_prog_load_args(dev, &a), -EINVAL);

	a = base;
	a.from = URINGBLK_PROG_FROM_FILE;
	a.path = "x.o";
	a.combine = &cb;	/* read from the file */
	CHECK_EQ(uringblk_prog_load_args(dev, &a), -EINVAL);

	a = base;
	a.from = URINGBLK_PROG_FROM_BPF_FD;
	a.bpf_fd = 3;
	a.type = URINGBLK_PROG_TYPE_EBPF;
	CHECK_EQ(uringblk_prog_load_args(dev, &a), -EINVAL);
	a.type = 0;
	a.insn_cnt = 2;
	CHECK_EQ(uringblk_prog_load_args(dev, &a), -EINVAL);
	CHECK_EQ(sub.calls, 0);

	/* refused by the loaders, after the log is cleared */
	memset(log, 'x', sizeof(log));
	a = base;
	a.log = log;
	a.log_len = sizeof(log);
	a.from = URINGBLK_PROG_FROM_OBJ;	/* no object */
	CHECK_EQ(uringblk_prog_load_args(dev, &a), -EINVAL);
	CHECK_STR(log, "");
	a.from = URINGBLK_PROG_FROM_FILE;	/* no path */
	CHECK_EQ(uringblk_prog_load_args(dev, &a), -EINVAL);
	a.from = URINGBLK_PROG_FROM_BPF_FD;
	a.bpf_fd = -1;
	CHECK_EQ(uringblk_prog_load_args(dev, &a), -EINVAL);
	a.from = URINGBLK_PROG_FROM_INSNS;	/* no instructions */
	a.bpf_fd = 0;
	CHECK_EQ(uringblk_prog_load_args(dev, &a), -EINVAL);
	a.insns = ret1;
	a.insn_cnt = 2;
	a.name = "a name that is longer than 32 bytes";
	CHECK_EQ(uringblk_prog_load_args(dev, &a), -ENAMETOOLONG);
	CHECK_EQ(sub.calls, 0);
}

/* Each source's PROG_LOAD, through the new call and the old one. */
static void test_payloads(struct uringblk_dev *dev)
{
	const struct uringblk_prog_combine cb = { .r0 = URINGBLK_COMBINE_SUM };
	struct uringblk_prog_load_args a = {
		.size = sizeof(a), .from = URINGBLK_PROG_FROM_INSNS,
		.insns = ret1, .insn_cnt = 2, .name = "r1", .pind = 3,
	};
	struct uringblk_prog_image img = {
		.insns = (__u64)(uintptr_t)ret1, .insn_cnt = 2,
	};
	char log[64];

	reset();
	CHECK_EQ(uringblk_prog_load_args(dev, &a), FAKE_ID);
	CHECK_EQ(sub.op, URINGBLK_CMD_PROG_LOAD);
	CHECK_EQ(sub.cmd.flags, 0);
	CHECK_EQ(sub.cmd.addr, (__u64)(uintptr_t)ret1);
	CHECK_EQ(sub.cmd.len, sizeof(ret1));
	CHECK_EQ(sub.cmd.prog_load.pind, 3);
	CHECK_STR(sub_name(), "r1");
	CHECK_EQ(sub.cmd.prog_load.log_len, 0);

	/* the old calls, the same command */
	reset();
	memset(log, 'x', sizeof(log));
	CHECK_EQ(uringblk_prog_load_slot(dev, ret1, 2, "r1", 3, log,
					 sizeof(log)), FAKE_ID);
	CHECK_EQ(sub.cmd.addr, (__u64)(uintptr_t)ret1);
	CHECK_EQ(sub.cmd.prog_load.pind, 3);
	CHECK_EQ(sub.cmd.prog_load.log_addr, (__u64)(uintptr_t)log);
	CHECK_EQ(sub.cmd.prog_load.log_len, sizeof(log));
	CHECK_STR(log, "");
	CHECK_EQ(uringblk_prog_load(dev, ret1, 2, NULL, NULL, 0), FAKE_ID);
	CHECK_EQ(sub.cmd.prog_load.pind, 0);
	CHECK_STR(sub_name(), "");
	CHECK_EQ(sub.calls, 2);

	/* instructions with a combine declaration go in an image */
	reset();
	a.combine = &cb;
	CHECK_EQ(uringblk_prog_load_args(dev, &a), FAKE_ID);
	CHECK_EQ(sub.cmd.flags, URINGBLK_PROG_LOAD_F_IMAGE);
	CHECK_EQ(sub.img.insns, (__u64)(uintptr_t)ret1);
	CHECK_EQ(sub.img.insn_cnt, 2);
	CHECK_EQ(sub.img.type, URINGBLK_PROG_TYPE_EBPF);
	CHECK_EQ(sub.img.combine.r0, URINGBLK_COMBINE_SUM);
	CHECK_EQ(sub.cmd.prog_load.pind, 3);

	/* an image */
	reset();
	CHECK_EQ(uringblk_prog_load_image(dev, &img, "img", NULL, 0), FAKE_ID);
	CHECK_EQ(sub.cmd.flags, URINGBLK_PROG_LOAD_F_IMAGE);
	CHECK_EQ(sub.img.insns, (__u64)(uintptr_t)ret1);
	CHECK_STR(sub_name(), "img");
	CHECK_EQ(uringblk_prog_load_image(dev, NULL, "img", NULL, 0), -EINVAL);
	CHECK_EQ(sub.calls, 1);

	/* a kernel BPF program's fd */
	reset();
	CHECK_EQ(uringblk_prog_load_kbpf(dev, 5, "k", 2, NULL, 0), FAKE_ID);
	CHECK_EQ(sub.cmd.flags, URINGBLK_PROG_LOAD_F_BPF_FD);
	CHECK_EQ(sub.cmd.len, sizeof(struct uringblk_prog_kbpf));
	CHECK_EQ(sub.kbpf.prog_fd, 5);
	CHECK_EQ(sub.kbpf.type, URINGBLK_PROG_TYPE_KBPF);
	CHECK_EQ(sub.cmd.prog_load.pind, 2);
	CHECK_STR(sub_name(), "k");
	CHECK_EQ(uringblk_prog_load_kbpf(dev, -1, "k", 2, NULL, 0), -EINVAL);
	CHECK_EQ(uringblk_prog_load_kbpf_file(dev, NULL, NULL, NULL, 0, NULL, 0),
		 -EINVAL);
	CHECK_EQ(uringblk_prog_load_kbpf_file(dev, "x.o", NULL,
					      "a name that is longer than 32 bytes",
					      0, NULL, 0), -ENAMETOOLONG);
	CHECK_EQ(sub.calls, 1);
}

/* Objects and files: with and without global data and declarations. */
static void test_objects(struct uringblk_dev *dev)
{
	const char *globals = TEST_BPF_DIR "/globals.bpf.o";
	const char *count = BPF_DIR "/count_pattern.bpf.o";
	struct uringblk_prog_load_args a = {
		.size = sizeof(a), .from = URINGBLK_PROG_FROM_FILE,
	};
	struct uringblk_prog_obj po;
	char log[256];

	/* no global data, no declaration: a plain PROG_LOAD */
	reset();
	CHECK_EQ(uringblk_prog_read_obj(globals, "no_globals", &po, NULL, 0), 0);
	CHECK_EQ(uringblk_prog_load_obj(dev, &po, NULL, 0), FAKE_ID);
	CHECK_EQ(sub.cmd.flags, 0);
	CHECK_EQ(sub.cmd.addr, (__u64)(uintptr_t)po.insns);
	CHECK_STR(sub_name(), "no_globals");
	CHECK_EQ(uringblk_prog_load_obj_slot(dev, &po, 4, NULL, 0), FAKE_ID);
	CHECK_EQ(sub.cmd.prog_load.pind, 4);
	a.from = URINGBLK_PROG_FROM_OBJ;
	a.obj = &po;
	a.name = "renamed";
	CHECK_EQ(uringblk_prog_load_args(dev, &a), FAKE_ID);
	CHECK_STR(sub_name(), "renamed");
	CHECK_EQ(sub.cmd.flags, 0);
	uringblk_prog_obj_free(&po);
	CHECK_EQ(uringblk_prog_load_obj(dev, NULL, NULL, 0), -EINVAL);
	CHECK_EQ(sub.calls, 3);

	/* global data: F_IMAGE */
	reset();
	CHECK_EQ(uringblk_prog_read_obj(globals, "all_sections", &po, NULL, 0), 0);
	CHECK_EQ(uringblk_prog_load_obj_combine(dev, &po, 0, NULL, NULL, 0),
		 FAKE_ID);
	CHECK_EQ(sub.cmd.flags, URINGBLK_PROG_LOAD_F_IMAGE);
	CHECK_EQ(sub.img.insns, (__u64)(uintptr_t)po.insns);
	CHECK_EQ(sub.img.rodata_len, po.rodata_len);
	CHECK_EQ(sub.img.data_len, po.data_len);
	CHECK_EQ(sub.img.bss_len, po.bss_len);
	CHECK_STR(sub_name(), "all_sections");
	uringblk_prog_obj_free(&po);

	/* a file: read, its declaration read, loaded under its function's name */
	reset();
	memset(log, 'x', sizeof(log));
	CHECK_EQ(uringblk_prog_load_file(dev, count, NULL, log, sizeof(log)),
		 FAKE_ID);
	CHECK_STR(log, "");
	CHECK_EQ(sub.cmd.flags, URINGBLK_PROG_LOAD_F_IMAGE);
	CHECK(sub.img.combine.r0 != 0);
	CHECK_STR(sub_name(), "count_pattern");
	CHECK_EQ(sub.cmd.prog_load.pind, 0);
	a = (struct uringblk_prog_load_args){
		.size = sizeof(a), .from = URINGBLK_PROG_FROM_FILE,
		.path = count, .name = "cp", .pind = 9,
	};
	CHECK_EQ(uringblk_prog_load_args(dev, &a), FAKE_ID);
	CHECK_STR(sub_name(), "cp");
	CHECK_EQ(sub.cmd.prog_load.pind, 9);
	CHECK_EQ(sub.calls, 2);

	/* a file the library refuses: its reason, nothing submitted */
	reset();
	CHECK_EQ(uringblk_prog_load_file(dev, TEST_BPF_DIR "/map.bpf.o", "uses_map",
					 log, sizeof(log)), -EOPNOTSUPP);
	CHECK(log[0] != '\0');
	CHECK_EQ(uringblk_prog_load_file(dev, "/nonexistent.o", NULL, NULL, 0),
		 -ENOENT);
	CHECK_EQ(uringblk_prog_load_file(NULL, count, NULL, NULL, 0), -EINVAL);
	CHECK_EQ(sub.calls, 0);
}

int main(void)
{
	struct uringblk_dev *dev = fake_dev();

	if (dev) {
		test_size_rule(dev);
		test_refused(dev);
		test_payloads(dev);
		test_objects(dev);
		uringblk_close(dev);
	}
	return test_summary("prog_load");
}
