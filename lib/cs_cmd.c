// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * What the SNIA layer needs of the program commands beyond liburingblk's
 * calls: the whole program list in one go, a lookup by slot, and loading
 * an object file (global data included) into a chosen slot.
 */
#include <errno.h>
#include <stdlib.h>

#include "cs_private.h"

/* The drive's programs: downloaded slots and device-defined ones. */
#define CS_MAX_LISTED	(URINGBLK_MAX_PROGS + 256)

int cs_prog_list(struct uringblk_dev *dev, struct uringblk_prog_info **out)
{
	struct uringblk_prog_info *p;
	int n;

	p = calloc(CS_MAX_LISTED, sizeof(*p));
	if (!p)
		return -ENOMEM;
	n = uringblk_prog_list(dev, p, CS_MAX_LISTED);
	if (n < 0) {
		free(p);
		return n;
	}
	*out = p;
	return n;
}

int cs_prog_in_slot(struct uringblk_dev *dev, __u32 pind, __u32 id,
		    struct uringblk_prog_info *out)
{
	struct uringblk_prog_info *p;
	int n, i, ret = -ENOENT;

	n = cs_prog_list(dev, &p);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		if (pind ? p[i].pind == pind : p[i].id == id) {
			*out = p[i];
			ret = 0;
			break;
		}
	}
	free(p);
	return ret;
}

/* global data (.rodata, string literals, .data, .bss) included */
int cs_prog_load_slot(struct uringblk_dev *dev, const char *path, __u32 pind,
		      char *log, size_t log_len)
{
	struct uringblk_prog_obj po;
	int ret;

	ret = uringblk_prog_read_obj(path, NULL, &po, log, log_len);
	if (ret)
		return ret;
	ret = uringblk_prog_load_obj_slot(dev, &po, pind, log, log_len);
	uringblk_prog_obj_free(&po);
	return ret;
}
