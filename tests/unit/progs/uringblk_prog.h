/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a uringblk program includes: the ABI and helper declarations.
 * Build: clang -O2 -target bpf [-mcpu=v1|v2|v3] -I/usr/include/x86_64-linux-gnu
 * Rules: entry function in SEC("uringblk"); no global or static data
 * (string constants included: build patterns on the stack or pass them in
 * ctx->args); helper functions static __noinline are fine (bpf-to-bpf).
 */
#ifndef URINGBLK_PROG_H
#define URINGBLK_PROG_H

#include <linux/types.h>
#include "../../../include/uapi/linux/uringblk_prog.h"

#define SEC(name)	__attribute__((section(name), used))
#define __noinline	__attribute__((noinline))

static long (*uringblk_read)(__u64 off, void *dst, __u32 len) =
	(void *)URINGBLK_HELPER_READ;
static long (*uringblk_emit)(const void *src, __u32 len) =
	(void *)URINGBLK_HELPER_EMIT;
static __u64 (*uringblk_count_pattern)(__u64 off, __u64 len, const void *pat,
				       __u32 pat_len) =
	(void *)URINGBLK_HELPER_COUNT_PATTERN;
static __u64 (*uringblk_sum_u32)(__u64 off, __u64 len) =
	(void *)URINGBLK_HELPER_SUM_U32;
static long (*uringblk_histogram)(__u64 off, __u64 len, __u64 *hist) =
	(void *)URINGBLK_HELPER_HISTOGRAM;
static long (*uringblk_find)(__u64 off, __u64 len, const void *pat,
			     __u32 pat_len) =
	(void *)URINGBLK_HELPER_FIND;

#endif
