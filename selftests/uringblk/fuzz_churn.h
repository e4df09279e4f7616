/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz_cmds' shared state and its racing threads (fuzz_churn.c): the
 * drives the workers send to, the pools of ids the drive handed out, the
 * runtime drive created and removed under the workers, and the program
 * and range set churn under the EXECs.
 */
#ifndef URINGBLK_FUZZ_CHURN_H
#define URINGBLK_FUZZ_CHURN_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <liburing.h>

#include "fuzz_gen.h"

#define CFG_ROOT	"/sys/kernel/config/uringblk"
#define CFG_ZONED	CFG_ROOT "/fuzz_zoned"
#define CFG_CHURN	CFG_ROOT "/fuzz_churn"
#define NR_DRIVES	3	/* uringblk0, the zoned drive, the churned drive */

/* The kernel's nodes of a drive's NVMe controller (nvme_ctrl=1) */
struct ctrl_nodes {
	int		ctrl;		/* X of /dev/nvmeX; -1: no controller */
	char		ng[4][32];	/* /dev/ngXnY of NSID 1..3 ("" if none) */
	char		blk[32];	/* /dev/nvmeXnY of NSID 1, the block node */
};

struct drive {
	bool		present;
	int		idx;
	unsigned int	gen;		/* bumped at every change */
	struct fz_env	env;
	struct ctrl_nodes nodes;
};

struct fz_shared {
	pthread_mutex_t	lock;		/* protects drives[] */
	struct drive	drives[NR_DRIVES];
	uint64_t	target;		/* commands to send */
	uint64_t	sent;		/* atomic */
	int		stop;		/* atomic */
	int		hung;		/* atomic: a command never completed */
	uint64_t	seed;
	double		t0;
	bool		verbose;
	uint32_t	ids[4][32];	/* pools: program ids, pinds, rsids, CP pinds */
	uint32_t	id_pos[4];
	unsigned long	churns, churn_fail, unloads, rs_deletes;
	uint64_t	bad;		/* clean commands with a result not in their list */
	/*
	 * The churn's NVMe Computational Programs flow (churn_cp): programs
	 * loaded in one piece or in order in several, pieces sent out of order
	 * (each refused), hostile bytecode loaded (refused, or loaded and
	 * unloaded unrun), Execute Programs run, and results no race explains
	 */
	unsigned long	cp_loads, cp_pieces, cp_ooo, cp_hostile, cp_hostile_loaded,
			cp_execs, cp_exec_ok, cp_bad;
	uint8_t		*ro_area, *none_area;	/* read-only, unmapped */
	/*
	 * The NVMe controller (nvme_ctrl=1): whether the drives have one, and
	 * the reset thread's counts.  rseq[slot] is odd while a reset of that
	 * drive's controller runs and moves at its start and end, so a
	 * command can tell whether a reset overlapped it.
	 */
	bool		have_ctrl;
	/*
	 * The generic nodes of a drive about to go, closed first: nvme-core
	 * (6.1 and 6.12) frees a namespace at the last put of its kref, which
	 * an open /dev/ngXnY holds, and the close of the last such file then
	 * puts the cdev inside the freed namespace (__fput()'s cdev_put()
	 * after nvme_ns_chr_release(): KASAN use-after-free, found by this
	 * fuzzer on the debug kernel; the drive now refuses power 0 with
	 * EBUSY while one is open).  ng_closed[w][slot]: the drive table
	 * generation worker w has closed them for (atomic); wdone[w]: it ended.
	 */
	int		nworkers;
	unsigned int	ng_closed[16][NR_DRIVES];
	int		wdone[16];
	unsigned int	rseq[NR_DRIVES];	/* atomic */
	int64_t		reset_since;		/* atomic: a reset running since, ms (0: none) */
	unsigned long	resets, resets_ioctl, resets_sysfs, reset_busy, reset_gone,
			reset_bad;
	/* clean commands cut by the host's io-wq bug (fuzz_cmds.c, kclean_ok()); atomic */
	unsigned long	x32_efault, x32_efault_reset;
};

extern struct fz_shared G;

void pool_add(int sym, uint32_t v);
uint32_t pool_pick(struct fz_rng *r, int sym);
bool stopping(void);
double now(void);
/* IDENTIFY's numbers as the generator wants them. */
int drive_env(struct io_uring *ring, int fd, struct fz_env *e);
void drive_publish(int slot, bool present, int idx, const struct fz_env *e);
/*
 * Drive @idx's controller and its namespaces' nodes, waiting up to
 * @wait_ms for nvme-core's scan to find @want of them: how many it found.
 */
int ctrl_lookup(int idx, struct ctrl_nodes *n, int want, int wait_ms);
/* Make and power on a runtime drive: its index or -errno; remove it. */
int cfg_create(const char *dir, bool zoned, const char *cap_mb);
void cfg_remove(const char *dir);
/* The threads: a drive created and removed; programs and range sets. */
void *churn_drives(void *arg);
void *churn_progs(void *arg);
/* Controller resets (NVME_IOCTL_RESET, sysfs reset_controller) under the workers. */
void *churn_resets(void *arg);

#endif /* URINGBLK_FUZZ_CHURN_H */
