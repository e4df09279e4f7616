// SPDX-License-Identifier: GPL-2.0
/*
 * freplace (BPF_PROG_TYPE_EXT) against the drive (prog_kbpf.c
 * freplace_refused):
 *   extendable: a syscall program with a global function, which an
 *		extension can replace after the drive's checks: refused
 *   repl_global: the extension of "extendable": it would run without the
 *		drive's checks (its own loop is never ticked)
 *   repl_main:	an extension of a program's main function (any program the
 *		drive takes): the kernel must refuse to attach it
 */
#include <linux/bpf.h>
#include "uringblk_kbpf.h"

__noinline int extendable(__u64 x)
{
	return x + 1;
}

SEC(URINGBLK_KBPF_SEC)
int extendable_main(struct uringblk_prog_ctx *ctx)
{
	return extendable(ctx->args[0]);
}

SEC("freplace")
int repl_global(__u64 x)
{
	return 0x5eed;
}

SEC("freplace")
int repl_main(struct uringblk_prog_ctx *ctx)
{
	return 0x5eed;
}

char LICENSE[] SEC("license") = "GPL";
