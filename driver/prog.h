/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The program store's model calls (prog.c) with decoded arguments and
 * kernel memory, for every front end: the command device's program
 * commands (cmd_prog.c) and the NVMe Computational Programs commands
 * (nvme_cp.c).  The store's for the runs and the drive's lifetime are in
 * uringblk.h, the runs' (exec.c) in req.h.
 */
#ifndef URINGBLK_PROG_H
#define URINGBLK_PROG_H

#include <linux/types.h>

struct bpf_prog;
struct uringblk_dev;
struct uringblk_prog;
struct uringblk_prog_info;

struct uringblk_prog *uringblk_prog_alloc(u32 insn_cnt, const char *name);
void uringblk_prog_free(struct uringblk_prog *prog);
int uringblk_prog_add(struct uringblk_dev *dev, struct uringblk_prog *prog,
		      u64 pind, char *msg, size_t msg_size);
int uringblk_prog_add_interp(struct uringblk_dev *dev, struct uringblk_prog *prog,
			     u64 pind, char *msg, size_t msg_size);
int uringblk_prog_add_kbpf(struct uringblk_dev *dev, struct bpf_prog *bp,
			   const char *name, u64 pind, char *msg, size_t msg_size);
u32 uringblk_prog_list(struct uringblk_dev *dev, u64 after_id,
		       struct uringblk_prog_info *info, u32 max);
int uringblk_prog_unload(struct uringblk_dev *dev, u32 id);
int uringblk_prog_unload_pind(struct uringblk_dev *dev, u64 pind);
int uringblk_prog_activate(struct uringblk_dev *dev, u64 pind, bool activate);

/* a program loaded in pieces (nvme_cp.c): its slot reserved, then filled */
int uringblk_prog_reserve(struct uringblk_dev *dev, u64 pind);
void uringblk_prog_unreserve(struct uringblk_dev *dev, u64 pind);
int uringblk_prog_add_interp_staged(struct uringblk_dev *dev, struct uringblk_prog *prog,
				    u64 pind, char *msg, size_t msg_size);

#endif /* URINGBLK_PROG_H */
