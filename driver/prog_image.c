// SPDX-License-Identifier: GPL-2.0
/*
 * PROG_LOAD with URINGBLK_PROG_LOAD_F_IMAGE: check a program image's
 * header (its global data, ABI 1.3, "globals" in <linux/uringblk_prog.h>,
 * and its combine declaration, ABI 1.5) and allocate the program and its
 * global data as one; the front end (cmd_prog.c) copies them in, prog.c
 * validates and stores the result as it does a plain program; exec.c
 * gives each run the .rodata in place and a fresh copy of .data and .bss.
 */
#include <linux/overflow.h>
#include <linux/slab.h>

#include "compat.h"
#include "sandbox/prog_vm.h"
#include "uringblk.h"

/* Longest fixed overlap a program may declare (combine.overlap). */
#define URINGBLK_COMBINE_MAX_OVERLAP	(64U << 10)

/*
 * How the program's results combine (uringblk_prog.h, ABI 1.5): the drive
 * only keeps and reports the declaration (the host splits and combines),
 * but it refuses one the host could not follow, saying why.
 */
static int uringblk_combine_check(const struct uringblk_prog_combine *cb,
				  char *msg, size_t msg_size)
{
	const char *why = NULL;

	if (cb->rsvd)
		why = "combine.rsvd is not zero";
	else if (cb->r0 == URINGBLK_COMBINE_NONE)
		why = cb->out || cb->overlap_arg || cb->align_arg || cb->out_len ||
		      cb->overlap ? "combine.r0 is none (no declaration) but other combine fields are set" :
		      NULL;
	else if (cb->r0 > URINGBLK_COMBINE_NONZERO)
		why = "combine.r0 is not a rule (1 sum, 2 min, 3 max, 4 nonzero)";
	else if (cb->out > URINGBLK_COMBINE_MAX)
		why = "combine.out is not a rule (0 none, 1 sum, 2 min, 3 max)";
	else if ((cb->out == URINGBLK_COMBINE_NONE) != !cb->out_len)
		why = "combine.out_len must be 0 exactly when combine.out is none";
	else if (cb->out_len % 8 || cb->out_len > URINGBLK_MAX_EXEC_OUT)
		why = "combine.out_len is not a multiple of 8 up to the largest EXEC output";
	else if (cb->r0 == URINGBLK_COMBINE_NONZERO && !cb->out)
		why = "combine.r0 nonzero counts the non-zero words of the combined output: combine.out must be a rule";
	else if (cb->overlap_arg > 3 || cb->align_arg > 3)
		why = "combine.overlap_arg and align_arg name args[0..2]: 0 or 1..3";
	else if (cb->overlap_arg && cb->overlap)
		why = "combine.overlap_arg and combine.overlap exclude each other";
	else if (cb->overlap > URINGBLK_COMBINE_MAX_OVERLAP)
		why = "combine.overlap is above 65536 bytes";
	else if ((cb->overlap_arg || cb->overlap) &&
		 (cb->r0 != URINGBLK_COMBINE_SUM ||
		  (cb->out != URINGBLK_COMBINE_NONE && cb->out != URINGBLK_COMBINE_SUM)))
		why = "overlapping pieces combine by sum only (the matches of the overlaps are taken away)";
	if (!why)
		return 0;
	snprintf(msg, msg_size, "%s (r0 %u, out %u, out_len %u, overlap_arg %u, overlap %u, align_arg %u)",
		 why, cb->r0, cb->out, cb->out_len, cb->overlap_arg, cb->overlap,
		 cb->align_arg);
	return -EINVAL;
}

/* The image's fields, each refusal with its errno and a message. */
static int uringblk_prog_image_check(const struct uringblk_prog_image *img,
				     char *msg, size_t msg_size)
{
	u64 rw = (u64)img->data_len + img->bss_len;
	u64 all = rw + img->rodata_len;

	if (img->rsvd0 || img->rsvd[0]) {
		snprintf(msg, msg_size, "image reserved fields are not zero");
		return -EINVAL;
	}
	if (uringblk_combine_check(&img->combine, msg, msg_size))
		return -EINVAL;
	if (img->type && img->type != URINGBLK_PROG_TYPE_EBPF) {
		snprintf(msg, msg_size, "image type %#x is not eBPF (%#x)",
			 img->type, URINGBLK_PROG_TYPE_EBPF);
		return -EINVAL;
	}
	if (!img->insn_cnt) {
		snprintf(msg, msg_size, "image has no instructions");
		return -EINVAL;
	}
	if (img->insn_cnt > URINGBLK_PROG_MAX_INSNS) {
		snprintf(msg, msg_size, "program has %u instructions, the limit is %u",
			 img->insn_cnt, URINGBLK_PROG_MAX_INSNS);
		return -E2BIG;
	}
	if ((img->rodata_len | img->data_len | img->bss_len) % 8) {
		snprintf(msg, msg_size,
			 "global data lengths %u/%u/%u are not multiples of 8",
			 img->rodata_len, img->data_len, img->bss_len);
		return -EINVAL;
	}
	if (!img->rodata_len && !img->data_len && img->globals) {
		snprintf(msg, msg_size, "image names global data of 0 bytes");
		return -EINVAL;
	}
	if (rw > URINGBLK_MAX_RW_GLOBALS) {
		snprintf(msg, msg_size,
			 "%llu bytes of writable global data, the limit is %u",
			 rw, URINGBLK_MAX_RW_GLOBALS);
		return -E2BIG;
	}
	if (all > URINGBLK_MAX_GLOBALS) {
		snprintf(msg, msg_size, "%llu bytes of global data, the limit is %u",
			 all, URINGBLK_MAX_GLOBALS);
		return -E2BIG;
	}
	return 0;
}

/**
 * uringblk_prog_image_alloc() - check a PROG_LOAD F_IMAGE header, allocate
 * @img:	the struct uringblk_prog_image the front end copied in
 * @name:	the program's name (URINGBLK_PROG_NAME_LEN bytes)
 * @msg:	receives the reason of a refusal
 * @msg_size:	its size
 *
 * The program comes back allocated as prog.c's plain ones are (kvzalloc,
 * one reference, the name copied), with room for @img->insn_cnt
 * instructions at ->insns and, when the image has any, its .rodata and
 * .data at ->globals (8-byte aligned, right after the instructions): the
 * front end copies them from @img->insns and @img->globals, then
 * prog.c validates it.  May sleep.
 *
 * Return: the program, or ERR_PTR(-EINVAL, -E2BIG, -ENOMEM).
 */
struct uringblk_prog *uringblk_prog_image_alloc(const struct uringblk_prog_image *img,
						const char *name, char *msg,
						size_t msg_size)
{
	struct uringblk_prog *prog;
	size_t init_len;
	int ret;

	BUILD_BUG_ON(sizeof(*img) != 64);
	ret = uringblk_prog_image_check(img, msg, msg_size);
	if (ret)
		return ERR_PTR(ret);

	/* bounded by the checks: at most 32 KiB + 64 KiB */
	init_len = (size_t)img->rodata_len + img->data_len;
	prog = kvzalloc(struct_size(prog, insns, img->insn_cnt) + init_len,
			GFP_KERNEL_ACCOUNT);
	if (!prog)
		return ERR_PTR(-ENOMEM);
	kref_init(&prog->ref);
	spin_lock_init(&prog->lock);
	prog->insn_cnt = img->insn_cnt;
	memcpy(prog->name, name, URINGBLK_PROG_NAME_LEN);
	if (init_len)
		prog->globals = (u8 *)&prog->insns[img->insn_cnt];
	prog->rodata_len = img->rodata_len;
	prog->data_len = img->data_len;
	prog->bss_len = img->bss_len;
	prog->combine = img->combine;
	return prog;
}
