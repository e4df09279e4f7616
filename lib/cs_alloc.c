// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The SLM allocator of the SNIA API layer: first fit over a sorted list of
 * free extents, in units of the drive's SLM granularity, merging on free.
 * The drive has no allocator (TP4131 leaves SLM management to the host),
 * and every allocation must be usable as a memory range set's range, so
 * offsets and lengths are multiples of identify.slm_granularity.
 */
#include <errno.h>
#include <stdlib.h>

#include "cs_private.h"

int cs_alloc_init(struct cs_alloc *a, __u64 size, __u64 gran)
{
	memset(a, 0, sizeof(*a));
	if (!gran)
		return -EINVAL;
	a->gran = gran;
	a->size = size - size % gran;	/* a tail below one unit is unusable */
	if (!a->size)
		return 0;
	a->free = malloc(sizeof(*a->free));
	if (!a->free)
		return -ENOMEM;
	a->free->off = 0;
	a->free->len = a->size;
	a->free->next = NULL;
	a->free_bytes = a->size;
	return 0;
}

void cs_alloc_destroy(struct cs_alloc *a)
{
	struct cs_extent *e, *n;

	for (e = a->free; e; e = n) {
		n = e->next;
		free(e);
	}
	a->free = NULL;
	a->free_bytes = 0;
}

int cs_alloc_get(struct cs_alloc *a, __u64 len, __u64 *off, __u64 *alloc_len)
{
	struct cs_extent **pp, *e;

	if (!len || !a->gran)
		return -EINVAL;
	/* round up without overflowing */
	if (len > a->size)
		return -ENOSPC;
	len = (len + a->gran - 1) / a->gran * a->gran;
	for (pp = &a->free; (e = *pp); pp = &e->next) {
		if (e->len < len)
			continue;
		*off = e->off;
		*alloc_len = len;
		e->off += len;
		e->len -= len;
		if (!e->len) {
			*pp = e->next;
			free(e);
		}
		a->free_bytes -= len;
		return 0;
	}
	return -ENOSPC;
}

int cs_alloc_put(struct cs_alloc *a, __u64 off, __u64 len)
{
	struct cs_extent **pp, *prev = NULL, *next, *e;

	if (!len || off % a->gran || len % a->gran || off > a->size ||
	    len > a->size - off)
		return -EINVAL;
	for (pp = &a->free; *pp && (*pp)->off < off; pp = &(*pp)->next)
		prev = *pp;
	next = *pp;
	/* overlapping a free extent: not (wholly) allocated */
	if ((prev && prev->off + prev->len > off) ||
	    (next && off + len > next->off))
		return -EINVAL;
	a->free_bytes += len;
	if (prev && prev->off + prev->len == off) {
		prev->len += len;
		if (next && prev->off + prev->len == next->off) {
			prev->len += next->len;
			prev->next = next->next;
			free(next);
		}
		return 0;
	}
	if (next && off + len == next->off) {
		next->off = off;
		next->len += len;
		return 0;
	}
	e = malloc(sizeof(*e));
	if (!e) {
		a->free_bytes -= len;
		return -ENOMEM;
	}
	e->off = off;
	e->len = len;
	e->next = next;
	*pp = e;
	return 0;
}

__u64 cs_alloc_largest(const struct cs_alloc *a)
{
	const struct cs_extent *e;
	__u64 max = 0;

	for (e = a->free; e; e = e->next)
		if (e->len > max)
			max = e->len;
	return max;
}
