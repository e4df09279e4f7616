/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading ahead for programs: what a backend whose get_page() waits for
 * its media (the file backend) offers a program's run, so that a scan does
 * not wait for one page at a time (driver/file.c, "Readahead for
 * programs").  The run's side is exec_grant.c (when a run scans forward)
 * and exec_run.c (the readahead ends whenever the run stops running).
 */
#ifndef URINGBLK_RA_H
#define URINGBLK_RA_H

#include <linux/types.h>

struct page;
struct uringblk_dev;

/**
 * struct uringblk_ra_ops - a backend's readahead for one program run
 * @start:	the run's state; NULL (no memory): get_page() serves the run
 * @get_page:	get_page() that may first start reads of the device bytes
 *		[@pos, @pos + @ahead) the run is scanning toward (0: it is not
 *		scanning forward, read only what is asked); the pages hold the
 *		device's bytes as of reads made after the run started
 * @stop:	wait for the reads in flight and free the state: before the
 *		run lets go of dev->lock, so removal never sees one
 *
 * Process context; all may sleep.
 */
struct uringblk_ra_ops {
	void *(*start)(struct uringblk_dev *dev);
	struct page *(*get_page)(struct uringblk_dev *dev, void *ra, u64 pos,
				 u64 ahead);
	void (*stop)(struct uringblk_dev *dev, void *ra);
};

#endif /* URINGBLK_RA_H */
