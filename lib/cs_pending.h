/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * TEMPORARY: the liburingblk calls of the computational storage model as
 * announced for the `slm` and `slots` branches, declared here until they
 * are merged (then this file goes).
 */
#ifndef LIBURINGBLK_CS_PENDING_H
#define LIBURINGBLK_CS_PENDING_H
struct uringblk_execute_args {
	__u32	pind;
	__u32	rsid;
	__u64	budget;
	__u64	cparam[2];
	__u64	arg2;
};
int uringblk_prog_activate(struct uringblk_dev *dev, __u32 pind, int activate);
int uringblk_execute(struct uringblk_dev *dev,
		     const struct uringblk_execute_args *a,
		     struct uringblk_exec_result *res, void *out,
		     size_t out_len);
int uringblk_prog_find(struct uringblk_dev *dev, const char *name,
		       struct uringblk_prog_info *out);
#endif
