// SPDX-License-Identifier: GPL-2.0
/*
 * ZONE_APPEND through io_uring on the command device: where the data go
 * (lba_out_addr and big_cqe[0] must say the same), every refusal with its errno,
 * and many threads appending to the same zones at once with several
 * commands in flight each, some issued from io-wq (IOSQE_ASYNC): every
 * append gets its own LBA range, the ranges tile the zone from its start
 * without gaps or overlaps, every byte reads back, and the counters add up.
 *
 * Also: the page of an append's answer dropped and faulted back in again
 * and again while appends run (answer_page_zapped).
 *
 * Geometries: 512 B blocks with a conventional zone; 4 KiB blocks, zone
 * capacity half the zone size, max_open 2 and max_active 3.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "zone_lib.h"

FIXTURE(append) {
	struct ubz_dev d;
	uint8_t *buf;
	size_t buf_len;
};

FIXTURE_VARIANT(append) {
	const char *params;
};

FIXTURE_VARIANT_ADD(append, bs512_conv) {
	.params = "capacity_mb=64 zoned=1 zone_size_mb=4 zone_nr_conv=1",
};

FIXTURE_VARIANT_ADD(append, bs4096_cap_lt_size_limits) {
	.params = "capacity_mb=64 block_size=4096 zoned=1 zone_size_mb=8 zone_capacity_mb=4 zone_max_open=2 zone_max_active=3",
};

/* Appends on a file-backed zoned drive: its zone state is saved in the file. */
FIXTURE_VARIANT_ADD(append, file_bs4096_cap_lt_size_limits) {
	.params = "capacity_mb=64 block_size=4096 zoned=1 zone_size_mb=8 zone_capacity_mb=4 zone_max_open=2 zone_max_active=3 backing=file path=/var/tmp/ubt-zone_append.img",
};

FIXTURE_SETUP(append)
{
	int ret;

	UBT_SETUP_MODULE(ubt_module_reload, variant->params);
	ret = ubz_open(&self->d, 0);
	if (ret == -ENOTTY)
		UBT_SETUP_SKIP("the driver does not report URINGBLK_F_ZONED");
	ASSERT_EQ(0, ret);
	/* Room for the biggest append plus a block. */
	self->buf_len = self->d.zone_lbas * self->d.bs + self->d.id.max_zone_append +
			self->d.bs;
	self->buf = ubt_alloc(self->buf_len);
	ASSERT_NE(NULL, self->buf);
}

FIXTURE_TEARDOWN(append)
{
	uint64_t v = 1;

	if (self->d.cfd >= 0) {
		EXPECT_EQ(0, ubt_blk_attr_u64(0, "uringblk/in_flight", &v));
		EXPECT_EQ(0, v);
	}
	ubz_close(&self->d);
	if (self->buf)
		munmap(self->buf, self->buf_len);
}

TEST_F(append, lands_at_the_write_pointer)
{
	struct ubz_dev *d = &self->d;
	const uint32_t zno = ubz_seq(d, 0);
	const uint64_t s = ubz_lba(d, zno);
	uint64_t lba, res2;
	struct uringblk_zone z;
	struct io_uring plain;
	struct uringblk_cmd cmd;

	ubt_fill(self->buf, 8 * d->bs, 0, 1);
	lba = res2 = 12345;
	ASSERT_EQ(0, ubz_append(d, s, self->buf, d->bs, &lba, &res2));
	EXPECT_EQ(s, lba);
	EXPECT_EQ(s, res2);
	/* Only big_cqe[0]. */
	res2 = 0;
	ASSERT_EQ(0, ubz_append(d, s, self->buf + d->bs, 3 * d->bs, NULL, &res2));
	EXPECT_EQ(s + 1, res2);
	/* Only lba_out_addr, on a ring without CQE32. */
	ASSERT_EQ(0, io_uring_queue_init(4, &plain, IORING_SETUP_SQE128));
	ubt_cmd_init(&cmd, self->buf + 4 * d->bs, 4 * d->bs);
	cmd.zone_append.zone_lba = s;
	cmd.zone_append.lba_out_addr = (uintptr_t)&lba;
	EXPECT_EQ(0, ubt_uring_cmd(&plain, d->cfd, URINGBLK_CMD_ZONE_APPEND, &cmd, NULL));
	EXPECT_EQ(s + 4, lba);
	io_uring_queue_exit(&plain);

	ASSERT_EQ(0, ubz_zone(d, zno, &z));
	EXPECT_EQ(URINGBLK_ZONE_COND_IMP_OPEN, z.cond);
	EXPECT_EQ(s + 8, z.wp);
	EXPECT_EQ(3, z.write_ops);
	/* The block device reads what was appended, in order. */
	memset(self->buf, 0, 8 * d->bs);
	ASSERT_EQ(0, ubz_read(d, s, self->buf, 8));
	EXPECT_EQ(-1, ubt_check(self->buf, 8 * d->bs, 0, 1));
	/* A regular write at the write pointer continues after the appends. */
	ASSERT_EQ(0, ubz_write_pattern(d, s + 8, 2, 2));
	ASSERT_EQ(0, ubz_append(d, s, self->buf, d->bs, &lba, NULL));
	EXPECT_EQ(s + 10, lba);
	/* An explicitly open zone stays so; appends to a zone up to FULL. */
	ASSERT_EQ(0, ubz_mgmt(d, zno + 1, URINGBLK_ZONE_ACTION_OPEN));
	ASSERT_EQ(0, ubz_append(d, s + d->zone_lbas, self->buf, d->bs, &lba, NULL));
	EXPECT_EQ(URINGBLK_ZONE_COND_EXP_OPEN, ubz_cond(d, zno + 1));
}

TEST_F(append, errors)
{
	struct ubz_dev *d = &self->d;
	const uint32_t zno = ubz_seq(d, 0);
	const uint64_t s = ubz_lba(d, zno);
	const uint32_t bs = d->bs, max = d->id.max_zone_append;
	const uint64_t cap_bytes = d->zcap_lbas * bs;
	struct uringblk_stats st0, st;
	struct uringblk_cmd cmd;
	struct io_uring ring;
	uint8_t *hole;
	uint64_t lba;
	int rofd;

	ASSERT_LE(0, ubt_get_stats(&d->ring, d->cfd, &st0, 0));
	memset(self->buf, 0x3c, self->buf_len);
	/* Not a zone start; past the end. */
	EXPECT_EQ(-EINVAL, ubz_append(d, s + 1, self->buf, bs, &lba, NULL));
	EXPECT_EQ(-EINVAL, ubz_append(d, s + d->zone_lbas - 1, self->buf, bs, &lba, NULL));
	EXPECT_EQ(-ERANGE, ubz_append(d, d->nr_lbas, self->buf, bs, &lba, NULL));
	EXPECT_EQ(-ERANGE, ubz_append(d, ~0ULL, self->buf, bs, &lba, NULL));
	/* Lengths: zero, not whole blocks. */
	EXPECT_EQ(-EINVAL, ubz_append(d, s, self->buf, 0, &lba, NULL));
	EXPECT_EQ(-EINVAL, ubz_append(d, s, self->buf, bs - 1, &lba, NULL));
	EXPECT_EQ(-EINVAL, ubz_append(d, s, self->buf, bs + 1, &lba, NULL));
	EXPECT_EQ(-EINVAL, ubz_append(d, s, self->buf, 1, &lba, NULL));
	/* Bigger than the device's append limit. */
	EXPECT_EQ(-E2BIG, ubz_append(d, s, self->buf, max + bs, &lba, NULL));
	/* Bigger than the zone's capacity but within the append limit. */
	if (cap_bytes + bs <= max) {
		EXPECT_EQ(-ENOSPC, ubz_append(d, s, self->buf, cap_bytes + bs, &lba, NULL));
	}
	/* Reserved fields, unknown flags, unused words. */
	ubt_cmd_init(&cmd, self->buf, bs);
	cmd.zone_append.zone_lba = s;
	cmd.flags = 1;
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&d->ring, d->cfd, URINGBLK_CMD_ZONE_APPEND, &cmd, NULL));
	cmd.flags = 0;
	cmd.cdw[2] = 1;		/* past the ZONE_APPEND view */
	EXPECT_EQ(-EINVAL, ubt_uring_cmd(&d->ring, d->cfd, URINGBLK_CMD_ZONE_APPEND, &cmd, NULL));
	/* Faulting data or result address: nothing lands. */
	EXPECT_EQ(-EFAULT, ubz_append(d, s, NULL, bs, &lba, NULL));
	EXPECT_EQ(-EFAULT, ubz_append(d, s, self->buf, bs, (uint64_t *)8, NULL));
	hole = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	ASSERT_EQ(0, munmap(hole + 4096, 4096));
	/* The data run off the end of the mapping. */
	EXPECT_EQ(-EFAULT, ubz_append(d, s, hole + 4096 - bs, 2 * bs, &lba, NULL));
	munmap(hole, 4096);
	EXPECT_EQ(URINGBLK_ZONE_COND_EMPTY, ubz_cond(d, zno));
	EXPECT_EQ(0, ubz_check_zero(d, s, 8));
	/* A read-only command device. */
	rofd = ubt_open_cdev(0, O_RDONLY);
	ASSERT_LE(0, rofd);
	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	ubt_cmd_init(&cmd, self->buf, bs);
	cmd.zone_append.zone_lba = s;
	EXPECT_EQ(-EBADF, ubt_uring_cmd(&ring, rofd, URINGBLK_CMD_ZONE_APPEND, &cmd, NULL));
	io_uring_queue_exit(&ring);
	close(rofd);
	/* Conventional zones have no write pointer to append at. */
	if (d->nr_conv) {
		EXPECT_EQ(-EMEDIUMTYPE, ubz_append(d, 0, self->buf, bs, &lba, NULL));
		EXPECT_EQ(0, ubz_check_zero(d, 0, 1));
	}

	/* Fill to one block short of the capacity, then too much. */
	{
		uint64_t left = cap_bytes - bs;

		while (left) {
			uint32_t n = left < max ? left : max;

			ASSERT_EQ(0, ubz_append(d, s, self->buf, n, &lba, NULL));
			left -= n;
		}
	}
	EXPECT_EQ(URINGBLK_ZONE_COND_IMP_OPEN, ubz_cond(d, zno));
	EXPECT_EQ(-ENOSPC, ubz_append(d, s, self->buf, 2 * bs, &lba, NULL));
	EXPECT_EQ(URINGBLK_ZONE_COND_IMP_OPEN, ubz_cond(d, zno));
	ASSERT_EQ(0, ubz_append(d, s, self->buf, bs, &lba, NULL));
	EXPECT_EQ(s + d->zcap_lbas - 1, lba);
	EXPECT_EQ(URINGBLK_ZONE_COND_FULL, ubz_cond(d, zno));
	EXPECT_EQ(-ENOSPC, ubz_append(d, s, self->buf, bs, &lba, NULL));
	/* FINISH of an empty zone: appends refused too. */
	ASSERT_EQ(0, ubz_mgmt(d, zno + 1, URINGBLK_ZONE_ACTION_FINISH));
	EXPECT_EQ(-ENOSPC, ubz_append(d, ubz_lba(d, zno + 1), self->buf, bs, &lba, NULL));
	/* After a reset the zone takes appends again, from its start. */
	ASSERT_EQ(0, ubz_mgmt(d, zno, URINGBLK_ZONE_ACTION_RESET));
	ASSERT_EQ(0, ubz_append(d, s, self->buf, bs, &lba, NULL));
	EXPECT_EQ(s, lba);

	/* Only the successful appends counted; refusals are not I/O errors. */
	ASSERT_LE(0, ubt_get_stats(&d->ring, d->cfd, &st, 0));
	EXPECT_EQ(st0.errors, st.errors);
	EXPECT_EQ(cap_bytes + bs, st.zone_append_bytes - st0.zone_append_bytes);
	EXPECT_EQ(cap_bytes + bs, st.write_bytes - st0.write_bytes);
	EXPECT_EQ(st.zone_appends - st0.zone_appends, st.write_ops - st0.write_ops);
}

/*
 * The answer's page goes and comes back while appends run: a thread zaps
 * it (MADV_DONTNEED on a shared memfd mapping drops the page table entry,
 * the data stay in the file), as reclaim, migration or a huge page
 * collapse may for a moment.  An append that landed still answers 0 and
 * its LBA in both places; one refused -EFAULT (the check before the data,
 * which the gate retries a few times, lost every time) landed nothing.
 */
static volatile int zap_stop;

static void *zap_thread(void *page)
{
	while (!zap_stop)
		madvise(page, 4096, MADV_DONTNEED);
	return NULL;
}

TEST_F(append, answer_page_zapped)
{
	struct ubz_dev *d = &self->d;
	const uint64_t s = ubz_lba(d, ubz_seq(d, 0));
	const int nr = d->zcap_lbas < 256 ? d->zcap_lbas : 256;
	uint64_t next = s, *out, res2;
	int fd, landed = 0, refused = 0;
	pthread_t zapper;

	fd = memfd_create("ubt-answer", 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 4096));
	out = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, out);
	zap_stop = 0;
	ASSERT_EQ(0, pthread_create(&zapper, NULL, zap_thread, out));
	for (int i = 0; i < nr; i++) {
		int ret;

		/* The landed blocks make one run of the pattern from s. */
		ubt_fill(self->buf, d->bs, (uint64_t)landed * d->bs, 7);
		res2 = 0;
		*out = 12345;
		ret = ubz_append(d, s, self->buf, d->bs, out, &res2);
		if (ret == -EFAULT) {
			struct uringblk_zone z;

			ASSERT_EQ(0, ubz_zone(d, ubz_seq(d, 0), &z));
			ASSERT_EQ(next, z.wp) TH_LOG("append %d: -EFAULT, but it landed", i);
			refused++;
			continue;
		}
		ASSERT_EQ(0, ret) TH_LOG("append %d: %s", i, strerror(-ret));
		ASSERT_EQ(next, res2);
		ASSERT_EQ(next, *out) TH_LOG("append %d", i);
		next++;
		landed++;
	}
	zap_stop = 1;
	pthread_join(zapper, NULL);
	TH_LOG("%d appends landed, %d refused before the data", landed, refused);
	EXPECT_LT(refused, nr / 2);
	/* What landed is all there, in order; what was refused is not. */
	{
		struct uringblk_zone z;

		ASSERT_EQ(0, ubz_zone(d, ubz_seq(d, 0), &z));
		EXPECT_EQ(next, z.wp);
		EXPECT_EQ((uint64_t)landed, z.write_ops);
	}
	ASSERT_EQ(0, ubz_read(d, s, self->buf, landed));
	EXPECT_EQ(-1, ubt_check(self->buf, (size_t)landed * d->bs, 0, 7));
	munmap(out, 4096);
	close(fd);
}

/* --- many threads -------------------------------------------------------- */

#define NR_THREADS	8
#define QD		8
#define MAX_BLOCKS	4
#define MAX_RECS	4096

struct rec {
	uint64_t lba;		/* through lba_out_addr */
	uint64_t lba2;		/* from big_cqe[0] */
	uint32_t nblocks;
	uint32_t zone_idx;
	uint64_t tag;		/* the pattern's "offset" */
	uint32_t seed;
};

struct thr {
	struct ubz_dev *d;
	int id;
	uint32_t nr_zones;	/* appends go round robin to this many zones */
	int per_thread;		/* appends to issue; 0 = until the zones are full */
	int nrec;
	int err;
	struct rec recs[MAX_RECS];
	uint8_t *bufs;		/* QD slots of MAX_BLOCKS blocks */
};

static pthread_barrier_t start_barrier;

/*
 * Prepare one append of slot @slot; the record is filled once it lands.
 * Data: the test pattern for "offset" tag, which does not depend on where
 * the drive puts the data, so they can be checked wherever they land.
 */
static int prep_append(struct thr *t, struct io_uring *ring, int slot, int seq,
			uint32_t nblocks, struct rec *r)
{
	const uint32_t bs = t->d->bs;
	uint8_t *buf = t->bufs + (size_t)slot * MAX_BLOCKS * bs;
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct uringblk_cmd cmd;

	if (!sqe)
		return -EBUSY;	/* the ring has 2 * QD entries: cannot happen */
	r->nblocks = nblocks;
	r->zone_idx = seq % t->nr_zones;
	r->tag = ((uint64_t)t->id << 40) | ((uint64_t)seq << 16);
	r->seed = t->id + 1;
	r->lba = r->lba2 = ~0ULL;
	ubt_fill(buf, (size_t)nblocks * bs, r->tag, r->seed);

	ubt_cmd_init(&cmd, buf, nblocks * bs);
	cmd.zone_append.zone_lba = ubz_lba(t->d, ubz_seq(t->d, r->zone_idx));
	cmd.zone_append.lba_out_addr = (uintptr_t)&r->lba;
	/* A 128-byte SQE: liburing's helpers would clear only 64 bytes. */
	memset((uint8_t *)sqe, 0, 2 * sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = t->d->cfd;
	sqe->cmd_op = URINGBLK_CMD_ZONE_APPEND;
	/* Every third from io-wq, where the driver may block. */
	sqe->flags = seq % 3 == 0 ? IOSQE_ASYNC : 0;
	sqe->user_data = slot;
	memcpy(sqe->cmd, &cmd, sizeof(cmd));
	return 0;
}

static void *append_thread(void *p)
{
	struct thr *t = p;
	struct rec *slot_rec[QD] = { 0 };
	int inflight = 0, seq = 0, stop = 0;
	uint32_t nblocks_next[QD];
	struct io_uring ring;

	t->err = io_uring_queue_init(2 * QD, &ring, IORING_SETUP_SQE128 |
				     IORING_SETUP_CQE32);
	if (t->err)
		return NULL;
	pthread_barrier_wait(&start_barrier);
	for (int i = 0; i < QD; i++)
		nblocks_next[i] = 1 + (t->id + i) % MAX_BLOCKS;
	/* Fill the queue, then one new append per completion. */
	for (int slot = 0; slot < QD; slot++) {
		if (t->per_thread && seq >= t->per_thread)
			break;
		slot_rec[slot] = &t->recs[t->nrec++];
		t->err = prep_append(t, &ring, slot, seq++, nblocks_next[slot],
				     slot_rec[slot]);
		if (t->err)
			goto out;
		inflight++;
	}
	while (inflight) {
		struct io_uring_cqe *cqe;
		struct rec *r;
		int slot, res;

		t->err = io_uring_submit_and_wait(&ring, 1);
		if (t->err < 0)
			break;
		t->err = io_uring_wait_cqe(&ring, &cqe);
		if (t->err)
			break;
		slot = cqe->user_data;
		res = cqe->res;
		r = slot_rec[slot];
		r->lba2 = cqe->big_cqe[0];
		io_uring_cqe_seen(&ring, cqe);
		inflight--;
		if (res == -ENOSPC && !t->per_thread) {
			/* Drop the record; retry smaller, stop at one block. */
			r->nblocks = 0;
			if (nblocks_next[slot] == 1)
				stop = 1;
			nblocks_next[slot] = 1;
		} else if (res) {
			t->err = res;
			break;
		}
		if (stop || (t->per_thread && seq >= t->per_thread) ||
		    t->nrec >= MAX_RECS)
			continue;
		slot_rec[slot] = r->nblocks ? &t->recs[t->nrec++] : r;
		t->err = prep_append(t, &ring, slot, seq++, nblocks_next[slot],
				     slot_rec[slot]);
		if (t->err)
			break;
		inflight++;
	}
out:
	io_uring_queue_exit(&ring);
	if (t->err > 0)
		t->err = 0;
	return NULL;
}

static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = *(const struct rec *const *)a;
	const struct rec *y = *(const struct rec *const *)b;

	return x->lba < y->lba ? -1 : x->lba > y->lba;
}

/*
 * Run NR_THREADS appenders over @nr_zones zones and check the result;
 * returns the blocks that landed in each zone through *landed.
 */
static void run_appenders(struct __test_metadata *_metadata, struct ubz_dev *d,
			  uint32_t nr_zones, int per_thread, uint64_t *landed)
{
	struct thr *t = calloc(NR_THREADS, sizeof(*t));
	pthread_t tid[NR_THREADS];
	struct rec **all;
	uint8_t *rd;
	int nall = 0;

	ASSERT_NE(NULL, t);
	ASSERT_EQ(0, pthread_barrier_init(&start_barrier, NULL, NR_THREADS));
	for (int i = 0; i < NR_THREADS; i++) {
		t[i].d = d;
		t[i].id = i;
		t[i].nr_zones = nr_zones;
		t[i].per_thread = per_thread;
		t[i].bufs = ubt_alloc((size_t)QD * MAX_BLOCKS * d->bs);
		ASSERT_NE(NULL, t[i].bufs);
	}
	for (int i = 0; i < NR_THREADS; i++) {
		ASSERT_EQ(0, pthread_create(&tid[i], NULL, append_thread, &t[i]));
	}
	for (int i = 0; i < NR_THREADS; i++)
		pthread_join(tid[i], NULL);
	pthread_barrier_destroy(&start_barrier);

	all = calloc(NR_THREADS * MAX_RECS, sizeof(*all));
	ASSERT_NE(NULL, all);
	for (int i = 0; i < NR_THREADS; i++) {
		EXPECT_EQ(0, t[i].err) TH_LOG("thread %d: %s", i, strerror(-t[i].err));
		for (int j = 0; j < t[i].nrec; j++)
			if (t[i].recs[j].nblocks)
				all[nall++] = &t[i].recs[j];
	}
	/*
	 * Each append's two answers first: a command that ran with another's
	 * payload (an SQE read from a reused ring slot, compat_internals.h's
	 * uringblk_cmd_issued()) wrote its LBA to the other's lba_out_addr.
	 */
	for (int i = 0; i < nall; i++) {
		ASSERT_EQ(all[i]->lba, all[i]->lba2)
			TH_LOG("append %d: lba_out_addr %llu, big_cqe[0] %llu", i,
			       (unsigned long long)all[i]->lba,
			       (unsigned long long)all[i]->lba2);
	}
	rd = ubt_alloc(MAX_BLOCKS * d->bs);
	ASSERT_NE(NULL, rd);
	for (uint32_t zi = 0; zi < nr_zones; zi++) {
		const uint32_t zno = ubz_seq(d, zi);
		uint64_t next = ubz_lba(d, zno);
		struct rec **mine = calloc(nall, sizeof(*mine));
		int n = 0;

		ASSERT_NE(NULL, mine);
		for (int i = 0; i < nall; i++)
			if (all[i]->zone_idx == zi)
				mine[n++] = all[i];
		qsort(mine, n, sizeof(*mine), cmp_rec);
		/* Distinct LBAs that tile the zone from its start. */
		for (int i = 0; i < n; i++) {
			struct rec *r = mine[i];

			ASSERT_EQ(next, r->lba) TH_LOG("zone %u: append %d of %d at %llu, expected %llu",
				zno, i, n, (unsigned long long)r->lba, (unsigned long long)next);
			next += r->nblocks;
			ASSERT_EQ(0, ubz_read(d, r->lba, rd, r->nblocks));
			ASSERT_EQ(-1, ubt_check(rd, (size_t)r->nblocks * d->bs, r->tag, r->seed))
				TH_LOG("zone %u: data of the append at %llu", zno,
				       (unsigned long long)r->lba);
		}
		landed[zi] = next - ubz_lba(d, zno);
		/* The zone's write pointer is right after the last one. */
		{
			struct uringblk_zone z;

			ASSERT_EQ(0, ubz_zone(d, zno, &z));
			if (z.cond == URINGBLK_ZONE_COND_FULL) {
				EXPECT_EQ(d->zcap_lbas, landed[zi]);
			} else
				EXPECT_EQ(next, z.wp);
			EXPECT_EQ((uint64_t)n, z.write_ops);
		}
		free(mine);
	}
	munmap(rd, MAX_BLOCKS * d->bs);
	for (int i = 0; i < NR_THREADS; i++)
		munmap(t[i].bufs, (size_t)QD * MAX_BLOCKS * d->bs);
	TH_LOG("%d appends from %d threads landed in %u zone(s)", nall, NR_THREADS, nr_zones);
	free(all);
	free(t);
}

TEST_F(append, many_threads_one_zone)
{
	struct ubz_dev *d = &self->d;
	struct uringblk_stats st0, st;
	uint64_t landed = 0;
	int per = 48;

	/* Keep it inside the zone: 8 threads x 48 x at most 4 blocks. */
	while ((uint64_t)NR_THREADS * per * MAX_BLOCKS > d->zcap_lbas)
		per /= 2;
	ASSERT_LE(0, ubt_get_stats(&d->ring, d->cfd, &st0, 0));
	run_appenders(_metadata, d, 1, per, &landed);
	ASSERT_LE(0, ubt_get_stats(&d->ring, d->cfd, &st, 0));
	EXPECT_EQ((uint64_t)NR_THREADS * per, st.zone_appends - st0.zone_appends);
	EXPECT_EQ(landed * d->bs, st.zone_append_bytes - st0.zone_append_bytes);
	EXPECT_EQ(URINGBLK_ZONE_COND_IMP_OPEN, ubz_cond(d, ubz_seq(d, 0)));
}

TEST_F(append, many_threads_two_zones)
{
	struct ubz_dev *d = &self->d;
	uint64_t landed[2] = { 0 };
	int per = 64;

	while ((uint64_t)NR_THREADS * per * MAX_BLOCKS > 2 * d->zcap_lbas)
		per /= 2;
	run_appenders(_metadata, d, 2, per, landed);
	EXPECT_NE(0, landed[0]);
	EXPECT_NE(0, landed[1]);
}

/* Until the zone is full: each append lands whole or not at all. */
TEST_F(append, many_threads_fill_to_capacity)
{
	struct ubz_dev *d = &self->d;
	struct uringblk_stats st0, st;
	uint64_t landed = 0;

	if (d->zcap_lbas > (uint64_t)NR_THREADS * MAX_RECS)
		SKIP(return, "zone too big for the record arrays");
	ASSERT_LE(0, ubt_get_stats(&d->ring, d->cfd, &st0, 0));
	run_appenders(_metadata, d, 1, 0, &landed);
	EXPECT_EQ(d->zcap_lbas, landed);
	EXPECT_EQ(URINGBLK_ZONE_COND_FULL, ubz_cond(d, ubz_seq(d, 0)));
	ASSERT_LE(0, ubt_get_stats(&d->ring, d->cfd, &st, 0));
	EXPECT_EQ(d->zcap_lbas * d->bs, st.zone_append_bytes - st0.zone_append_bytes);
	EXPECT_EQ(st0.errors, st.errors);
	/* Past the capacity nothing was stored. */
	if (d->zcap_lbas < d->zone_lbas) {
		EXPECT_EQ(0, ubz_check_zero(d, ubz_lba(d, ubz_seq(d, 0)) + d->zcap_lbas,
					    d->zone_lbas - d->zcap_lbas));
	}
}

TEST_HARNESS_MAIN
