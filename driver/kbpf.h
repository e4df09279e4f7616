/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kfuncs of kbpf.c: kernel-BPF programs call them by their BTF ids
 * (their own declarations are bpf/uringblk_kbpf.h's), no C file does.
 * Declared here, and included by kbpf.c alone, so that sparse and W=1
 * see a declaration before each global definition.
 */
#ifndef URINGBLK_KBPF_H
#define URINGBLK_KBPF_H

#include <linux/types.h>

long uringblk_kf_read(u64 off, void *dst, u32 dst__sz);
long uringblk_kf_emit(const void *src, u32 src__sz);
u64 uringblk_kf_count_pattern(u64 off, u64 len, const void *pat, u32 pat__sz);
s64 uringblk_kf_find(u64 off, u64 len, const void *pat, u32 pat__sz);
u64 uringblk_kf_sum_u32(u64 off, u64 len);
long uringblk_kf_histogram(u64 off, u64 len, u64 *hist, u32 hist__sz);
u8 *uringblk_kf_out(u32 rdwr_buf_size);
u8 *uringblk_kf_mem(u64 off, u32 rdwr_buf_size);
u8 *uringblk_kf_scratch(u32 rdwr_buf_size);
int uringblk_kf_tick(void);
void uringblk_kf_result(u64 r0);

#endif /* URINGBLK_KBPF_H */
