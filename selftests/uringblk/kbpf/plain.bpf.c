// SPDX-License-Identifier: GPL-2.0
/*
 * A syscall program that calls no kfunc: libbpf loads it without the
 * module's BTF, and the kernel even without its JIT, so the drive's own
 * refusals are what the tests see (prog_kbpf.c needs_the_jit, kbpf_btf.sh).
 */
#include "uringblk_kbpf.h"

SEC(URINGBLK_KBPF_SEC)
int plain(struct uringblk_prog_ctx *ctx)
{
	return ctx->args[0] + 1;
}

char LICENSE[] SEC("license") = "GPL";
