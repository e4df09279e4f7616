// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_cmds: a structure-aware command fuzzer for both of the drive's front
 * ends, in the guest.
 *
 * Several threads send commands generated from the table of fuzz_table.c
 * (every command's fields and their interesting values, mostly well formed
 * so that they reach the handlers' deeper checks, some malformed) with
 * buffers that are sometimes too small, unaligned, NULL, unmapped,
 * partly unmapped or read-only:
 *  - the drive's own commands (URINGBLK_CMD_*) by URING_CMD;
 *  - NVMe passthrough: ioctls NVME_IOCTL_ID, ADMIN_CMD, ADMIN64_CMD,
 *    IO_CMD, IO64_CMD, IO64_CMD_VEC and URING_CMD NVME_URING_CMD_IO,
 *    _ADMIN, _IO_VEC, _ADMIN_VEC, on /dev/uringblkcN and, when they
 *    exist, the namespace nodes /dev/uringblkcNn2 (Computational Programs)
 *    and /dev/uringblkcNn3 (SLM);
 *  - when the module has the NVMe controller (nvme_ctrl=1, nvme_ctrl.c;
 *    loaded so when it can be), half of the NVMe commands through the
 *    kernel's own nodes of each drive's controller instead: admin commands
 *    on /dev/nvmeX (ioctls ADMIN_CMD, ADMIN64_CMD; URING_CMD ADMIN,
 *    ADMIN_VEC), I/O commands on the generic node of their NSID,
 *    /dev/ngXnY (NVM or ZNS, Computational Programs, SLM: ioctls IO_CMD,
 *    IO64_CMD, IO64_CMD_VEC; URING_CMD IO, IO_VEC) or, for NSID 1, the
 *    block node /dev/nvmeXn1 (ioctls), NVME_IOCTL_ID on each, and now and
 *    then a node not the command's, where nvme-core answers itself;
 * while one thread creates and removes a runtime drive (configfs) that the
 * others are sending to, one loads, activates, deactivates and unloads
 * programs and range sets under the EXECs, and (with the controller) one
 * resets the controllers (NVME_IOCTL_RESET, sysfs reset_controller).  One
 * worker runs without CAP_SYS_ADMIN.  The drives: uringblk0 (memory, SLM),
 * a zoned runtime drive, and the churned one (controllers too).
 *
 *   fuzz_cmds [-n COMMANDS] [-s SEED] [-t THREADS] [-v]
 *   fuzz_cmds --check-gen [-s SEED]	(the generator alone, natively)
 *
 * Defaults: 20000 commands (URINGBLK_FUZZ_CMDS; the suite's short
 * campaign), a seed from the clock (URINGBLK_FUZZ_SEED), 4 workers
 * (URINGBLK_FUZZ_THREADS).  The seed is printed; each worker's stream of
 * generated commands depends only on the seed and its index, but the ids
 * the drive hands out and the interleaving differ from run to run.
 *
 * At the end it prints, per command, how many were sent, succeeded, and
 * the count of each errno or NVMe status, and fails if a command that can
 * succeed never did (its handler was not reached), if a command did not
 * complete within 120 s (an ioctl, a reset or a ring: a watchdog dumps the
 * blocked tasks to the kernel log), or if the module cannot be unloaded
 * afterwards.  A kernel report (KASAN, lockdep, UBSAN, WARNING...) fails
 * the test in selftests/run_in_vm.sh.
 *
 * Test 2, fuzz_cmds.nvme_ctrl, is the controller's: a second table of the
 * same counts through its nodes, where every command that can succeed
 * and every CNS/LID/FID must too from 100000 commands (the command
 * device's table, which gets the other half, requires its commands
 * always and the keys from 100000 then), every transport must
 * have successes (sent/ok per node kind and transport), clean commands
 * must get a listed result or what nvme-core decides itself (kclean_ok()),
 * every reset of a drive that stays must succeed and its controller be
 * live at the end.  Without the controller (a module built without
 * nvme-core's header, or URINGBLK_FUZZ_CTRL=0) test 2 is SKIP and says why.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <linux/nvme_ioctl.h>

#include "fuzz_churn.h"
#include "fuzz_gen.h"
#include "nvme_test.h"
#include "uringblk_test.h"

#define PARAMS		"nr_devices=1 capacity_mb=32 slm_size_mb=16"

#define MAX_WORKERS	16
#define NSLOT		16	/* commands in flight per worker */
#define AUX_LEN		(64 << 10)
#define MAIN_LEN	((1 << 20) + 4096)
#define SLOT_LEN	(AUX_LEN + MAIN_LEN + 4096)	/* + the guard page */
#define MAX_KEYS	24
#define WAIT_SECS	120
#define PROGRESS	50000	/* a line every so many commands */
/*
 * Through the controller every key (CNS, LID, FID) must succeed too, from
 * this many commands: a quarter of the NVMe commands' keys reach it, the
 * unprivileged worker's none on 6.1, so the suite's 20000 may miss a rare
 * one (a CNS 06h of one CSI: about 5 in 20000)
 */
#define KSUB_MIN	100000
#define KSUB_MIN_S	"100000"

/* --- the workers -------------------------------------------------------------- */

enum tr { TR_URING, TR_URING_NOCQE32, TR_IOCTL32, TR_IOCTL64, TR_VEC, TR_NR };
static const char *const tr_names[TR_NR] = {
	"uring_cmd", "uring_cmd(no CQE32)", "ioctl", "ioctl64", "vectored"
};

/*
 * Where an NVMe command went: the drive's command device and its namespace
 * nodes, or the kernel's nodes of the drive's controller (nvme_ctrl=1):
 * its character nodes /dev/nvmeX and /dev/ngXnY, or its block node.
 */
enum path { P_CDEV, P_KCHR, P_KBLK, P_NR };
static const char *const path_names[P_NR] = {
	"/dev/uringblkcN[nY]", "/dev/nvmeX, /dev/ngXnY", "/dev/nvmeXn1 (block)"
};

/* nvme-core's status for a command it failed itself while not live */
#define SC_HOST_PATH_ERROR	0x370
/* the drive's for a run a reset stopped (nvme_ctrl.c's ->gone(): Command Abort Requested) */
#define SC_ABORT_REQ		0x7

#define MAX_SUBS	16
#define BAD_SHOWN	3	/* unexpected results printed per worker and command */

struct cstat {
	uint64_t	sent, ok, other;
	int32_t		key[MAX_KEYS];
	uint64_t	n[MAX_KEYS];
	uint64_t	clean, bad;		/* FZ_C_ONEFIELD: clean sent, not in clean_ok */
	uint64_t	sub_ok[MAX_SUBS];	/* successes per .subs entry */
};

/* How one command went out: what its result must be checked against */
struct sent {
	int		cmd;
	int		drive;
	bool		clean;		/* a clean FZ_C_ONEFIELD command on a drive that stays */
	uint8_t		path;		/* enum path */
	uint8_t		tr;		/* enum tr */
	bool		by_ring;	/* by URING_CMD (TR_VEC: either) */
	unsigned int	rseq;		/* G.rseq[drive] when it was sent */
	uint8_t		payload[80];
};

struct wdrive {
	unsigned int	gen;
	bool		ok;
	int		fd_rw, fd_ro, fd_n2, fd_n3;
	/* the kernel's nodes of its controller: /dev/nvmeX, /dev/ngXnY by NSID, the block node */
	int		fd_ctrl, fd_ng[4], fd_blk;
	struct fz_env	env;
};

struct worker {
	int		id;
	pthread_t	thread;
	bool		unpriv;
	struct fz_rng	r;
	struct io_uring	ring, ring2;
	bool		have_ring2;
	uint8_t		*slot[NSLOT];
	struct wdrive	d[NR_DRIVES];
	struct cstat	st[2][64];	/* [0]: the command device; [1]: the controller's nodes */
	uint64_t	tr[P_NR][TR_NR], tr_ok[P_NR][TR_NR];
	uint64_t	status[0x800];	/* big_cqe[0] of failed uringblk commands */
	/* what each SQE in flight is */
	struct sent	infl[NSLOT];
	/* the ioctl in flight, since when (atomic; 0: none), for the watchdog */
	struct sent	in_ioctl;
	int64_t		ioctl_since;	/* ms */
	int		done;		/* atomic: the thread ended */
	/* the last sign of life (ms, atomic) and what the worker was doing then */
	int64_t		beat;
	const char	*phase;

};

static struct worker W[MAX_WORKERS];
static bool G_fine_perm;	/* 6.2+: nvme_cmd_allowed() decides, not CAP_SYS_ADMIN alone */
/*
 * 6.1's nvme-core (Debian's 6.1.192) mishandles a passthrough command's
 * metadata_len on a namespace without integrity (this drive's: no format
 * has metadata), by any transport, in drivers/nvme/host/ioctl.c:
 *  - with metadata and data, nvme_map_user_request() returns -EINVAL
 *    without freeing the request it was given: a tag and a reference of
 *    the queue leak, so the next freeze of that queue (nvme-core's rescan
 *    after a reset, nvme_update_ns_info_block(); the removal of the
 *    namespace or of the admin queue) waits forever, and with it every
 *    command, the scan, resets and removal (6.12 frees it: goto out);
 *  - a URING_CMD's metadata_len is taken as metadata to finish even when
 *    none was mapped (metadata 0, or no data): a successful read then
 *    does copy_to_user(metadata, NULL, metadata_len) (WARNING above
 *    INT_MAX in check_copy_size(); a NULL read for KASAN), and its request
 *    is freed only in the submitter's task work, which a submitter
 *    blocked in blk_queue_enter() never runs: the same endless freeze.
 * Kernel bugs a module cannot reach (nvme-core fails the command before
 * or after the controller sees it), found by this fuzzer (a WARNING, then
 * tasks blocked in blk_queue_enter() and blk_mq_freeze_queue_wait()).  So
 * on 6.1 every command to the controller's nodes has metadata_len 0.
 */
static bool G_meta_bug;

static void count(struct cstat *s, int32_t key, bool ok)
{
	int i;

	s->sent++;
	if (ok)
		s->ok++;
	for (i = 0; i < MAX_KEYS; i++) {
		if (s->n[i] && s->key[i] == key) {
			s->n[i]++;
			return;
		}
		if (!s->n[i]) {
			s->key[i] = key;
			s->n[i] = 1;
			return;
		}
	}
	s->other++;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int open_node(int idx, const char *sfx, int flags)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/uringblkc%d%s", idx, sfx);
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -1 : fd;
}

static void beat(struct worker *w, const char *phase)
{
	w->phase = phase;
	__atomic_store_n(&w->beat, (int64_t)(now() * 1000), __ATOMIC_SEQ_CST);
}

static void close_kernel_nodes(struct wdrive *d)
{
	int i;

	close_fd(&d->fd_ctrl);
	close_fd(&d->fd_blk);
	for (i = 0; i < 4; i++)
		close_fd(&d->fd_ng[i]);
}

/*
 * The controller's nodes, as published; an open may fail while a reset
 * runs (nvme_dev_open() wants the controller live) or the drive goes, and
 * is tried again at the drive's next change.  Opened read-write, as nvme-cli
 * and fio do; 6.12 lets an unprivileged user write only through a node
 * opened so.
 */
static void open_kernel_nodes(struct worker *w, struct wdrive *d, const struct ctrl_nodes *n)
{
	char path[64];
	int i;

	(void)w;
	if (n->ctrl < 0)
		return;
	snprintf(path, sizeof(path), "/dev/nvme%d", n->ctrl);
	d->fd_ctrl = open(path, O_RDWR | O_CLOEXEC);
	for (i = 1; i < 4; i++)
		if (n->ng[i][0])
			d->fd_ng[i] = open(n->ng[i], O_RDWR | O_CLOEXEC);
	if (n->blk[0])
		d->fd_blk = open(n->blk, O_RDWR | O_CLOEXEC);
	if (d->fd_ctrl < 0)	/* no controller to send to: the command device takes all */
		close_kernel_nodes(d);
}

/* Follow the shared drive table: reopen a drive that changed. */
static void refresh(struct worker *w)
{
	int i;

	for (i = 0; i < NR_DRIVES; i++) {
		struct wdrive *d = &w->d[i];
		struct drive snap;

		pthread_mutex_lock(&G.lock);
		snap = G.drives[i];
		pthread_mutex_unlock(&G.lock);
		if (snap.gen == d->gen)
			continue;
		/*
		 * a removed drive's fds are kept a little: commands on them must
		 * fail cleanly; not its generic nodes (ng_going())
		 */
		if (snap.present || fz_pct(&w->r, 30)) {
			close_fd(&d->fd_rw);
			close_fd(&d->fd_ro);
			close_fd(&d->fd_n2);
			close_fd(&d->fd_n3);
			close_kernel_nodes(d);
		}
		for (int n = 0; n < 4; n++)
			close_fd(&d->fd_ng[n]);
		__atomic_store_n(&G.ng_closed[w->id][i], snap.gen, __ATOMIC_SEQ_CST);
		d->gen = snap.gen;
		d->ok = snap.present;
		if (!snap.present)
			continue;
		d->env = snap.env;
		d->fd_rw = open_node(snap.idx, "", O_RDWR);
		d->fd_ro = open_node(snap.idx, "", O_RDONLY);
		d->fd_n2 = open_node(snap.idx, "n2", O_RDWR);
		d->fd_n3 = open_node(snap.idx, "n3", O_RDWR);
		d->ok = d->fd_rw >= 0;
		open_kernel_nodes(w, d, &snap.nodes);
	}
}

static struct wdrive *pick_drive(struct worker *w, const struct fz_cmd *c)
{
	struct wdrive *d;
	int i;

	if (c->flags & FZ_C_ZONED && fz_pct(&w->r, 90))
		i = 1;
	else if (c->flags & FZ_C_NOZONED && fz_pct(&w->r, 90))
		i = 0;
	else
		i = fz_pct(&w->r, 60) ? 0 : 1 + fz_below(&w->r, 2);
	d = &w->d[i];
	if (d->fd_rw < 0)
		d = &w->d[0];
	return d;
}

static int pick_fd(struct worker *w, const struct fz_cmd *c, struct wdrive *d)
{
	int fd = fz_pct(&w->r, 10) ? d->fd_ro : d->fd_rw;

	if (c->fe == FZ_FE_NVME_IO && c->ns == FZ_NS_CP && d->fd_n2 >= 0 && fz_pct(&w->r, 90))
		fd = d->fd_n2;
	if (c->fe == FZ_FE_NVME_IO && c->ns == FZ_NS_SLM && d->fd_n3 >= 0 && fz_pct(&w->r, 90))
		fd = d->fd_n3;
	return fd >= 0 ? fd : d->fd_rw;
}

/*
 * A node of the drive's controller for NVMe command @c, mostly its own:
 * /dev/nvmeX for an admin command, the generic node of the command's NSID
 * for an I/O command, sometimes (ioctls only) the NVM namespace's block
 * node; sometimes another, where nvme-core answers itself: an admin ioctl
 * on a namespace's node reaches the controller (is_ctrl_ioctl()), an admin
 * URING_CMD there or an I/O one on /dev/nvmeX is -ENOTTY, an I/O ioctl on
 * /dev/nvmeX with several namespaces -EINVAL, an NSID not the node's
 * -EINVAL (nvme_validate_passthru_nsid()).  *@nsid: the node's NSID (0 for
 * /dev/nvmeX), what NVME_IOCTL_ID must answer.
 */
static int pick_kfd(struct worker *w, const struct fz_cmd *c, struct wdrive *d, int *path,
		    int *nsid)
{
	int ns = c->fe == FZ_FE_NVME_IO ? c->ns : 0, fd = -1;
	uint64_t x = fz_below(&w->r, 100);

	*path = P_KCHR;
	*nsid = 0;
	if (c->fe == FZ_FE_NVME_ID) {
		ns = x < 10 ? 0 : 1 + fz_below(&w->r, 3);
	} else if (c->fe == FZ_FE_NVME_ADMIN) {
		ns = x < 85 ? 0 : 1 + fz_below(&w->r, 3);
	} else if (x >= 85) {
		ns = x < 88 ? 0 : 1 + fz_below(&w->r, 3);	/* another node */
	}
	if (ns)
		fd = d->fd_ng[ns];
	if (ns == 1 && d->fd_blk >= 0 && fz_pct(&w->r, c->fe == FZ_FE_NVME_ADMIN ? 20 : 15)) {
		fd = d->fd_blk;
		*path = P_KBLK;
	}
	if (fd < 0) {
		fd = d->fd_ctrl;
		ns = 0;
		*path = P_KCHR;
	}
	*nsid = ns;
	return fd;
}

/* Lay out command @c's buffer in slot @s; the user address goes in the payload. */
static void place_buffer(struct worker *w, const struct fz_cmd *c, struct fz_gen_out *g,
			 uint8_t *s, struct fz_env *env, int tr)
{
	uint8_t *main = s + AUX_LEN, *guard = main + MAIN_LEN;
	/* a command without a buffer has addr 0 unless the shape says otherwise */
	uint8_t *p = c->buf == FZ_B_NONE && !g->len ? NULL : main;
	uint32_t room = MAIN_LEN;
	uint64_t addr;

	switch (g->shape) {
	case FZ_SH_NULL:
		p = NULL;
		break;
	case FZ_SH_UNALIGNED:
		p = main + 1 + fz_below(&w->r, 511);
		room = MAIN_LEN - 512;
		break;
	case FZ_SH_UNMAPPED:
		p = G.none_area + 4096 * fz_below(&w->r, 256);
		break;
	case FZ_SH_TAIL:
		room = (g->len / 2 + 511) & ~511u;
		if (room > MAIN_LEN || !room)
			room = 512;
		p = guard - room;
		break;
	case FZ_SH_RDONLY:
		p = G.ro_area;
		break;
	}
	if (p && p >= main && p < guard) {
		uint32_t n = g->fill_len < room ? g->fill_len : room;

		fz_fill(&w->r, c, env, g, p, n, (uint64_t)(uintptr_t)p);
	}
	if (c->aux)
		fz_fill_aux(&w->r, c, env, g, s, AUX_LEN);
	addr = (uint64_t)(uintptr_t)p;
	if (c->fe == FZ_FE_UBLK) {
		memcpy(g->payload + 8, &addr, 8);
		memcpy(g->payload + 16, &g->len, 4);
		return;
	}
	if (tr == TR_VEC) {	/* the buffer in 1-3 pieces, described in aux */
		struct iovec *iov = (struct iovec *)s;
		uint32_t n = 1 + fz_below(&w->r, 3), i, left = g->len, part;

		for (i = 0; i < n; i++) {
			part = i == n - 1 ? left : left / 2;
			iov[i].iov_base = p ? p + (g->len - left) : NULL;
			iov[i].iov_len = part;
			left -= part;
		}
		addr = (uint64_t)(uintptr_t)iov;
		memcpy(g->payload + 24, &addr, 8);
		memcpy(g->payload + 36, &n, 4);
		return;
	}
	memcpy(g->payload + 24, &addr, 8);
	memcpy(g->payload + 36, &g->len, 4);
}

static int32_t res_key(const struct fz_cmd *c, int res, bool *ok, int nsid)
{
	if (c->fe == FZ_FE_NVME_ID) {
		*ok = res == nsid;
		return res >= 0 ? 0 : res;
	}
	if (c->fe == FZ_FE_UBLK) {
		*ok = res >= 0;
		return res > 0 ? 1 : res;
	}
	*ok = res == 0;
	return res;
}

/* Is @res one of the results a clean command may have (fz_cmd.clean_ok)? */
static bool clean_ok(const struct worker *w, const struct fz_cmd *c, int res)
{
	const int32_t *k;

	/* every admin command but Identify needs CAP_SYS_ADMIN, whatever else */
	if (w->unpriv && c->fe == FZ_FE_NVME_ADMIN)
		return res == -EACCES;
	for (k = c->clean_ok; *k != FZ_OK_END; k++)
		if (*k == res)
			return true;
	return false;
}

static bool in_clean_list(const struct fz_cmd *c, int res)
{
	const int32_t *k;

	for (k = c->clean_ok; *k != FZ_OK_END; k++)
		if (*k == res)
			return true;
	return false;
}

/*
 * Is @res one a clean command may have through the controller's nodes?
 * What the drive answers is the same as on the command device (one decode,
 * nvme_ctrl.c); nvme-core adds what it decides itself:
 *  - without CAP_SYS_ADMIN: 6.1 refuses every passthrough (-EACCES, before
 *    reading the command); 6.2 and later (nvme_cmd_allowed()) let through
 *    Identify of CNS 00h, 01h, 05h, 06h, 08h on /dev/nvmeX only, so every
 *    other admin command is -EACCES, and an I/O command is let through
 *    when the effects log marks it supported and harmless and the node is
 *    open for writing (it is): the drive's answer, or -EACCES;
 *  - a controller reset that overlapped it (G.rseq moved or was odd):
 *    -EINTR, the request cancelled by the reset (nvme_cancel_tagset(),
 *    NVME_REQ_CANCELLED), or Host Path Error (370h, no DNR), the request
 *    failed by nvme_fail_nonready_command() while the controller was not
 *    live (a passthrough request is REQ_FAILFAST_DRIVER: not requeued),
 *    or Command Abort Requested (7h, no DNR), an Execute Program whose run
 *    the reset stopped (the controller's ->gone(), nvme_ctrl.c);
 *  - by URING_CMD, -EFAULT for a buffer above 4 GiB: a command nvme-core
 *    could not issue without blocking goes to an io-wq worker, and one
 *    created by task work on the way back from an interrupt takes itself
 *    for an x32 caller, so nvme_to_user_ptr() cuts the address to its low
 *    32 bits (6.1 and 6.12, with or without a reset; the drive's own
 *    nodes do not, nvme_vec's iowq_worker_from_irq;
 *    Documentation/dev/nvme-passthrough.md).  Counted and printed apart:
 *    0-6 in a run of the suite's 20000 commands.
 * Nothing else: not -ENODEV/-EIO (the drives that stay do not go), not a
 * status nvme-core would log as a timeout.
 */
static bool kclean_ok(const struct worker *w, const struct fz_cmd *c, const struct sent *x,
		      int res)
{
	bool reset;
	uint64_t addr;

	if (w->unpriv) {
		if (!G_fine_perm)
			return res == -EACCES;
		if (c->fe == FZ_FE_NVME_ADMIN) {
			uint8_t cns = x->payload[40];

			if (x->payload[0] != 0x06 ||
			    !(cns == 0 || cns == 1 || cns == 5 || cns == 6 || cns == 8))
				return res == -EACCES;
		} else if (res == -EACCES) {
			return true;
		}
		/* let through: as for a privileged user */
	}
	if (in_clean_list(c, res))
		return true;
	/* a reset overlapped it: G.rseq moved since it was sent, or was odd */
	reset = __atomic_load_n(&G.rseq[x->drive], __ATOMIC_SEQ_CST) != x->rseq || x->rseq & 1;
	if ((res == -EINTR || res == SC_HOST_PATH_ERROR || res == SC_ABORT_REQ) && reset)
		return true;
	memcpy(&addr, x->payload + 24, sizeof(addr));	/* as place_buffer() put it */
	if (res == -EFAULT && x->by_ring && addr >> 32) {
		__atomic_fetch_add(&G.x32_efault, 1, __ATOMIC_RELAXED);
		if (reset)
			__atomic_fetch_add(&G.x32_efault_reset, 1, __ATOMIC_RELAXED);
		return true;
	}
	return false;
}

/*
 * One command done: count its result, check a clean one's, note which
 * handler below the opcode succeeded, and keep the ids the drive gave out
 * (a uringblk command's res; an NVMe command's result, DW0).
 */
static void completed(struct worker *w, const struct sent *x, int res, uint64_t res2)
{
	const struct fz_cmd *c = &fz_cmds[x->cmd];
	struct cstat *s = &w->st[x->path != P_CDEV][x->cmd];
	bool ok;
	int32_t key = res_key(c, res, &ok, 0);
	unsigned int i;

	count(s, key, ok);
	if (ok)
		w->tr_ok[x->path][x->tr]++;
	if (c->fe == FZ_FE_UBLK && res < 0 && res2 < 0x800)
		w->status[res2]++;
	if (res > 0 && c->fe == FZ_FE_UBLK && c->flags & FZ_C_MKPROG)
		pool_add(FZ_S_PROG_ID, res);
	if (res > 0 && c->fe == FZ_FE_UBLK && c->flags & FZ_C_MKRSET)
		pool_add(FZ_S_RSID, res);
	if (res == 0 && c->fe != FZ_FE_UBLK && res2 && res2 < 0x10000 && c->flags & FZ_C_MKRSET)
		pool_add(FZ_S_RSID, res2);
	if (res == 0 && c->fe != FZ_FE_UBLK && res2 && res2 < 1u << 31 && c->flags & FZ_C_MKPROG)
		pool_add(FZ_S_PROG_ID, res2);
	if (ok && c->subkey) {
		uint32_t key2 = c->subkey(x->payload);

		for (i = 0; i < MAX_SUBS && c->subs[i] != FZ_SUB_END; i++)
			if (c->subs[i] == key2)
				s->sub_ok[i]++;
	}
	if (!x->clean)
		return;
	s->clean++;
	if (x->path == P_CDEV ? clean_ok(w, c, res) : kclean_ok(w, c, x, res))
		return;
	if (s->bad++ < BAD_SHOWN) {
		printf("# worker %d: %s (clean, drive slot %d, %s, %s) answered %d (%#x), payload:",
		       w->id, c->name, x->drive, path_names[x->path], tr_names[x->tr], res,
		       res > 0 ? res : 0);
		for (i = 0; i < 80; i += 8)
			printf(" %016" PRIx64, *(uint64_t *)&x->payload[i]);
		printf("\n");
	}
}

/* The ioctl itself: its return value, *@result the command's. */
static int do_ioctl(int fd, const struct fz_cmd *c, const struct sent *x,
		    const struct fz_gen_out *g, int tr, bool swap, uint64_t *result)
{
	bool admin = c->fe == FZ_FE_NVME_ADMIN;
	int ret;

	(void)x;
	*result = 0;
	if (c->fe == FZ_FE_NVME_ID)
		return nvme_ioctl(fd, NVME_IOCTL_ID, NULL);
	if (swap)	/* the other kind's ioctl */
		admin = !admin;
	if (tr == TR_IOCTL32) {
		struct nvme_passthru_cmd pc;

		memcpy(&pc, g->payload, offsetof(struct nvme_passthru_cmd, result));
		pc.result = 0;
		ret = nvme_ioctl(fd, admin ? NVME_IOCTL_ADMIN_CMD : NVME_IOCTL_IO_CMD, &pc);
		*result = pc.result;
	} else {
		struct nvme_passthru_cmd64 pc;

		memcpy(&pc, g->payload, offsetof(struct nvme_passthru_cmd64, result));
		pc.result = 0;
		ret = nvme_ioctl(fd, tr == TR_VEC ? NVME_IOCTL_IO64_CMD_VEC :
				 admin ? NVME_IOCTL_ADMIN64_CMD : NVME_IOCTL_IO64_CMD, &pc);
		*result = pc.result;
	}
	return ret;
}

/* One NVMe command by ioctl, now. */
static void send_ioctl(struct worker *w, struct sent *x, int fd, struct fz_gen_out *g,
		       int tr, bool swap, int knsid)
{
	const struct fz_cmd *c = &fz_cmds[x->cmd];
	struct cstat *s = &w->st[x->path != P_CDEV][x->cmd];
	uint64_t result;
	int ret;

	x->tr = tr;
	w->in_ioctl = *x;
	beat(w, "an ioctl");
	__atomic_store_n(&w->ioctl_since, (int64_t)(now() * 1000), __ATOMIC_SEQ_CST);
	ret = do_ioctl(fd, c, x, g, tr, swap, &result);
	__atomic_store_n(&w->ioctl_since, 0, __ATOMIC_SEQ_CST);
	if (c->fe == FZ_FE_NVME_ID) {
		bool ok;

		count(s, res_key(c, ret, &ok, 1), ret > 0);
		w->tr[x->path][TR_IOCTL32]++;
		if (ret > 0)
			w->tr_ok[x->path][TR_IOCTL32]++;
		/*
		 * A node of the controller names its namespace: the NSID its
		 * sysfs said (nvme-core answers ns->head->ns_id), -ENOTTY on
		 * /dev/nvmeX; a namespace rescanned under a reset keeps its NSID.
		 */
		if (x->path != P_CDEV &&
		    (knsid ? ret != knsid && !(ret < 0 && x->drive == 2) : ret != -ENOTTY)) {
			if (s->bad++ < BAD_SHOWN)
				printf("# worker %d: NVME_IOCTL_ID on the node of NSID %d (%s) answered %d\n",
				       w->id, knsid, path_names[x->path], ret);
		}
		return;
	}
	w->tr[x->path][tr]++;
	completed(w, x, ret, result);
}

static uint32_t nvme_uring_op(struct worker *w, const struct fz_cmd *c, int tr, bool swap)
{
	bool admin = c->fe == FZ_FE_NVME_ADMIN;

	if (swap)
		admin = !admin;
	if (tr == TR_VEC)
		return admin ? NVME_URING_CMD_ADMIN_VEC : NVME_URING_CMD_IO_VEC;
	return admin ? NVME_URING_CMD_ADMIN : NVME_URING_CMD_IO;
}

/*
 * What a hang needs to be understood, once: the blocked tasks' stacks in
 * the kernel log (sysrq w), the controllers' states, and the requests
 * blk-mq still holds on their queues (debugfs).
 */
static void dump_state(void)
{
	static int once;
	int fd;

	if (__atomic_exchange_n(&once, 1, __ATOMIC_SEQ_CST))
		return;
	/*
	 * To the console too: a process with a thread asleep in the kernel
	 * cannot exit, so the runner may never print this test's output.
	 */
	if (system("echo 8 > /proc/sys/kernel/printk"))
		printf("# console loglevel not raised\n");
	fd = open("/proc/sysrq-trigger", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "w", 1) < 0)
			printf("# sysrq w: %s\n", strerror(errno));
		close(fd);
	}
	if (system("for f in /sys/class/nvme/nvme*/state; do echo \"# $f: $(cat $f)\"; done; "
		   "mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug; "
		   "grep -H . /sys/kernel/debug/block/*/hctx*/busy /sys/kernel/debug/block/*/hctx*/dispatch "
		   "/sys/kernel/debug/block/*/requeue_list /sys/kernel/debug/block/*/state "
		   "2>/dev/null | grep -v ':$' | head -60 | sed 's/^/# /' | "
		   "while read -r l; do echo \"$l\"; echo \"fuzz_cmds: $l\" > /dev/kmsg; done"))
		printf("# (dumping the state failed)\n");
}

/* Wait for @n completions; false if one did not come in time. */
static bool reap(struct worker *w, struct io_uring *ring, unsigned int n)
{
	struct __kernel_timespec ts = { .tv_sec = WAIT_SECS };
	struct io_uring_cqe *cqe;

	while (n) {
		int ret;

		beat(w, "waiting for completions");
		ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);

		if (ret == -EINTR)
			continue;
		if (ret) {
			printf("# worker %d: %u command(s) did not complete in %d s (%s):",
			       w->id, n, WAIT_SECS, strerror(-ret));
			for (unsigned int i = 0; i < NSLOT; i++) {
				if (w->infl[i].cmd < 0)
					continue;
				printf("\n#   %s on drive slot %d, payload:",
				       fz_cmds[w->infl[i].cmd].name, w->infl[i].drive);
				for (unsigned int b = 0; b < 80; b += 8)
					printf(" %016" PRIx64, *(uint64_t *)&w->infl[i].payload[b]);
			}
			printf("\n");
			__atomic_store_n(&G.hung, 1, __ATOMIC_RELAXED);
			dump_state();
			return false;
		}
		if (cqe->user_data < NSLOT && w->infl[cqe->user_data].cmd >= 0) {
			bool big = ring->flags & IORING_SETUP_CQE32;

			completed(w, &w->infl[cqe->user_data], cqe->res,
				  big ? cqe->big_cqe[0] : 0);
			w->infl[cqe->user_data].cmd = -1;
		}
		io_uring_cqe_seen(ring, cqe);
		n--;
	}
	return true;
}

/*
 * Is this a clean FZ_C_ONEFIELD command, whose result must be one of its
 * clean_ok: nothing in it changed (fields, content, length, shape), sent
 * to a drive that stays (uringblk0, or the zoned drive) of the kind it is
 * for, on its own node (the controller; the CP namespace's), as its own
 * kind (not the other kind's ioctl), by a transport that carries it whole
 * (not a ring without CQE32; vectored only for the NVM namespace's I/O
 * commands: the CP and SLM nodes take a plain buffer, nvme.c), and not a
 * hostile one (whose fields take any of their values)?  Through the
 * controller, its own node is /dev/nvmeX for an admin command, the
 * generic node of its NSID for an I/O command, or (an ioctl) the NVM
 * namespace's block node for one of NSID 1.
 */
static bool is_clean(struct worker *w, const struct fz_cmd *c, const struct fz_gen_out *g,
		     const struct wdrive *d, int fd, int tr, bool swap, bool ioctl, int path)
{
	int di = d - w->d, want;
	bool io = c->fe == FZ_FE_NVME_IO;

	if (!c->clean_ok || g->hostile || g->mutated || g->content_mut || swap || di == 2)
		return false;
	if (c->flags & FZ_C_ZONED ? di != 1 : c->flags & FZ_C_NOZONED ? di != 0 : false)
		return false;
	if (path == P_KBLK)
		want = io && c->ns == FZ_NS_NVM && ioctl ? d->fd_blk : -1;
	else if (path == P_KCHR)
		want = io ? d->fd_ng[c->ns] : d->fd_ctrl;
	else
		want = io && c->ns == FZ_NS_CP ? d->fd_n2 : io && c->ns == FZ_NS_SLM ? d->fd_n3 :
		       d->fd_rw;
	if (fd != want || fd < 0 || tr == TR_URING_NOCQE32)
		return false;
	if (tr == TR_VEC && (c->fe == FZ_FE_NVME_ADMIN ? ioctl : c->ns != FZ_NS_NVM))
		return false;
	/* nvme-core maps a vector of no bytes as an error: -EINVAL (blk_rq_map_user_iov()) */
	if (tr == TR_VEC && path != P_CDEV && !g->len)
		return false;
	return true;
}

static void *work_loop(struct worker *w)
{
	int i;

	for (i = 0; i < NSLOT; i++)
		w->infl[i].cmd = -1;
	if (w->unpriv)
		drop_sys_admin();	/* this thread only: capabilities are per thread */
	while (!stopping() && !__atomic_load_n(&G.hung, __ATOMIC_RELAXED)) {
		unsigned int batch = 1 + fz_below(&w->r, NSLOT), queued = 0, k;

		uint64_t before = __atomic_fetch_add(&G.sent, batch, __ATOMIC_RELAXED);

		if (before >= G.target)
			break;
		if ((before + batch) / PROGRESS != before / PROGRESS)
			printf("# progress: %" PRIu64 " commands, %.0f s\n",
			       (before + batch) / PROGRESS * PROGRESS, now() - G.t0);
		beat(w, "opening and closing nodes");
		refresh(w);
		beat(w, "generating");
		for (k = 0; k < batch; k++) {
			int ci = fz_below(&w->r, fz_nr_cmds);
			const struct fz_cmd *c = &fz_cmds[ci];
			struct wdrive *d = pick_drive(w, c);
			struct fz_gen_out g;
			struct io_uring_sqe *sqe;
			struct io_uring *ring = &w->ring;
			int tr = TR_URING, fd, path = P_CDEV, knsid = 0;
			bool swap = c->fe != FZ_FE_UBLK && fz_pct(&w->r, 3);
			/* half the NVMe commands go through the controller, when there is one */
			bool kern = c->fe != FZ_FE_UBLK && d->fd_ctrl >= 0 && fz_pct(&w->r, 50);
			struct sent x = { .cmd = ci, .drive = d - w->d };

			fd = kern ? pick_kfd(w, c, d, &path, &knsid) : pick_fd(w, c, d);
			x.path = path;
			x.rseq = __atomic_load_n(&G.rseq[x.drive], __ATOMIC_SEQ_CST);

			d->env.aux_addr = (uint64_t)(uintptr_t)w->slot[k];
			d->env.aux_len = AUX_LEN;
			fz_generate(&w->r, c, &d->env, MAIN_LEN, &g);
			if (c->fe == FZ_FE_NVME_ID) {
				tr = TR_IOCTL32;
			} else if (c->fe != FZ_FE_UBLK) {
				uint64_t x = fz_below(&w->r, 100);

				tr = x < 50 ? TR_URING : x < 75 ? TR_IOCTL64 : x < 90 ? TR_IOCTL32 :
				     x < 95 ? TR_VEC : TR_URING_NOCQE32;
			} else if (fz_pct(&w->r, 2)) {
				tr = TR_URING_NOCQE32;
			}
			if (tr == TR_URING_NOCQE32 && !w->have_ring2)
				tr = TR_URING;
			/* a block device has no uring_cmd: ioctls only */
			if (path == P_KBLK && (tr == TR_URING || tr == TR_URING_NOCQE32))
				tr = fz_pct(&w->r, 50) ? TR_IOCTL64 : TR_IOCTL32;
			place_buffer(w, c, &g, w->slot[k], &d->env, tr);
			if (G_meta_bug && path != P_CDEV)
				memset(&g.payload[32], 0, 4);	/* metadata_len */
			if (fd < 0)
				fd = d->fd_rw;
			memcpy(x.payload, g.payload, 80);
			if (tr == TR_IOCTL32 || tr == TR_IOCTL64 || (tr == TR_VEC && fz_pct(&w->r, 50))) {
				x.clean = is_clean(w, c, &g, d, fd, tr, swap, true, path);
				send_ioctl(w, &x, fd, &g, tr == TR_VEC ? TR_VEC : tr, swap, knsid);
				continue;
			}
			x.clean = is_clean(w, c, &g, d, fd, tr, swap, false, path);
			x.tr = tr;
			x.by_ring = true;
			if (tr == TR_URING_NOCQE32)
				ring = &w->ring2;
			sqe = io_uring_get_sqe(ring);
			if (!sqe)
				break;
			memset(sqe, 0, 128);
			sqe->opcode = IORING_OP_URING_CMD;
			sqe->fd = fd;
			sqe->cmd_op = c->fe == FZ_FE_UBLK ? c->cmd_op : nvme_uring_op(w, c, tr, swap);
			if (fz_pct(&w->r, c->flags & FZ_C_ASYNC_OK ? 10 : 3))
				sqe->flags |= IOSQE_ASYNC;
			sqe->user_data = k;
			memcpy(sqe->cmd, g.payload, 80);
			w->infl[k] = x;
			w->tr[path][tr]++;
			if (ring == &w->ring2) {	/* alone, now */
				beat(w, "io_uring_submit (no CQE32)");
				io_uring_submit(ring);
				if (!reap(w, ring, 1))
					return NULL;
				continue;
			}
			queued++;
		}
		if (queued) {
			int ret;

			beat(w, "io_uring_submit");
			ret = io_uring_submit(&w->ring);

			if (ret < 0 && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY)
				printf("# worker %d: io_uring_submit: %s\n", w->id, strerror(-ret));
			if (!reap(w, &w->ring, queued))
				return NULL;
		}
	}
	return NULL;
}

static void *work(void *arg)
{
	struct worker *w = arg;

	work_loop(w);
	__atomic_store_n(&w->done, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&G.wdone[w->id], 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/*
 * An ioctl (or a controller reset) that has not returned in WAIT_SECS: the
 * campaign fails now, with the command, the blocked tasks' stacks in the
 * kernel log (sysrq w) and the result lines; the process may then not be
 * able to exit (its thread sleeps in the kernel), which the runner's
 * timeout ends.
 */
static void hung_sync(const char *who, const struct sent *x, double secs)
{
	char line[256];
	int fd = open("/dev/kmsg", O_WRONLY);

	snprintf(line, sizeof(line), "fuzz_cmds: %s did not return in %.0f s: %s", who, secs,
		 x ? fz_cmds[x->cmd].name : "");
	if (fd >= 0) {
		if (write(fd, line, strlen(line)) < 0)
			printf("# /dev/kmsg: %s\n", strerror(errno));
		close(fd);
	}
	printf("# %s did not return in %.0f s", who, secs);
	if (x) {
		printf(": %s on drive slot %d (%s, %s), payload:", fz_cmds[x->cmd].name, x->drive,
		       path_names[x->path], tr_names[x->tr]);
		for (unsigned int b = 0; b < 80; b += 8)
			printf(" %016" PRIx64, *(uint64_t *)&x->payload[b]);
	}
	printf("\n");
	dump_state();
	printf("not ok 1 fuzz_cmds # seed %" PRIu64 ": a command hung\n", G.seed);
	printf("not ok 2 fuzz_cmds.nvme_ctrl # seed %" PRIu64 ": a command hung\n", G.seed);
	printf("# Totals: pass:0 fail:2 xfail:0 xpass:0 skip:0 error:0\n");
	fflush(stdout);
	_exit(1);
}

/* Wait for the workers, failing the campaign on an ioctl that hangs. */
static void watch(int nw)
{
	for (;;) {
		int64_t t = now() * 1000, since;
		int i, alive = 0;

		for (i = 0; i < nw; i++) {
			int64_t b = __atomic_load_n(&W[i].beat, __ATOMIC_SEQ_CST);

			alive += !__atomic_load_n(&W[i].done, __ATOMIC_SEQ_CST);
			/* reap's own timeout is WAIT_SECS: beyond it and a margin, a syscall hangs */
			if (b && !W[i].done && t - b > (WAIT_SECS + 15) * 1000) {
				char who[96];

				snprintf(who, sizeof(who), "worker %d (%s)", i, W[i].phase);
				hung_sync(who, NULL, (t - b) / 1000.0);
			}
			since = __atomic_load_n(&W[i].ioctl_since, __ATOMIC_SEQ_CST);
			if (since && t - since > WAIT_SECS * 1000) {
				char who[64];

				snprintf(who, sizeof(who), "worker %d's ioctl", i);
				hung_sync(who, &W[i].in_ioctl, (t - since) / 1000.0);
			}
		}
		since = __atomic_load_n(&G.reset_since, __ATOMIC_SEQ_CST);
		if (since && t - since > WAIT_SECS * 1000)
			hung_sync("a controller reset", NULL, (t - since) / 1000.0);
		if (!alive)
			return;
		usleep(200000);
	}
}

/* --- report --------------------------------------------------------------------- */

static void key_name(int32_t key, const struct fz_cmd *c, char *buf, size_t len)
{
	if (key == 0)
		snprintf(buf, len, "ok");
	else if (key > 0 && c->fe == FZ_FE_UBLK)
		snprintf(buf, len, "ok>0");
	else if (key > 0)
		snprintf(buf, len, "sc%#x", key);
	else
		snprintf(buf, len, "%s", strerrorname_np(-key) ?: "E?");
}

/*
 * Merge the workers' counts of one table (@p: 0 the command device, 1 the
 * controller's nodes); print them; the commands that never succeeded.
 */
static int report(int nw, int p, uint64_t *total)
{
	struct cstat all;
	int ci, i, k, j, missing = 0;

	*total = 0;
	printf("# %s:\n", p ? "through the controller's nodes (/dev/nvmeX, /dev/ngXnY, /dev/nvmeXn1)" :
	       "through the command device (/dev/uringblkcN, its namespace nodes)");
	printf("# %-24s %9s %9s  results (count)\n", "command", "sent", "ok");
	for (ci = 0; ci < (int)fz_nr_cmds; ci++) {
		const struct fz_cmd *c = &fz_cmds[ci];
		char line[1024], name[32];
		int len = 0, order[MAX_KEYS], no = 0;

		if (p && c->fe == FZ_FE_UBLK)
			continue;
		memset(&all, 0, sizeof(all));
		for (i = 0; i < nw; i++) {
			struct cstat *s = &W[i].st[p][ci];

			all.sent += s->sent;
			all.ok += s->ok;
			all.other += s->other;
			all.clean += s->clean;
			all.bad += s->bad;
			for (k = 0; k < MAX_SUBS; k++)
				all.sub_ok[k] += s->sub_ok[k];
			for (k = 0; k < MAX_KEYS && s->n[k]; k++) {
				for (j = 0; j < MAX_KEYS && all.n[j] && all.key[j] != s->key[k]; j++)
					;
				if (j == MAX_KEYS) {
					all.other += s->n[k];
					continue;
				}
				all.key[j] = s->key[k];
				all.n[j] += s->n[k];
			}
		}
		*total += all.sent;
		for (k = 0; k < MAX_KEYS && all.n[k]; k++)
			order[no++] = k;
		for (i = 1; i < no; i++)	/* by count, largest first */
			for (k = i; k > 0 && all.n[order[k]] > all.n[order[k - 1]]; k--) {
				j = order[k];
				order[k] = order[k - 1];
				order[k - 1] = j;
			}
		line[0] = 0;
		for (i = 0; i < no && len < 900; i++) {
			key_name(all.key[order[i]], c, name, sizeof(name));
			len += snprintf(line + len, sizeof(line) - len, " %s:%" PRIu64, name,
					all.n[order[i]]);
		}
		if (all.other)
			snprintf(line + len, sizeof(line) - len, " other:%" PRIu64, all.other);
		printf("# %-24s %9" PRIu64 " %9" PRIu64 " %s%s\n", c->name, all.sent, all.ok, line,
		       c->flags & FZ_C_PENDING ? "  [pending]" : c->flags & FZ_C_NEG ?
		       "  [never succeeds]" : "");
		for (k = 0, j = 0; c->reached && k < MAX_KEYS && all.n[k]; k++)
			if (all.key[k] == c->reached)
				j = 1;
		if (!(c->flags & (FZ_C_PENDING | FZ_C_NEG)) && !all.ok && !j) {
			/*
			 * Through the controller a short campaign may miss a
			 * command that needs a loaded, active program and a set
			 * (Execute Program on the debug kernel, 182 sent): the
			 * command device's table requires it, the controller's
			 * from KSUB_MIN commands, as for the keys.
			 */
			bool req = !p || G.target >= KSUB_MIN;

			printf("# %s: not one success in %" PRIu64 ": its handler was not reached%s\n",
			       c->name, all.sent,
			       req ? "" : " (not required below " KSUB_MIN_S " commands)");
			if (req)
				missing++;
		}
		if (c->subs) {
			printf("#   %s successes by key:", c->name);
			for (k = 0; k < MAX_SUBS && c->subs[k] != FZ_SUB_END; k++)
				printf(" %#x:%" PRIu64, c->subs[k], all.sub_ok[k]);
			printf("\n");
		}
		for (k = 0; c->subs && k < MAX_SUBS && c->subs[k] != FZ_SUB_END; k++) {
			if (all.sub_ok[k])
				continue;
			/*
			 * With the controller, each table gets half of the NVMe
			 * commands: a rare key (one FID of Set Features) may miss
			 * either half of a short campaign by chance, so below
			 * KSUB_MIN neither table requires it then.
			 */
			bool req = G.target >= KSUB_MIN || (!p && !G.have_ctrl);

			printf("# %s: key %#x (CNS/CSI, LID, FID) never succeeded: its handler "
			       "was not reached%s\n", c->name, c->subs[k],
			       req ? "" : " (not required below " KSUB_MIN_S " commands)");
			if (req)
				missing++;
		}
		if (c->clean_ok)
			printf("#   %s: %" PRIu64 " clean, %" PRIu64 " with a result not in its "
			       "list\n", c->name, all.clean, all.bad);
		if (all.bad) {
			G.bad += all.bad;
			missing++;
		}
	}
	return missing;
}

/*
 * Sent and succeeded per node kind and transport; on the controller's
 * nodes every transport must have had successes (not one means nvme-core
 * or the controller refused all of its kind).
 */
static int report_transports(int nw)
{
	uint64_t tr[P_NR][TR_NR] = { { 0 } }, ok[P_NR][TR_NR] = { { 0 } }, status[0x800] = { 0 };
	int i, k, p, missing = 0;

	for (i = 0; i < nw; i++) {
		for (p = 0; p < P_NR; p++)
			for (k = 0; k < TR_NR; k++) {
				tr[p][k] += W[i].tr[p][k];
				ok[p][k] += W[i].tr_ok[p][k];
			}
		for (k = 0; k < 0x800; k++)
			status[k] += W[i].status[k];
	}
	for (p = 0; p < P_NR; p++) {
		if (p && !G.have_ctrl)
			continue;
		printf("# by transport, %s (sent/ok):", path_names[p]);
		for (k = 0; k < TR_NR; k++)
			if (tr[p][k] || p != P_KBLK)
				printf(" %s %" PRIu64 "/%" PRIu64 ";", tr_names[k], tr[p][k], ok[p][k]);
		printf("\n");
	}
	for (p = P_KCHR; G.have_ctrl && p < P_NR; p++)
		for (k = 0; k < TR_NR; k++) {
			/* without CQE32 nvme-core refuses all (-EOPNOTSUPP); no uring_cmd on a bdev */
			if (k == TR_URING_NOCQE32 || (p == P_KBLK && k == TR_URING))
				continue;
			/*
			 * vectored on the block node, about 1 in 1000 commands
			 * and 1 in 15 of those succeeding, may have none in the
			 * suite's 20000: required from 100 sent
			 */
			if (!ok[p][k]) {
				printf("# %s by %s: not one success in %" PRIu64 "%s\n", path_names[p],
				       tr_names[k], tr[p][k], tr[p][k] < 100 ? " (not required below "
				       "100 sent)" : "");
				if (tr[p][k] >= 100)
					missing++;
			}
		}
	printf("# statuses of failed uringblk commands (big_cqe[0]):");
	for (k = 0; k < 0x800; k++)
		if (status[k])
			printf(" %#x:%" PRIu64, k, status[k]);
	printf("\n");
	return missing;
}

/* --- main ---------------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr, "usage: fuzz_cmds [-n COMMANDS] [-s SEED] [-t THREADS] [-v]\n"
			"       fuzz_cmds --check-gen [-s SEED] [-n ROUNDS]\n");
	exit(2);
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : def;
}

static void totals(int pass, int fail, int skip)
{
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n", pass, fail, skip);
}

int main(int argc, char **argv)
{
	pthread_t tdrv, tprog;
	bool check_gen = false, have_cfg, have_n = false;
	int nw, i, k, missing, kmissing = 0, ret, zidx = -1, opt;
	pthread_t treset;
	const char *no_ctrl = NULL;
	bool ctrl_dead = false, fail1;
	struct utsname uts;
	uint64_t total;
	double t0, dt;
	struct io_uring ring;
	struct fz_env e;
	int fd;

	G.target = env_u64("URINGBLK_FUZZ_CMDS", 20000);
	G.seed = env_u64("URINGBLK_FUZZ_SEED", 0);
	nw = env_u64("URINGBLK_FUZZ_THREADS", 4);
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--check-gen")) {
			check_gen = true;
			memmove(&argv[i], &argv[i + 1], (argc - i) * sizeof(*argv));
			argc--;
			break;
		}
	while ((opt = getopt(argc, argv, "n:s:t:v")) != -1) {
		switch (opt) {
		case 'n':
			G.target = strtoull(optarg, NULL, 0);
			have_n = true;
			break;
		case 's':
			G.seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			nw = atoi(optarg);
			break;
		case 'v':
			G.verbose = true;
			break;
		default:
			usage();
		}
	}
	if (!G.seed)
		G.seed = (uint64_t)time(NULL) * 2654435761ULL ^ getpid();
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..%d\n", check_gen ? 1 : 2);
	printf("# fuzz_cmds: seed %" PRIu64 " (rerun: fuzz_cmds -s %" PRIu64 ")\n", G.seed, G.seed);

	if (check_gen) {
		int fails = fz_check_gen(G.seed, have_n ? G.target : 2000, G.verbose);

		printf("# generator: %u commands in the table, %u programs: %d failures\n",
		       fz_nr_cmds, fz_nr_progs, fails);
		printf("%s 1 fuzz_cmds.check_gen\n", fails ? "not ok" : "ok");
		totals(!fails, !!fails, 0);
		return fails ? 1 : 0;
	}
	if (nw < 1 || nw > MAX_WORKERS)
		usage();
	G.nworkers = nw;
	/* the generator first: a broken table would make a campaign meaningless */
	ret = fz_check_gen(G.seed, 200, G.verbose);
	if (ret) {
		printf("not ok 1 fuzz_cmds # the generator's self-check: %d failures\n", ret);
		totals(0, 1, 0);
		return 1;
	}

	/*
	 * The drives as controllers of the kernel's NVMe driver too, if the
	 * module has it: a module built without nvme-core's header refuses
	 * nvme_ctrl=1 (-EOPNOTSUPP, nvme_ctrl.h), and the campaign then runs on
	 * the command device alone and says so (test 2 skipped).
	 */
	if (!uname(&uts)) {
		unsigned int maj = 0, min = 0;

		sscanf(uts.release, "%u.%u", &maj, &min);
		G_fine_perm = maj > 6 || (maj == 6 && min >= 2);
		G_meta_bug = maj == 6 && min < 2;
	}
	if (!env_u64("URINGBLK_FUZZ_CTRL", 1))
		no_ctrl = "URINGBLK_FUZZ_CTRL=0";
	ret = no_ctrl ? -EOPNOTSUPP : ubt_module_reload(PARAMS " nvme_ctrl=1");
	if (ret == -EOPNOTSUPP) {
		if (!no_ctrl)
			no_ctrl = "the module was built without the NVMe controller (nvme-core's header: tools/nvme-src)";
		ret = ubt_module_reload(PARAMS);
	} else if (!ret) {
		G.have_ctrl = true;
	}
	if (ret == -ENOENT) {
		printf("ok 1 fuzz_cmds # SKIP URINGBLK_KO not set\n");
		totals(0, 0, 1);
		return 4;
	}
	if (ret) {
		printf("not ok 1 fuzz_cmds # loading the module: %s\n", strerror(-ret));
		totals(0, 1, 0);
		return 1;
	}
	G.ro_area = mmap(NULL, MAIN_LEN, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	G.none_area = mmap(NULL, 256 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (i = 0; i < nw; i++) {
		W[i].id = i;
		fz_rng_seed(&W[i].r, G.seed + 0x1000193ULL * (i + 1));
		W[i].unpriv = nw >= 3 && i == 1;
		ret = io_uring_queue_init(2 * NSLOT, &W[i].ring,
					  IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
		W[i].have_ring2 = io_uring_queue_init(4, &W[i].ring2, IORING_SETUP_SQE128) == 0;
		for (k = 0; k < NSLOT; k++) {
			W[i].slot[k] = mmap(NULL, SLOT_LEN, PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (W[i].slot[k] == MAP_FAILED) {
				ret = -ENOMEM;
				break;
			}
			mprotect(W[i].slot[k] + AUX_LEN + MAIN_LEN, 4096, PROT_NONE);
		}
		for (k = 0; k < NR_DRIVES; k++) {
			struct wdrive *d = &W[i].d[k];

			d->fd_rw = d->fd_ro = d->fd_n2 = d->fd_n3 = -1;
			d->fd_ctrl = d->fd_blk = -1;
			d->fd_ng[0] = d->fd_ng[1] = d->fd_ng[2] = d->fd_ng[3] = -1;
		}
		if (ret) {
			printf("not ok 1 fuzz_cmds # worker setup: %s\n", strerror(-ret));
			totals(0, 1, 0);
			return 1;
		}
	}

	/* uringblk0 and a zoned runtime drive stay; a third comes and goes */
	fd = ubt_open_cdev(0, O_RDWR);
	if (fd < 0 || ubt_ring_init(&ring, 0) || drive_env(&ring, fd, &e)) {
		printf("not ok 1 fuzz_cmds # uringblk0: cannot identify\n");
		totals(0, 1, 0);
		return 1;
	}
	drive_publish(0, true, 0, &e);
	close(fd);
	if (access("/sys/kernel/config", F_OK) == 0 && access(CFG_ROOT, F_OK) != 0)
		mount("configfs", "/sys/kernel/config", "configfs", 0, NULL);
	have_cfg = access(CFG_ROOT, F_OK) == 0;
	if (have_cfg)
		zidx = cfg_create(CFG_ZONED, true, "32");
	if (zidx >= 0 && (fd = ubt_open_cdev(zidx, O_RDWR)) >= 0) {
		if (drive_env(&ring, fd, &e) == 0)
			drive_publish(1, true, zidx, &e);
		close(fd);
	}
	if (zidx < 0)
		printf("# no zoned runtime drive (%s): zone commands cannot succeed\n",
		       have_cfg ? strerror(-zidx) : "no configfs");
	if (G.have_ctrl) {
		for (k = 0; k < 2; k++) {
			const struct ctrl_nodes *n = &G.drives[k].nodes;

			if (k == 1 && zidx < 0)
				break;
			/*
			 * The zoned drive's ZNS namespace (NSID 1) may still be
			 * in nvme-core's scan after 30 s on a loaded host (its
			 * revalidation reads every zone): its commands then go
			 * through the command device alone, said here; the
			 * controller and its other nodes must be there.
			 */
			if (k == 1 && n->ctrl >= 0 && n->ng[2][0] && n->ng[3][0] &&
			    (!n->ng[1][0] || !n->blk[0]))
				printf("# uringblk%d's ZNS namespace is not on its controller (nvme%d) "
				       "after 30 s: its I/O goes to the command device alone\n",
				       G.drives[k].idx, n->ctrl);
			else if (n->ctrl < 0 || !n->ng[1][0] || !n->ng[2][0] || !n->ng[3][0] ||
				 !n->blk[0]) {
				printf("not ok 1 fuzz_cmds # uringblk%d's controller or its nodes did not "
				       "appear (nvme%d)\n", G.drives[k].idx, n->ctrl);
				totals(0, 1, 0);
				return 1;
			}
			printf("# uringblk%d: controller nvme%d, %s %s %s, block node %s\n",
			       G.drives[k].idx, n->ctrl, n->ng[1], n->ng[2], n->ng[3], n->blk);
		}
		printf("# NVMe commands go half to the command device, half to the controller's "
		       "nodes; controller resets race them (%s permissions)\n",
		       G_fine_perm ? "6.2+ passthrough" : "6.1 passthrough: CAP_SYS_ADMIN for all");
	} else {
		printf("# no NVMe controller: %s; the kernel's nodes are not fuzzed (test 2 skipped)\n",
		       no_ctrl);
	}
	printf("# %" PRIu64 " commands, %d workers (worker 1 without CAP_SYS_ADMIN: %s), "
	       "%u table entries\n", G.target, nw, nw >= 3 ? "yes" : "no", fz_nr_cmds);

	t0 = G.t0 = now();
	if (have_cfg)
		pthread_create(&tdrv, NULL, churn_drives, NULL);
	pthread_create(&tprog, NULL, churn_progs, NULL);
	if (G.have_ctrl)
		pthread_create(&treset, NULL, churn_resets, NULL);
	for (i = 0; i < nw; i++)
		pthread_create(&W[i].thread, NULL, work, &W[i]);
	watch(nw);
	for (i = 0; i < nw; i++)
		pthread_join(W[i].thread, NULL);
	__atomic_store_n(&G.stop, 1, __ATOMIC_RELAXED);
	pthread_join(tprog, NULL);
	if (G.have_ctrl)
		pthread_join(treset, NULL);
	if (have_cfg)
		pthread_join(tdrv, NULL);
	dt = now() - t0;

	missing = report(nw, 0, &total);
	if (G.have_ctrl) {
		uint64_t ktotal;

		kmissing = report(nw, 1, &ktotal);
		total += ktotal;
	}
	kmissing += report_transports(nw);
	printf("# %" PRIu64 " commands in %.1f s (%.0f/s); drive removals %lu (%lu failed steps), "
	       "program unloads by the churn %lu, range set deletes %lu\n", total, dt,
	       total / (dt > 0 ? dt : 1), G.churns, G.churn_fail, G.unloads, G.rs_deletes);
	printf("# NVMe CP churn: %lu programs loaded (%lu pieces), %lu pieces out of order "
	       "refused, %lu hostile programs (%lu taken by the validator, unloaded unrun), "
	       "%lu Execute Programs (%lu ran to their end), %lu unexplained results\n",
	       G.cp_loads, G.cp_pieces, G.cp_ooo, G.cp_hostile, G.cp_hostile_loaded, G.cp_execs,
	       G.cp_exec_ok, G.cp_bad);
	/* the flow must have run, and run programs, in any campaign (each round loads) */
	if (!G.cp_loads || !G.cp_exec_ok || G.cp_bad)
		missing++;
	if (G.have_ctrl) {
		printf("# controller resets: %lu done (%lu by NVME_IOCTL_RESET, %lu by sysfs "
		       "reset_controller tried), %lu of the churned drive refused as it went, "
		       "%lu failed on a drive that stays\n", G.resets, G.resets_ioctl,
		       G.resets_sysfs, G.reset_gone, G.reset_bad);
		printf("# clean URING_CMDs on the controller's nodes answered -EFAULT by the host's "
		       "io-wq x32 bug (kclean_ok()): %lu, %lu of them while a reset ran\n",
		       G.x32_efault, G.x32_efault_reset);
		/* the controllers of the drives that stay are live after all of it */
		for (k = 0; k < 2; k++) {
			char path[96], state[32] = "?";

			if (!G.drives[k].present || G.drives[k].nodes.ctrl < 0)
				continue;
			snprintf(path, sizeof(path), "/sys/class/nvme/nvme%d/state",
				 G.drives[k].nodes.ctrl);
			ubt_read_str(path, state, sizeof(state));
			if (strcmp(state, "live")) {
				printf("# nvme%d (uringblk%d) is %s after the campaign\n",
				       G.drives[k].nodes.ctrl, G.drives[k].idx, state);
				ctrl_dead = true;
			}
		}
		if (!G.resets || G.reset_bad || ctrl_dead)
			kmissing++;
	}

	for (i = 0; i < nw; i++) {
		for (k = 0; k < NR_DRIVES; k++) {
			close_fd(&W[i].d[k].fd_rw);
			close_fd(&W[i].d[k].fd_ro);
			close_fd(&W[i].d[k].fd_n2);
			close_fd(&W[i].d[k].fd_n3);
			close_kernel_nodes(&W[i].d[k]);
		}
		io_uring_queue_exit(&W[i].ring);
		if (W[i].have_ring2)
			io_uring_queue_exit(&W[i].ring2);
	}
	io_uring_queue_exit(&ring);
	if (have_cfg) {
		cfg_remove(CFG_CHURN);
		cfg_remove(CFG_ZONED);
	}
	/* the driver must stay unloadable after all of it (waits up to 10 s) */
	ret = ubt_module_unload();
	if (ret)
		printf("# rmmod uringblk after the campaign: %s\n", strerror(-ret));
	if (total < G.target)
		printf("# only %" PRIu64 " of %" PRIu64 " commands were sent\n", total, G.target);

	fail1 = missing || ret || G.hung || total < G.target;
	if (fail1)
		printf("not ok 1 fuzz_cmds # seed %" PRIu64 ": %d command(s) or keys never succeeded "
		       "or answered clean commands unexpectedly (%" PRIu64 ")%s%s\n",
		       G.seed, missing, G.bad, G.hung ? ", a command hung" : "",
		       ret ? ", the module stays loaded" : "");
	else
		printf("ok 1 fuzz_cmds # seed %" PRIu64 ", %" PRIu64 " commands\n", G.seed, total);
	if (!G.have_ctrl) {
		printf("ok 2 fuzz_cmds.nvme_ctrl # SKIP %s\n", no_ctrl);
		totals(!fail1, fail1, 1);
		return fail1;
	}
	if (kmissing)
		printf("not ok 2 fuzz_cmds.nvme_ctrl # seed %" PRIu64 ": %d check(s) of the "
		       "controller's nodes failed (above)\n", G.seed, kmissing);
	else
		printf("ok 2 fuzz_cmds.nvme_ctrl # seed %" PRIu64 ", %lu controller resets\n",
		       G.seed, G.resets);
	totals(!fail1 + !kmissing, fail1 + !!kmissing, 0);
	return fail1 || kmissing;
}
