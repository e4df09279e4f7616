/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The program ABI (context, regions, helpers, abort codes) lives in the
 * uAPI header, the project's single contract.  Included by relative path
 * so that the same sources build in the kernel and in userspace tests
 * without extra include flags.
 */
#ifndef _URINGBLK_PROG_ABI_H
#define _URINGBLK_PROG_ABI_H

#include "../include/uapi/linux/uringblk.h"

#endif /* _URINGBLK_PROG_ABI_H */
