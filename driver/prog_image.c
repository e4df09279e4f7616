// SPDX-License-Identifier: GPL-2.0
/*
 * PROG_LOAD with URINGBLK_PROG_LOAD_F_IMAGE: copy a program and its global
 * data (ABI 1.3, "globals" in <linux/uringblk_prog.h>) from the user's
 * struct uringblk_prog_image into one allocation.  prog.c validates and
 * stores the result as it does a plain program; exec.c gives each run the
 * .rodata in place and a fresh copy of .data and .bss.
 */
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "prog_vm.h"
#include "uringblk.h"

/* The image's fields, each refusal with its errno and a message. */
static int uringblk_prog_image_check(const struct uringblk_prog_image *img,
				     char *msg, size_t msg_size)
{
	u64 rw = (u64)img->data_len + img->bss_len;
	u64 all = rw + img->rodata_len;

	if (img->rsvd0 || img->rsvd[0] || img->rsvd[1] || img->rsvd[2]) {
		snprintf(msg, msg_size, "image reserved fields are not zero");
		return -EINVAL;
	}
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
 * uringblk_prog_image_copy() - copy a PROG_LOAD F_IMAGE program in
 * @c:		the command: addr/len name a struct uringblk_prog_image
 * @msg:	receives the reason of a refusal
 * @msg_size:	its size
 *
 * The program comes back allocated as prog.c's plain ones are (kvzalloc,
 * one reference, the name copied), not validated, with its .rodata and
 * .data image after the instructions.  May sleep.
 *
 * Return: the program, or ERR_PTR(-EINVAL, -E2BIG, -EFAULT, -ENOMEM).
 */
struct uringblk_prog *uringblk_prog_image_copy(const struct uringblk_cmd *c,
					       char *msg, size_t msg_size)
{
	struct uringblk_prog_image img;
	struct uringblk_prog *prog;
	size_t insns_len, init_len;
	int ret;

	BUILD_BUG_ON(sizeof(img) != 64);
	if (c->len != sizeof(img)) {
		snprintf(msg, msg_size, "image length %u is not %zu", c->len,
			 sizeof(img));
		return ERR_PTR(-EINVAL);
	}
	if (copy_from_user(&img, u64_to_user_ptr(c->addr), sizeof(img)))
		return ERR_PTR(-EFAULT);
	ret = uringblk_prog_image_check(&img, msg, msg_size);
	if (ret)
		return ERR_PTR(ret);

	/* bounded by the checks: at most 32 KiB + 64 KiB */
	insns_len = img.insn_cnt * sizeof(struct bpf_insn);
	init_len = (size_t)img.rodata_len + img.data_len;
	prog = kvzalloc(struct_size(prog, insns, img.insn_cnt) + init_len,
			GFP_KERNEL);
	if (!prog)
		return ERR_PTR(-ENOMEM);
	kref_init(&prog->ref);
	spin_lock_init(&prog->lock);
	prog->type = URINGBLK_PROG_TYPE_EBPF;
	prog->insn_cnt = img.insn_cnt;
	memcpy(prog->name, c->prog_load.name, URINGBLK_PROG_NAME_LEN);
	if (copy_from_user(prog->insns, u64_to_user_ptr(img.insns), insns_len))
		goto fault;
	if (init_len) {
		/* 8-byte aligned: right after the 8-byte instructions */
		u8 *g = (u8 *)&prog->insns[img.insn_cnt];

		if (copy_from_user(g, u64_to_user_ptr(img.globals), init_len))
			goto fault;
		prog->globals = g;
	}
	prog->rodata_len = img.rodata_len;
	prog->data_len = img.data_len;
	prog->bss_len = img.bss_len;
	return prog;

fault:
	kvfree(prog);
	return ERR_PTR(-EFAULT);
}
