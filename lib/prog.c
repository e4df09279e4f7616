// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Program commands: PROG_LOAD, PROG_UNLOAD, PROG_LIST, PROG_ACTIVATE, EXEC
 * and EXECUTE on a handle's private ring.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "private.h"

/* PROG_LOAD: prog_load.log_len (log buffer length) is at most this. */
#define URINGBLK_PROG_LOG_MAX	4096

int uringblk_prog_load_cmd(struct uringblk_cmd *cmd,
			   const struct bpf_insn *insns, unsigned int cnt,
			   const char *name, char *log, size_t log_len)
{
	char padded[URINGBLK_PROG_NAME_LEN] = { 0 };
	size_t name_len;

	if (!insns || !cnt)
		return -EINVAL;
	/* len is a __u32 byte count; the drive refuses long ones with a log */
	if (cnt > UINT32_MAX / sizeof(*insns))
		return -E2BIG;
	name_len = name ? strlen(name) : 0;
	if (name_len > sizeof(padded))
		return -ENAMETOOLONG;
	memcpy(padded, name, name_len);

	uringblk_cmd_init(cmd, 0, (void *)insns, cnt * sizeof(*insns));
	if (log && log_len) {
		cmd->prog_load.log_addr = (__u64)(unsigned long)log;
		cmd->prog_load.log_len = log_len < URINGBLK_PROG_LOG_MAX ?
					 log_len : URINGBLK_PROG_LOG_MAX;
	}
	memcpy(cmd->prog_load.name, padded, sizeof(padded));
	return 0;
}

int uringblk_prog_load_image_cmd(struct uringblk_cmd *cmd,
				 const struct uringblk_prog_image *img,
				 const char *name, char *log, size_t log_len)
{
	int ret;

	if (!img)
		return -EINVAL;
	/* the instructions' checks; then addr/len name the image instead */
	ret = uringblk_prog_load_cmd(cmd, (const struct bpf_insn *)
				     (uintptr_t)img->insns, img->insn_cnt,
				     name, log, log_len);
	if (ret)
		return ret;
	cmd->flags = URINGBLK_PROG_LOAD_F_IMAGE;
	cmd->addr = (__u64)(uintptr_t)img;
	cmd->len = sizeof(*img);
	return 0;
}

int uringblk_prog_activate(struct uringblk_dev *dev, __u32 pind, int activate)
{
	struct uringblk_cmd cmd;
	int ret;

	uringblk__begin(dev);
	if (!dev)
		return -EINVAL;
	uringblk_cmd_init(&cmd, 0, NULL, 0);
	cmd.prog_activate.pind = pind;
	cmd.prog_activate.action = activate ? URINGBLK_PROG_ACT_ACTIVATE :
					      URINGBLK_PROG_ACT_DEACTIVATE;
	ret = uringblk_submit_cmd(dev, URINGBLK_CMD_PROG_ACTIVATE, &cmd, NULL,
				  NULL);
	return ret < 0 ? ret : 0;
}

int uringblk_prog_find(struct uringblk_dev *dev, const char *name,
		       struct uringblk_prog_info *out)
{
	struct uringblk_prog_info info[16];
	char want[URINGBLK_PROG_NAME_LEN] = { 0 };
	struct uringblk_cmd cmd;
	size_t len;
	__u32 after = 0;
	int n, i;

	uringblk__begin(dev);
	if (!dev || !name || !out)
		return -EINVAL;
	len = strlen(name);
	if (len > sizeof(want))
		return -ENAMETOOLONG;
	memcpy(want, name, len);
	for (;;) {
		uringblk_cmd_init(&cmd, 0, info, sizeof(info));
		cmd.prog_list.after_id = after;
		n = uringblk_submit_cmd(dev, URINGBLK_CMD_PROG_LIST, &cmd, NULL,
					NULL);
		if (n < 0)
			return n;
		if (n == 0)
			return -ENOENT;
		if ((unsigned int)n > ARRAY_SIZE(info) || info[n - 1].id <= after)
			return -EPROTO;
		/* names are NUL-padded, and need not be NUL-terminated */
		for (i = 0; i < n; i++) {
			if (!memcmp(info[i].name, want, sizeof(want))) {
				*out = info[i];
				return 0;
			}
		}
		after = info[n - 1].id;
	}
}

int uringblk_prog_unload(struct uringblk_dev *dev, __u32 id)
{
	struct uringblk_cmd cmd;
	int ret;

	uringblk__begin(dev);
	uringblk_cmd_init(&cmd, 0, NULL, 0);
	cmd.prog_unload.prog_id = id;
	ret = uringblk_submit_cmd(dev, URINGBLK_CMD_PROG_UNLOAD, &cmd, NULL,
				  NULL);
	return ret < 0 ? ret : 0;
}

int uringblk_prog_list(struct uringblk_dev *dev,
		       struct uringblk_prog_info *out, unsigned int max)
{
	struct uringblk_cmd cmd;
	unsigned int got = 0, n;
	__u32 after = 0;
	int ret;

	uringblk__begin(dev);
	if (!dev || (max && !out))
		return -EINVAL;
	if (max > INT_MAX)
		max = INT_MAX;
	while (got < max) {
		n = max - got < URINGBLK_MAX_PROGS ? max - got : URINGBLK_MAX_PROGS;
		uringblk_cmd_init(&cmd, 0, out + got, n * sizeof(*out));
		cmd.prog_list.after_id = after;
		ret = uringblk_submit_cmd(dev, URINGBLK_CMD_PROG_LIST, &cmd,
					  NULL, NULL);
		if (ret < 0)
			return ret;
		if (ret == 0)
			break;
		/* more than asked, or ids not increasing: not this ABI */
		if ((unsigned int)ret > n || out[got + ret - 1].id <= after)
			return -EPROTO;
		got += ret;
		after = out[got - 1].id;
	}
	return (int)got;
}

/* Reply buffer of @len bytes kept in @dev; its old contents are not kept. */
static void *exec_buf(struct uringblk_dev *dev, size_t len)
{
	void *buf;

	if (dev->exec_buf_len >= len)
		return dev->exec_buf;
	/* malloc() alignment covers the result struct's __u64 fields */
	buf = malloc(len);
	if (!buf)
		return NULL;
	free(dev->exec_buf);
	dev->exec_buf = buf;
	dev->exec_buf_len = len;
	return buf;
}

/*
 * Submit an EXEC or EXECUTE @cmd (reply not set yet) with @out_len bytes
 * of output and unpack its reply into @res and @out.
 */
static int run_cmd(struct uringblk_dev *dev, __u32 cmd_op, struct uringblk_cmd *cmd,
		   struct uringblk_exec_result *res, void *out, size_t out_len)
{
	struct uringblk_exec_result *reply;
	int ret;

	if (out_len > URINGBLK_MAX_EXEC_OUT)
		out_len = URINGBLK_MAX_EXEC_OUT;
	/* Without output the result struct is the whole reply: no copy. */
	reply = out_len ? exec_buf(dev, sizeof(*res) + out_len) : res;
	if (!reply)
		return -ENOMEM;
	/* zero: a command refused before the run leaves the reply alone */
	memset(reply, 0, sizeof(*reply));
	cmd->addr = (__u64)(unsigned long)reply;
	cmd->len = sizeof(*res) + out_len;

	ret = uringblk_submit_cmd(dev, cmd_op, cmd, NULL, NULL);
	if (reply != res)
		*res = *reply;
	if (res->out_len > out_len)
		return -EPROTO;	/* more output than the buffer holds */
	if (reply != res)
		memcpy(out, uringblk_exec_reply_out(reply), res->out_len);
	if (ret >= 0)
		return 0;
	/* completed, but r0 does not fit cqe->res: the struct has it */
	if (ret == -EOVERFLOW && !res->error &&
	    res->abort_code == URINGBLK_PROG_OK)
		return 0;
	return ret;
}

int uringblk_exec(struct uringblk_dev *dev, const struct uringblk_exec_args *a,
		  struct uringblk_exec_result *res, void *out, size_t out_len)
{
	struct uringblk_cmd cmd;

	uringblk__begin(dev);
	if (!dev || !a || !res || (out_len && !out))
		return -EINVAL;
	uringblk_exec_cmd_init(&cmd, a, NULL, 0);
	return run_cmd(dev, URINGBLK_CMD_EXEC, &cmd, res, out, out_len);
}

/* The size of 1.11's struct uringblk_exec_extents_args, the first one. */
#define EXEC_EXTENTS_ARGS_SIZE_1_11 \
	(offsetof(struct uringblk_exec_extents_args, out_len) + sizeof(size_t))

int uringblk_exec_extents_args(struct uringblk_dev *dev,
			       const struct uringblk_exec_extents_args *args,
			       struct uringblk_exec_result *res)
{
	struct uringblk_exec_extents_args ea;
	struct uringblk_cmd cmd;
	int ret;

	uringblk__begin(dev);
	ret = uringblk_args_in(args, EXEC_EXTENTS_ARGS_SIZE_1_11, &ea,
			       sizeof(ea));
	if (ret)
		return ret;
	if (ea.flags)
		return -EINVAL;
	if (!dev || !ea.exec || !res || (ea.out_len && !ea.out) ||
	    (ea.nr && !ea.ext))
		return -EINVAL;
	uringblk_exec_ext_cmd_init(&cmd, ea.exec, ea.ext, ea.nr, NULL, 0);
	return run_cmd(dev, URINGBLK_CMD_EXEC, &cmd, res, ea.out, ea.out_len);
}

/* The 1.6 entry point, kept for its callers. */
int uringblk_exec_extents(struct uringblk_dev *dev,
			  const struct uringblk_exec_args *a,
			  const struct uringblk_extent *ext, unsigned int nr,
			  struct uringblk_exec_result *res, void *out,
			  size_t out_len)
{
	const struct uringblk_exec_extents_args ea = {
		.size = sizeof(ea), .exec = a, .ext = ext, .nr = nr,
		.out = out, .out_len = out_len,
	};

	uringblk__begin(dev);
	return uringblk_exec_extents_args(dev, &ea, res);
}

/*
 * struct uringblk_execute_args grew data_len in 1.6.  This is the default
 * version (LIBURINGBLK_1.6 in the map), what programs built now link to;
 * programs built against 1.5 headers still call
 * uringblk_execute@LIBURINGBLK_1.5 (below) with the old struct, which must
 * not be read past its end.
 */
int uringblk_execute(struct uringblk_dev *dev, const struct uringblk_execute_args *a,
		     struct uringblk_exec_result *res, void *out, size_t out_len)
{
	struct uringblk_cmd cmd;

	uringblk__begin(dev);
	if (!dev || !a || !res || (out_len && !out))
		return -EINVAL;
	uringblk_execute_cmd_init(&cmd, a, NULL, 0);
	return run_cmd(dev, URINGBLK_CMD_EXECUTE, &cmd, res, out, out_len);
}

/* liburingblk 1.5's struct uringblk_execute_args: no data_len */
struct uringblk_execute_args_1_5 {
	__u32	pind;
	__u32	rsid;
	__u64	budget;
	__u64	cparam[2];
	__u64	arg2;
};

int uringblk_execute_1_5(struct uringblk_dev *dev,
			 const struct uringblk_execute_args_1_5 *a,
			 struct uringblk_exec_result *res, void *out,
			 size_t out_len);

__attribute__((visibility("default"), symver("uringblk_execute@LIBURINGBLK_1.5")))
int uringblk_execute_1_5(struct uringblk_dev *dev,
			 const struct uringblk_execute_args_1_5 *a,
			 struct uringblk_exec_result *res, void *out,
			 size_t out_len)
{
	struct uringblk_execute_args now = { 0 };

	uringblk__begin(dev);
	if (!a)
		return -EINVAL;
	_Static_assert(offsetof(struct uringblk_execute_args, data_len) ==
		       sizeof(*a), "1.5's layout is a prefix of 1.6's");
	memcpy(&now, a, sizeof(*a));
	return uringblk_execute(dev, &now, res, out, out_len);
}

static const char *const abort_names[] = {
	[URINGBLK_PROG_OK]		= "ok",
	[URINGBLK_PROG_ABORT_BUDGET]	= "budget",
	[URINGBLK_PROG_ABORT_MEM]	= "mem",
	[URINGBLK_PROG_ABORT_RANGE]	= "range",
	[URINGBLK_PROG_ABORT_ARG]	= "arg",
	[URINGBLK_PROG_ABORT_DEPTH]	= "depth",
	[URINGBLK_PROG_ABORT_IO]	= "io",
	[URINGBLK_PROG_ABORT_STOPPED]	= "stopped",
};

const char *uringblk_prog_abort_name(__u32 code)
{
	return code < ARRAY_SIZE(abort_names) ? abort_names[code] : NULL;
}

/*
 * The most one charge of the budget can be for @insns: the VM charges
 * the slots from a segment's first pc to its last at each taken backward
 * jump, call or exit (driver/sandbox/prog_vm.h, "Budget"), and a segment starts
 * at 0, at a backward jump's target or after a call.  reach[i] is the
 * last pc that forward moves from i can end a segment at.
 */
static unsigned int worst_segment(const struct bpf_insn *insns, unsigned int cnt)
{
	unsigned int *reach = calloc(cnt + 2, sizeof(*reach));
	unsigned int worst = cnt;

	if (!reach)
		return cnt;	/* the bound of any segment */
	for (unsigned int i = cnt; i-- > 0;) {
		__u8 code = insns[i].code, cls = code & 0x07;
		long t = (long)i + 1 + insns[i].off;
		unsigned int next = i + 1 < cnt ? reach[i + 1] : i;

		if (code == (BPF_LD | BPF_IMM | BPF_DW)) {
			reach[i] = i + 2 < cnt ? reach[i + 2] : i + 1;
		} else if (cls != BPF_JMP && cls != BPF_JMP32) {
			reach[i] = next;
		} else if ((code & 0xf0) == BPF_CALL && insns[i].src_reg != BPF_PSEUDO_CALL) {
			reach[i] = next;	/* a helper: not a charge point */
		} else if ((code & 0xf0) == BPF_EXIT || (code & 0xf0) == BPF_CALL) {
			reach[i] = i;	/* a call's return starts a segment */
		} else if (t <= (long)i) {	/* backward: taken ends it here */
			reach[i] = (code & 0xf0) == BPF_JA || next < i ? i : next;
		} else if (t >= (long)cnt) {
			reach[i] = next;
		} else {
			unsigned int rt = reach[t];

			reach[i] = (code & 0xf0) == BPF_JA ? rt : rt > next ? rt : next;
		}
	}
	worst = reach[0] + 1;
	for (unsigned int i = 0; i < cnt; i++) {
		__u8 code = insns[i].code, cls = code & 0x07;
		long t = (long)i + 1 + insns[i].off;
		unsigned int start = cnt;

		if ((cls == BPF_JMP || cls == BPF_JMP32) &&
		    (code & 0xf0) != BPF_EXIT && (code & 0xf0) != BPF_CALL &&
		    t <= (long)i && t >= 0)
			start = (unsigned int)t;
		else if (cls == BPF_JMP && (code & 0xf0) == BPF_CALL &&
			 insns[i].src_reg == BPF_PSEUDO_CALL && i + 1 < cnt)
			start = i + 1;	/* (the callee's entry: likewise below) */
		if (start < cnt && reach[start] + 1 - start > worst)
			worst = reach[start] + 1 - start;
		if (cls == BPF_JMP && (code & 0xf0) == BPF_CALL &&
		    insns[i].src_reg == BPF_PSEUDO_CALL &&
		    (long)i + 1 + insns[i].imm >= 0 && (long)i + 1 + insns[i].imm < (long)cnt)
			start = i + 1 + insns[i].imm;
		if (start < cnt && reach[start] + 1 - start > worst)
			worst = reach[start] + 1 - start;
	}
	free(reach);
	return worst;
}

/*
 * Budget units a byte on top of the longest segment, for the helpers'
 * work (at most 32 steps a byte at 64 a unit, map calls, a call's 128
 * steps), and units for a run's start and end (an output table, the
 * first window)
 */
#define PROG_HELPER_UNITS	8
#define PROG_BUDGET_FIXED	(1ULL << 20)

__u64 uringblk_prog_budget(const struct bpf_insn *insns, unsigned int cnt,
			   __u64 bytes)
{
	/* a segment a byte, the helpers' work, the start and the end */
	__u64 per_byte = worst_segment(insns, cnt) + PROG_HELPER_UNITS;

	if (bytes > (UINT64_MAX - PROG_BUDGET_FIXED) / per_byte)
		return UINT64_MAX;
	return per_byte * bytes + PROG_BUDGET_FIXED;
}
