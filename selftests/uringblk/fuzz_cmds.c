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
 * while one thread creates and removes a runtime drive (configfs) that the
 * others are sending to, and one loads, activates, deactivates and unloads
 * programs and range sets under the EXECs.  One worker runs without
 * CAP_SYS_ADMIN.  The drives: uringblk0 (memory, SLM), a zoned runtime
 * drive, and the churned one.
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
 * complete within 120 s, or if the module cannot be unloaded afterwards.
 * A kernel report (KASAN, lockdep, UBSAN, WARNING...) fails the test in
 * selftests/run_in_vm.sh.
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

/* --- the workers -------------------------------------------------------------- */

enum tr { TR_URING, TR_URING_NOCQE32, TR_IOCTL32, TR_IOCTL64, TR_VEC, TR_NR };
static const char *const tr_names[TR_NR] = {
	"uring_cmd", "uring_cmd(no CQE32)", "ioctl", "ioctl64", "vectored"
};

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
	uint8_t		payload[80];
};

struct wdrive {
	unsigned int	gen;
	bool		ok;
	int		fd_rw, fd_ro, fd_n2, fd_n3;
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
	struct cstat	st[64];
	uint64_t	tr[TR_NR];
	uint64_t	status[0x800];	/* big_cqe[0] of failed uringblk commands */
	/* what each SQE in flight is */
	struct sent	infl[NSLOT];
};

static struct worker W[MAX_WORKERS];

static void count(struct worker *w, int ci, int32_t key, bool ok)
{
	struct cstat *s = &w->st[ci];
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
		/* a removed drive's fds are kept a little: commands on them must fail cleanly */
		if (snap.present || fz_pct(&w->r, 30)) {
			close_fd(&d->fd_rw);
			close_fd(&d->fd_ro);
			close_fd(&d->fd_n2);
			close_fd(&d->fd_n3);
		}
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

/*
 * One command done: count its result, check a clean one's, note which
 * handler below the opcode succeeded, and keep the ids the drive gave out
 * (a uringblk command's res; an NVMe command's result, DW0).
 */
static void completed(struct worker *w, const struct sent *x, int res, uint64_t res2)
{
	const struct fz_cmd *c = &fz_cmds[x->cmd];
	struct cstat *s = &w->st[x->cmd];
	bool ok;
	int32_t key = res_key(c, res, &ok, 0);
	unsigned int i;

	count(w, x->cmd, key, ok);
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
	if (clean_ok(w, c, res))
		return;
	if (s->bad++ < BAD_SHOWN) {
		printf("# worker %d: %s (clean, drive slot %d) answered %d (%#x), payload:",
		       w->id, c->name, x->drive, res, res > 0 ? res : 0);
		for (i = 0; i < 80; i += 8)
			printf(" %016" PRIx64, *(uint64_t *)&x->payload[i]);
		printf("\n");
	}
}

/* One NVMe command by ioctl, now. */
static void send_ioctl(struct worker *w, struct sent *x, int fd, struct fz_gen_out *g,
		       int tr, bool swap)
{
	const struct fz_cmd *c = &fz_cmds[x->cmd];
	bool admin = c->fe == FZ_FE_NVME_ADMIN;
	int ci = x->cmd;
	uint64_t result;
	int ret;

	if (c->fe == FZ_FE_NVME_ID) {
		bool ok;

		ret = nvme_ioctl(fd, NVME_IOCTL_ID, NULL);
		count(w, ci, res_key(c, ret, &ok, 1), ret > 0);
		w->tr[TR_IOCTL32]++;
		return;
	}
	if (swap)	/* the other kind's ioctl */
		admin = !admin;
	if (tr == TR_IOCTL32) {
		struct nvme_passthru_cmd pc;

		memcpy(&pc, g->payload, offsetof(struct nvme_passthru_cmd, result));
		pc.result = 0;
		ret = nvme_ioctl(fd, admin ? NVME_IOCTL_ADMIN_CMD : NVME_IOCTL_IO_CMD, &pc);
		result = pc.result;
	} else {
		struct nvme_passthru_cmd64 pc;

		memcpy(&pc, g->payload, offsetof(struct nvme_passthru_cmd64, result));
		pc.result = 0;
		ret = nvme_ioctl(fd, tr == TR_VEC ? NVME_IOCTL_IO64_CMD_VEC :
				 admin ? NVME_IOCTL_ADMIN64_CMD : NVME_IOCTL_IO64_CMD, &pc);
		result = pc.result;
	}
	w->tr[tr]++;
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

/* Wait for @n completions; false if one did not come in time. */
static bool reap(struct worker *w, struct io_uring *ring, unsigned int n)
{
	struct __kernel_timespec ts = { .tv_sec = WAIT_SECS };
	struct io_uring_cqe *cqe;

	while (n) {
		int ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);

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
 * hostile one (whose fields take any of their values)?
 */
static bool is_clean(struct worker *w, const struct fz_cmd *c, const struct fz_gen_out *g,
		     const struct wdrive *d, int fd, int tr, bool swap, bool ioctl)
{
	int di = d - w->d, want;

	if (!c->clean_ok || g->hostile || g->mutated || g->content_mut || swap || di == 2)
		return false;
	if (c->flags & FZ_C_ZONED ? di != 1 : c->flags & FZ_C_NOZONED ? di != 0 : false)
		return false;
	want = c->fe == FZ_FE_NVME_IO && c->ns == FZ_NS_CP ? d->fd_n2 :
	       c->fe == FZ_FE_NVME_IO && c->ns == FZ_NS_SLM ? d->fd_n3 : d->fd_rw;
	if (fd != want || fd < 0 || tr == TR_URING_NOCQE32)
		return false;
	if (tr == TR_VEC && (c->fe == FZ_FE_NVME_ADMIN ? ioctl : c->ns != FZ_NS_NVM))
		return false;
	return true;
}

static void *work(void *arg)
{
	struct worker *w = arg;
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
		refresh(w);
		for (k = 0; k < batch; k++) {
			int ci = fz_below(&w->r, fz_nr_cmds);
			const struct fz_cmd *c = &fz_cmds[ci];
			struct wdrive *d = pick_drive(w, c);
			struct fz_gen_out g;
			struct io_uring_sqe *sqe;
			struct io_uring *ring = &w->ring;
			int tr = TR_URING, fd = pick_fd(w, c, d);
			bool swap = c->fe != FZ_FE_UBLK && fz_pct(&w->r, 3);
			struct sent x = { .cmd = ci, .drive = d - w->d };

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
			place_buffer(w, c, &g, w->slot[k], &d->env, tr);
			if (fd < 0)
				fd = d->fd_rw;
			memcpy(x.payload, g.payload, 80);
			if (tr == TR_IOCTL32 || tr == TR_IOCTL64 || (tr == TR_VEC && fz_pct(&w->r, 50))) {
				x.clean = is_clean(w, c, &g, d, fd, tr, swap, true);
				send_ioctl(w, &x, fd, &g, tr == TR_VEC ? TR_VEC : tr, swap);
				continue;
			}
			x.clean = is_clean(w, c, &g, d, fd, tr, swap, false);
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
			w->tr[tr]++;
			if (ring == &w->ring2) {	/* alone, now */
				io_uring_submit(ring);
				if (!reap(w, ring, 1))
					return NULL;
				continue;
			}
			queued++;
		}
		if (queued) {
			int ret = io_uring_submit(&w->ring);

			if (ret < 0 && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY)
				printf("# worker %d: io_uring_submit: %s\n", w->id, strerror(-ret));
			if (!reap(w, &w->ring, queued))
				return NULL;
		}
	}
	return NULL;
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

/* Merge the workers' counts; print them; the commands that never succeeded. */
static int report(int nw, uint64_t *total)
{
	struct cstat all;
	uint64_t tr[TR_NR] = { 0 }, status[0x800] = { 0 };
	int ci, i, k, j, missing = 0;

	*total = 0;
	printf("# %-24s %9s %9s  results (count)\n", "command", "sent", "ok");
	for (ci = 0; ci < (int)fz_nr_cmds; ci++) {
		const struct fz_cmd *c = &fz_cmds[ci];
		char line[1024], name[32];
		int len = 0, order[MAX_KEYS], no = 0;

		memset(&all, 0, sizeof(all));
		for (i = 0; i < nw; i++) {
			struct cstat *s = &W[i].st[ci];

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
			printf("# %s: not one success in %" PRIu64 ": its handler was not reached\n",
			       c->name, all.sent);
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
			printf("# %s: key %#x (CNS/CSI, LID, FID) never succeeded: its handler "
			       "was not reached\n", c->name, c->subs[k]);
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
	for (i = 0; i < nw; i++) {
		for (k = 0; k < TR_NR; k++)
			tr[k] += W[i].tr[k];
		for (k = 0; k < 0x800; k++)
			status[k] += W[i].status[k];
	}
	printf("# by transport:");
	for (k = 0; k < TR_NR; k++)
		printf(" %s %" PRIu64 ";", tr_names[k], tr[k]);
	printf("\n# statuses of failed uringblk commands (big_cqe[0]):");
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
	int nw, i, k, missing, ret, zidx = -1, opt;
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
	printf("TAP version 13\n1..1\n");
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
	/* the generator first: a broken table would make a campaign meaningless */
	ret = fz_check_gen(G.seed, 200, G.verbose);
	if (ret) {
		printf("not ok 1 fuzz_cmds # the generator's self-check: %d failures\n", ret);
		totals(0, 1, 0);
		return 1;
	}

	ret = ubt_module_reload(PARAMS);
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
			W[i].d[k].fd_rw = W[i].d[k].fd_ro = W[i].d[k].fd_n2 = W[i].d[k].fd_n3 = -1;
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
	printf("# %" PRIu64 " commands, %d workers (worker 1 without CAP_SYS_ADMIN: %s), "
	       "%u table entries\n", G.target, nw, nw >= 3 ? "yes" : "no", fz_nr_cmds);

	t0 = G.t0 = now();
	if (have_cfg)
		pthread_create(&tdrv, NULL, churn_drives, NULL);
	pthread_create(&tprog, NULL, churn_progs, NULL);
	for (i = 0; i < nw; i++)
		pthread_create(&W[i].thread, NULL, work, &W[i]);
	for (i = 0; i < nw; i++)
		pthread_join(W[i].thread, NULL);
	__atomic_store_n(&G.stop, 1, __ATOMIC_RELAXED);
	pthread_join(tprog, NULL);
	if (have_cfg)
		pthread_join(tdrv, NULL);
	dt = now() - t0;

	missing = report(nw, &total);
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

	for (i = 0; i < nw; i++) {
		for (k = 0; k < NR_DRIVES; k++) {
			close_fd(&W[i].d[k].fd_rw);
			close_fd(&W[i].d[k].fd_ro);
			close_fd(&W[i].d[k].fd_n2);
			close_fd(&W[i].d[k].fd_n3);
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

	if (missing || ret || G.hung || total < G.target) {
		printf("not ok 1 fuzz_cmds # seed %" PRIu64 ": %d command(s) or keys never succeeded "
		       "or answered clean commands unexpectedly (%" PRIu64 ")%s%s\n",
		       G.seed, missing, G.bad, G.hung ? ", a command hung" : "",
		       ret ? ", the module stays loaded" : "");
		totals(0, 1, 0);
		return 1;
	}
	printf("ok 1 fuzz_cmds # seed %" PRIu64 ", %" PRIu64 " commands\n", G.seed, total);
	totals(1, 0, 0);
	return 0;
}
