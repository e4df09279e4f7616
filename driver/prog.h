/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The programs' model calls with decoded arguments and kernel memory, for
 * front ends other than the command device's gate (the NVMe Computational
 * Programs commands, nvme_cp.c and nvme_cp_io.c): the store's (prog.c).  The
 * rest is in uringblk.h, the run's (exec.c) in req.h.
 */
#ifndef URINGBLK_PROG_H
#define URINGBLK_PROG_H

#include <linux/types.h>

struct uringblk_dev;
struct uringblk_prog;

struct uringblk_prog *uringblk_prog_alloc(u32 insn_cnt, const char *name);
void uringblk_prog_free(struct uringblk_prog *prog);
int uringblk_prog_add_interp(struct uringblk_dev *dev, struct uringblk_prog *prog,
			     u64 pind, char *msg, size_t msg_size);
int uringblk_prog_add_interp_staged(struct uringblk_dev *dev, struct uringblk_prog *prog,
				    u64 pind, char *msg, size_t msg_size);
int uringblk_prog_add_staged(struct uringblk_dev *dev, struct uringblk_prog *prog,
			     u64 pind, char *msg, size_t msg_size);
int uringblk_prog_unload_pind(struct uringblk_dev *dev, u64 pind);

/*
 * nvme_cp.c: every other load claims its slot (0: the lowest free one,
 * resolved) against the staged NVMe loads, holding nvme_cp_mutex until
 * uringblk_nvme_cp_release().  Return: 0 (claimed), or Program In Use
 * (not claimed).
 */
int uringblk_nvme_cp_claim(struct uringblk_dev *dev, u64 *pind);
void uringblk_nvme_cp_release(void);
int uringblk_prog_pind_check(struct uringblk_dev *dev, u64 pind);

#endif /* URINGBLK_PROG_H */
