// SPDX-License-Identifier: GPL-2.0
/* A kfunc the drive does not have: libbpf cannot load it (prog_kbpf.c). */
#include "uringblk_kbpf.h"

extern long uringblk_kf_no_such(__u64 off) __ksym;

SEC(URINGBLK_KBPF_SEC)
int missing(struct uringblk_prog_ctx *ctx)
{
	return uringblk_kf_no_such(0);
}

char LICENSE[] SEC("license") = "GPL";
