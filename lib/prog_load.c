// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Loading programs: uringblk_prog_load_args(), the one entry point, and
 * the uringblk_prog_load*() conveniences, each a struct
 * uringblk_prog_load_args filled and handed to it.  The PROG_LOAD
 * payloads are built in prog.c, objects are read in progfile.c, kernel
 * BPF goes through libbpf in kbpf.c.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "private.h"

/* The size of 1.11's struct uringblk_prog_load_args, the first one. */
#define PROG_LOAD_ARGS_SIZE_1_11 \
	(offsetof(struct uringblk_prog_load_args, log_len) + sizeof(size_t))

/* Submit a PROG_LOAD payload built by uringblk_prog_load*_cmd(). */
static int prog_load_submit(struct uringblk_dev *dev, struct uringblk_cmd *cmd,
			    __u32 pind)
{
	cmd->prog_load.pind = pind;
	return uringblk_submit_cmd(dev, URINGBLK_CMD_PROG_LOAD, cmd, NULL, NULL);
}

static int load_image(struct uringblk_dev *dev,
		      const struct uringblk_prog_load_args *a,
		      const struct uringblk_prog_image *img, const char *name)
{
	struct uringblk_cmd cmd;
	int ret;

	ret = uringblk_prog_load_image_cmd(&cmd, img, name, a->log, a->log_len);
	return ret ? ret : prog_load_submit(dev, &cmd, a->pind);
}

/*
 * Instructions in a plain PROG_LOAD, which every drive takes; in an image
 * only when there is something a plain load cannot carry: global data
 * (@po) or a combine declaration.
 */
static int load_insns(struct uringblk_dev *dev,
		      const struct uringblk_prog_load_args *a,
		      const struct uringblk_prog_obj *po,
		      const struct bpf_insn *insns, __u32 cnt, const char *name)
{
	struct uringblk_prog_image img;
	struct uringblk_cmd cmd;
	int ret;

	if ((!po || (!po->rodata_len && !po->data_len && !po->bss_len)) &&
	    (!a->combine || !a->combine->r0)) {
		ret = uringblk_prog_load_cmd(&cmd, insns, cnt, name, a->log,
					     a->log_len);
		return ret ? ret : prog_load_submit(dev, &cmd, a->pind);
	}
	if (po) {
		uringblk_prog_obj_image(po, &img);
	} else {
		memset(&img, 0, sizeof(img));
		img.insns = (__u64)(uintptr_t)insns;
		img.insn_cnt = cnt;
		img.type = URINGBLK_PROG_TYPE_EBPF;
	}
	if (a->combine)
		img.combine = *a->combine;
	return load_image(dev, a, &img, name);
}

/* An object file for the interpreter, with its combine declaration. */
static int load_file(struct uringblk_dev *dev,
		     const struct uringblk_prog_load_args *a)
{
	struct uringblk_prog_load_args fa = *a;
	struct uringblk_prog_combine cb;
	struct uringblk_prog_obj po;
	int ret;

	ret = uringblk_prog_read_obj(a->path, a->prog_name, &po, a->log,
				     a->log_len);
	if (ret)
		return ret;
	ret = uringblk_prog_read_combine(a->path, po.name, &cb, a->log,
					 a->log_len);
	if (!ret) {
		/* the messages of reading are no reason of a refusal */
		if (a->log && a->log_len)
			a->log[0] = '\0';
		fa.combine = &cb;
		ret = load_insns(dev, &fa, &po, po.insns, po.insn_cnt,
				 a->name ? a->name : po.name);
	}
	uringblk_prog_obj_free(&po);
	return ret;
}

/*
 * The fields @a->from reads are set, the others 0; @a->type is one that
 * @a->from can take.  Returns 0 or -EINVAL.
 */
static int prog_load_args_valid(const struct uringblk_prog_load_args *a)
{
	bool insns = a->insns || a->insn_cnt, file = a->path || a->prog_name;
	bool kbpf = a->type == URINGBLK_PROG_TYPE_KBPF;

	if (a->flags)
		return -EINVAL;
	if (a->type && a->type != URINGBLK_PROG_TYPE_EBPF && !kbpf)
		return -EINVAL;
	switch (a->from) {
	case URINGBLK_PROG_FROM_INSNS:
		return kbpf || a->bpf_fd || a->image || a->obj || file ?
		       -EINVAL : 0;
	case URINGBLK_PROG_FROM_IMAGE:
		return kbpf || a->bpf_fd || insns || a->obj || a->combine || file ?
		       -EINVAL : 0;
	case URINGBLK_PROG_FROM_OBJ:
		return kbpf || a->bpf_fd || insns || a->image || file ? -EINVAL : 0;
	case URINGBLK_PROG_FROM_FILE:
		return a->bpf_fd || insns || a->image || a->obj || a->combine ?
		       -EINVAL : 0;
	case URINGBLK_PROG_FROM_BPF_FD:
		return (a->type && !kbpf) || insns || a->image || a->obj ||
		       a->combine || file ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

int uringblk_prog_load_args(struct uringblk_dev *dev,
			    const struct uringblk_prog_load_args *args)
{
	struct uringblk_prog_load_args a;
	int ret;

	uringblk__begin(dev);
	ret = uringblk_args_in(args, PROG_LOAD_ARGS_SIZE_1_11, &a, sizeof(a));
	if (ret)
		return ret;
	ret = prog_load_args_valid(&a);
	if (ret)
		return ret;
	if (!a.log)
		a.log_len = 0;
	if (a.log_len)
		a.log[0] = '\0';
	if (!dev)
		return -EINVAL;

	switch (a.from) {
	case URINGBLK_PROG_FROM_INSNS:
		return load_insns(dev, &a, NULL, a.insns, a.insn_cnt, a.name);
	case URINGBLK_PROG_FROM_IMAGE:
		return load_image(dev, &a, a.image, a.name);
	case URINGBLK_PROG_FROM_OBJ:
		if (!a.obj)
			return -EINVAL;
		return load_insns(dev, &a, a.obj, a.obj->insns, a.obj->insn_cnt,
				  a.name ? a.name : a.obj->name);
	case URINGBLK_PROG_FROM_FILE:
		if (!a.path)
			return -EINVAL;
		if (a.type == URINGBLK_PROG_TYPE_KBPF)
			return uringblk_kbpf_load_file(dev, a.path, a.prog_name,
						       a.name, a.pind, a.log,
						       a.log_len);
		return load_file(dev, &a);
	default: /* URINGBLK_PROG_FROM_BPF_FD */
		return uringblk_kbpf_load_fd(dev, a.bpf_fd, a.name, a.pind,
					     a.log, a.log_len);
	}
}

/* The conveniences: the 1.1 to 1.8 entry points, kept for their callers. */

int uringblk_prog_load(struct uringblk_dev *dev, const struct bpf_insn *insns,
		       unsigned int cnt, const char *name, char *log,
		       size_t log_len)
{
	uringblk__begin(dev);
	return uringblk_prog_load_slot(dev, insns, cnt, name, 0, log, log_len);
}

int uringblk_prog_load_slot(struct uringblk_dev *dev, const struct bpf_insn *insns,
			    unsigned int cnt, const char *name, __u32 pind,
			    char *log, size_t log_len)
{
	const struct uringblk_prog_load_args a = {
		.size = sizeof(a), .from = URINGBLK_PROG_FROM_INSNS,
		.insns = insns, .insn_cnt = cnt, .name = name, .pind = pind,
		.log = log, .log_len = log_len,
	};

	uringblk__begin(dev);
	return uringblk_prog_load_args(dev, &a);
}

int uringblk_prog_load_image(struct uringblk_dev *dev,
			     const struct uringblk_prog_image *img,
			     const char *name, char *log, size_t log_len)
{
	const struct uringblk_prog_load_args a = {
		.size = sizeof(a), .from = URINGBLK_PROG_FROM_IMAGE,
		.image = img, .name = name, .log = log, .log_len = log_len,
	};

	uringblk__begin(dev);
	return uringblk_prog_load_args(dev, &a);
}

int uringblk_prog_load_obj(struct uringblk_dev *dev,
			   const struct uringblk_prog_obj *po, char *log,
			   size_t log_len)
{
	uringblk__begin(dev);
	return uringblk_prog_load_obj_slot(dev, po, 0, log, log_len);
}

int uringblk_prog_load_obj_slot(struct uringblk_dev *dev,
				const struct uringblk_prog_obj *po, __u32 pind,
				char *log, size_t log_len)
{
	uringblk__begin(dev);
	return uringblk_prog_load_obj_combine(dev, po, pind, NULL, log, log_len);
}

int uringblk_prog_load_obj_combine(struct uringblk_dev *dev,
				   const struct uringblk_prog_obj *po, __u32 pind,
				   const struct uringblk_prog_combine *cb,
				   char *log, size_t log_len)
{
	const struct uringblk_prog_load_args a = {
		.size = sizeof(a), .from = URINGBLK_PROG_FROM_OBJ, .obj = po,
		.pind = pind, .combine = cb, .log = log, .log_len = log_len,
	};

	uringblk__begin(dev);
	return uringblk_prog_load_args(dev, &a);
}

int uringblk_prog_load_file(struct uringblk_dev *dev, const char *obj_path,
			    const char *prog_name, char *log, size_t log_len)
{
	const struct uringblk_prog_load_args a = {
		.size = sizeof(a), .from = URINGBLK_PROG_FROM_FILE,
		.path = obj_path, .prog_name = prog_name, .log = log,
		.log_len = log_len,
	};

	uringblk__begin(dev);
	return uringblk_prog_load_args(dev, &a);
}

int uringblk_prog_load_kbpf(struct uringblk_dev *dev, int prog_fd,
			    const char *name, __u32 pind, char *log,
			    size_t log_len)
{
	const struct uringblk_prog_load_args a = {
		.size = sizeof(a), .from = URINGBLK_PROG_FROM_BPF_FD,
		.bpf_fd = prog_fd, .name = name, .pind = pind, .log = log,
		.log_len = log_len,
	};

	uringblk__begin(dev);
	return uringblk_prog_load_args(dev, &a);
}

int uringblk_prog_load_kbpf_file(struct uringblk_dev *dev, const char *obj_path,
				 const char *prog_name, const char *name,
				 __u32 pind, char *log, size_t log_len)
{
	const struct uringblk_prog_load_args a = {
		.size = sizeof(a), .from = URINGBLK_PROG_FROM_FILE,
		.type = URINGBLK_PROG_TYPE_KBPF, .path = obj_path,
		.prog_name = prog_name, .name = name, .pind = pind, .log = log,
		.log_len = log_len,
	};

	uringblk__begin(dev);
	return uringblk_prog_load_args(dev, &a);
}
