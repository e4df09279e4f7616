// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: /sys/kernel/debug/uringblk/holders, what keeps the module loaded.
 *
 * rmmod says only "in use".  The module's references come from open files
 * of its nodes (every fops has .owner), configfs items (runtime drives),
 * and kernel-BPF programs held in drive slots, which count twice: the
 * reference the drive takes for each (kbpf.c), and, for a program that
 * calls the drive's kfuncs, the one the kernel's verifier took through
 * the module's BTF, which the kernel drops only when it frees the program
 * (after the last bpf_prog_put(): an RCU-tasks-trace grace period for a
 * sleepable program, then a work item).  So a drive that holds such a
 * program keeps the module loaded until the program is unloaded or the
 * drive removed.  This file lists the programs by drive; the test runner
 * (selftests/run_in_vm.sh) prints it when a test leaves the module in use.
 * Its format is for people, not a stable interface.
 *
 * nvme_fast: per drive, the NVMe Reads and Writes done without the block
 * layer (nvme_fast.c) and those that tried and took the bio path; the
 * tests read it to know which path a command took.
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/seq_file.h>

#include "nvme.h"
#include "uringblk.h"

static struct dentry *uringblk_debugfs_dir;

static int holders_dev(struct uringblk_dev *dev, void *m)
{
	uringblk_prog_show_holders(dev, m);
	return 0;
}

static int holders_show(struct seq_file *m, void *unused)
{
	/* what rmmod sees, counting what this open file holds itself */
	seq_printf(m, "refcnt %d\n", module_refcount(THIS_MODULE));
	seq_printf(m, "kbpf_programs_held %d\n", uringblk_kbpf_held());
	seq_puts(m, "# drive prog_id pind bpf_id runs_in_flight calls_kfuncs name\n");
	uringblk_walk_devs(holders_dev, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(holders);

static int nvme_fast_dev(struct uringblk_dev *dev, void *m)
{
	uringblk_nvme_fast_show(dev, m);
	return 0;
}

/* NVMe Read/Write that skipped the block layer (nvme_fast.c), per drive. */
static int nvme_fast_show(struct seq_file *m, void *unused)
{
	seq_puts(m, "# drive fast fallback\n");
	uringblk_walk_devs(nvme_fast_dev, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nvme_fast);

/* Never fails the module load: debugfs is a diagnostic. */
void uringblk_debugfs_init(void)
{
	uringblk_debugfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("holders", 0400, uringblk_debugfs_dir, NULL,
			    &holders_fops);
	debugfs_create_file("nvme_fast", 0400, uringblk_debugfs_dir, NULL,
			    &nvme_fast_fops);
}

void uringblk_debugfs_exit(void)
{
	debugfs_remove_recursive(uringblk_debugfs_dir);
}
