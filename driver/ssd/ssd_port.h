/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel facilities the SSD model (driver/ssd/ssd_*.c) uses, so the
 * same sources build into the module and natively (tests/unit/ssdtest.c,
 * tools/ssdsim): fixed-width types, allocation at init only, 64-bit
 * division (div_u64() in the kernel: 32-bit kernels have no 64-bit
 * divide), u64 min/max, overflow-checked multiplication and snprintf for messages.
 * Nothing else from libc or the kernel may be used by those files.
 */
#ifndef _URINGBLK_SSD_PORT_H
#define _URINGBLK_SSD_PORT_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/math64.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/mm.h>

/* may sleep: only ssd_init() allocates, in process context */
static inline void *ssd_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

static inline void ssd_free(void *p)
{
	kvfree(p);
}

static inline u64 ssd_div(u64 a, u32 b)
{
	return div_u64(a, b);
}

static inline u64 ssd_div64(u64 a, u64 b)
{
	return div64_u64(a, b);
}

#define ssd_mul_overflow(a, b, d)	check_mul_overflow(a, b, d)

#else /* !__KERNEL__ */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#ifndef U32_MAX
#define U32_MAX		((u32)~0U)
#endif
#ifndef U64_MAX
#define U64_MAX		((u64)~0ULL)
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef BIT
#define BIT(n)		(1UL << (n))
#endif
#ifndef __always_unused
#define __always_unused	__attribute__((__unused__))
#endif

static inline void *ssd_zalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

static inline void ssd_free(void *p)
{
	free(p);
}

static inline u64 ssd_div(u64 a, u32 b)
{
	return a / b;
}

static inline u64 ssd_div64(u64 a, u64 b)
{
	return a / b;
}

#define ssd_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)

#endif /* __KERNEL__ */

/* model times and counts: u64 in both builds */
static inline u64 ssd_max(u64 a, u64 b)
{
	return a > b ? a : b;
}

static inline u64 ssd_min(u64 a, u64 b)
{
	return a < b ? a : b;
}

#endif /* _URINGBLK_SSD_PORT_H */
