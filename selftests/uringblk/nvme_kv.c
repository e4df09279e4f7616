// SPDX-License-Identifier: GPL-2.0
/*
 * The NVMe Key Value namespace of a kv drive (driver/nvme_kv.c, kv_ns.c),
 * a fresh drive (kv=1) per test:
 *  - Identify: KV Identify Namespace (CNS 05h, CSI 01h) and its KV format,
 *    the descriptor list's CSI 01h, CNS 00h all zero (no LBAs), CNS 05h of
 *    NVM refused, CNS 06h of KV, the effects log of CSI 01h;
 *  - no LBA access: NVM opcodes Invalid Opcode, SUBMIT_IO -ENOTTY, the
 *    block device read-only (-EROFS for writing);
 *  - keys of every length 1..16, made of zero bytes and not, keys that
 *    differ only in length; key length 0 and 17 Invalid Key Size from every
 *    command;
 *  - values of 0 B, 1 B, the maximum and the maximum + 1 (Invalid Value
 *    Size); a buffer too small (DW0 still the full size, nothing written
 *    past it); a transfer shorter than CDW10; whole-block values read
 *    straight into aligned buffers and bounced into others, alike;
 *  - the store options (must exist, must not exist, both), Delete and Exist,
 *    the "error on delete of a non-existent key" feature (Set/Get Features
 *    C0h);
 *  - List returning every key once, iterated with small buffers;
 *  - a full drive: Capacity Exceeded, every object still whole, space
 *    reclaimed by Delete;
 *  - URING_CMD: Store and Retrieve, DW0 in big_cqe[0];
 *  - permissions without CAP_SYS_ADMIN on a read-only node; the counters;
 *  - concurrent clients (threads) on one drive.
 */
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/nvme_ioctl.h>

#include "harness.h"
#include "nvme_kv.h"

#define PARAMS		"capacity_mb=16 nr_devices=1 kv=1"
#define BUF_SIZE	(16 << 20)

struct kv_id {
	uint64_t nsze, nuse;
	uint32_t kml, vml, mnk;
};

static int identify_cmd(int fd, uint8_t cns, uint8_t csi, uint32_t nsid, void *buf)
{
	struct nvme_passthru_cmd64 c = cmd64(0x06, nsid, buf, 4096);

	memset(buf, 0xa5, 4096);
	c.cdw10 = cns;
	c.cdw11 = (uint32_t)csi << 24;
	return nvme_ioctl(fd, NVME_IOCTL_ADMIN64_CMD, &c);
}

static int kv_id(int fd, struct kv_id *id)
{
	uint8_t b[4096];
	int ret = identify_cmd(fd, 0x05, 0x01, 1, b);

	id->nsze = le64(b);
	id->nuse = le64(b + 16);
	id->kml = b[72] | b[73] << 8;
	id->vml = le32(b + 76);
	id->mnk = le32(b + 80);
	return ret;
}

static int kv_feature(int fd, bool set, uint32_t val, uint64_t *result)
{
	struct nvme_passthru_cmd64 c = cmd64(set ? 0x09 : 0x0a, 1, NULL, 0);
	int ret;

	c.cdw10 = KV_FEAT_DEL_ERR;
	c.cdw11 = val;
	ret = nvme_ioctl(fd, NVME_IOCTL_ADMIN64_CMD, &c);
	if (result)
		*result = c.result;
	return ret;
}

FIXTURE(kv) {
	int fd;
	uint8_t *buf, *buf2;
	struct kv_id id;
};

/*
 * The engine's media I/O on a memory drive: copied without the block
 * layer (kv_ns.c, the fast path), or as bios (nvme_fast=0, as with fault
 * injection or the timing model on).
 */
FIXTURE_VARIANT(kv) {
	const char *params;
};

FIXTURE_VARIANT_ADD(kv, fast) {
	.params = PARAMS,
};

FIXTURE_VARIANT_ADD(kv, bios) {
	.params = PARAMS " nvme_fast=0",
};

FIXTURE_SETUP(kv)
{
	self->fd = -1;
	UBT_SETUP_MODULE(ubt_module_reload, variant->params);
	ASSERT_EQ(0, ubt_wait_path("/dev/uringblkc0", 5000));
	self->fd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->buf = ubt_alloc(BUF_SIZE + 4096);
	self->buf2 = ubt_alloc(BUF_SIZE + 4096);
	ASSERT_NE(NULL, self->buf);
	ASSERT_NE(NULL, self->buf2);
	ASSERT_EQ(0, kv_id(self->fd, &self->id));
}

FIXTURE_TEARDOWN(kv)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->buf)
		munmap(self->buf, BUF_SIZE + 4096);
	if (self->buf2)
		munmap(self->buf2, BUF_SIZE + 4096);
}

TEST_F(kv, identify)
{
	uint8_t *b = self->buf;
	uint32_t zero = 0;

	TH_LOG("KV format: key %u, value %u, keys %u; %llu bytes", self->id.kml,
	       self->id.vml, self->id.mnk, (unsigned long long)self->id.nsze);
	EXPECT_EQ(16, self->id.kml);
	EXPECT_LT(8u << 20, self->id.vml);	/* 16 MiB drive: the data area */
	EXPECT_GE(16u << 20, self->id.vml);
	EXPECT_LT(100, self->id.mnk);
	EXPECT_LT(self->id.vml - 1, self->id.nsze);
	EXPECT_EQ(0, self->id.nuse);
	/* descriptor list: CSI 01h */
	ASSERT_EQ(0, identify_cmd(self->fd, 0x03, 0, 1, b));
	EXPECT_EQ(0x04, b[0]);
	EXPECT_EQ(1, b[1]);
	EXPECT_EQ(0x01, b[4]);
	/* CNS 00h: no LBAs, all zero */
	ASSERT_EQ(0, identify_cmd(self->fd, 0x00, 0, 1, b));
	for (int i = 0; i < 4096; i++)
		zero |= b[i];
	EXPECT_EQ(0, zero);
	/* the NVM set's namespace data: not this namespace's */
	EXPECT_EQ(KV_SC_INVALID_FIELD, identify_cmd(self->fd, 0x05, 0x00, 1, b));
	EXPECT_EQ(0, identify_cmd(self->fd, 0x06, 0x01, 0, b));
	/* the active list of CSI 01h: NSID 1 */
	ASSERT_EQ(0, identify_cmd(self->fd, 0x07, 0x01, 0, b));
	EXPECT_EQ(1, le32(b));
	EXPECT_EQ(0, le32(b + 4));
	/* effects log, CSI 01h: the five commands, LBCC on Store and Delete */
	{
		struct nvme_passthru_cmd64 c = cmd64(0x02, 0xffffffff, b, 4096);

		c.cdw10 = 0x05 | (1023u << 16);
		c.cdw14 = 0x01u << 24;
		ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
		EXPECT_EQ(0x3, le32(b + 1024 + 4 * KV_STORE));
		EXPECT_EQ(0x1, le32(b + 1024 + 4 * KV_RETRIEVE));
		EXPECT_EQ(0x1, le32(b + 1024 + 4 * KV_LIST));
		EXPECT_EQ(0x3, le32(b + 1024 + 4 * KV_DELETE));
		EXPECT_EQ(0x1, le32(b + 1024 + 4 * KV_EXIST));
		EXPECT_EQ(0x1, le32(b + 1024 + 4 * 0x00));	/* Flush */
		EXPECT_EQ(0, le32(b + 1024 + 4 * 0x08));	/* no Write Zeroes */
		c.cdw14 = 0;					/* NVM: nothing */
		ASSERT_EQ(0, nvme_ioctl(self->fd, NVME_IOCTL_ADMIN64_CMD, &c));
		EXPECT_EQ(0, le32(b + 1024 + 4 * 0x02));
	}
}

TEST_F(kv, no_lba_access)
{
	struct nvme_passthru_cmd64 c = cmd64(0x08, 1, NULL, 0);	/* Write Zeroes */
	struct nvme_user_io io = { .opcode = 0x02, .addr = (uintptr_t)self->buf };
	int bfd;

	EXPECT_EQ(KV_SC_INVALID_OPCODE, kv_io(self->fd, &c));
	c = cmd64(0x19, 1, NULL, 0);		/* Copy */
	EXPECT_EQ(KV_SC_INVALID_OPCODE, kv_io(self->fd, &c));
	EXPECT_EQ(-ENOTTY, nvme_ioctl(self->fd, NVME_IOCTL_SUBMIT_IO, &io));
	EXPECT_EQ(-EROFS, ubt_open_blk(0, O_RDWR));
	bfd = ubt_open_blk(0, O_RDONLY);
	ASSERT_LE(0, bfd);
	/* the image's first block (the superblock) reads */
	EXPECT_EQ(4096, pread(bfd, self->buf, 4096, 0));
	close(bfd);
}

TEST_F(kv, keys_every_length)
{
	uint8_t key[17], got[64];
	uint64_t size;

	for (uint32_t len = 1; len <= 16; len++) {
		for (int v = 0; v < 2; v++) {
			uint32_t vlen = len * 3 + v;

			/* v 0: zero bytes only; v 1: a zero byte in the middle */
			for (uint32_t i = 0; i < len; i++)
				key[i] = v ? (uint8_t)(i == len / 2 && len > 1 ? 0 : 0x41 + i) : 0;
			kv_fill(self->buf, vlen, len * 2 + v);
			ASSERT_EQ(0, kv_store(self->fd, key, len, self->buf, vlen, 0))
				TH_LOG("len %u v %d", len, v);
		}
	}
	for (uint32_t len = 1; len <= 16; len++) {
		for (int v = 0; v < 2; v++) {
			uint32_t vlen = len * 3 + v;

			for (uint32_t i = 0; i < len; i++)
				key[i] = v ? (uint8_t)(i == len / 2 && len > 1 ? 0 : 0x41 + i) : 0;
			kv_fill(self->buf, vlen, len * 2 + v);
			memset(got, 0, sizeof(got));
			ASSERT_EQ(0, kv_retrieve(self->fd, key, len, got, sizeof(got), &size));
			EXPECT_EQ(vlen, size);
			EXPECT_EQ(0, memcmp(got, self->buf, vlen)) TH_LOG("len %u v %d", len, v);
			EXPECT_EQ(0, kv_exist(self->fd, key, len));
		}
	}
	/* the only keys: List from the start returns all 32 */
	ASSERT_EQ(0, kv_list(self->fd, NULL, 0, self->buf, 4096));
	EXPECT_EQ(32, le32(self->buf));
}

TEST_F(kv, bad_key_length)
{
	uint8_t key[32] = "abcdefghijklmnopq";
	uint32_t lens[] = { 0, 17, 255 };

	for (unsigned int i = 0; i < 3; i++) {
		uint32_t l = lens[i];

		EXPECT_EQ(KV_SC_KEY_SIZE, kv_store(self->fd, key, l, self->buf, 8, 0));
		EXPECT_EQ(KV_SC_KEY_SIZE, kv_retrieve(self->fd, key, l, self->buf, 8, NULL));
		EXPECT_EQ(KV_SC_KEY_SIZE, kv_delete(self->fd, key, l));
		EXPECT_EQ(KV_SC_KEY_SIZE, kv_exist(self->fd, key, l));
		if (l) {
			EXPECT_EQ(KV_SC_KEY_SIZE, kv_list(self->fd, key, l, self->buf, 64));
		}
	}
	/* List from no key: the start */
	EXPECT_EQ(0, kv_list(self->fd, key, 0, self->buf, 64));
	EXPECT_EQ(0, le32(self->buf));
	/* List with a buffer under 4 bytes */
	EXPECT_EQ(KV_SC_INVALID_FIELD, kv_list(self->fd, key, 0, self->buf, 2));
}

TEST_F(kv, value_sizes)
{
	uint32_t max = self->id.vml;
	uint64_t size;

	/* the maximum first: a fresh drive has room for exactly that */
	kv_fill(self->buf, max, 7);
	ASSERT_EQ(0, kv_store(self->fd, "max", 3, self->buf, max, 0));
	memset(self->buf2, 0, max);
	ASSERT_EQ(0, kv_retrieve(self->fd, "max", 3, self->buf2, max, &size));
	EXPECT_EQ(max, size);
	EXPECT_EQ(0, memcmp(self->buf, self->buf2, max));
	EXPECT_EQ(KV_SC_VALUE_SIZE, kv_store(self->fd, "max1", 4, self->buf, max + 1, 0));
	EXPECT_EQ(KV_SC_NOT_EXIST, kv_exist(self->fd, "max1", 4));
	ASSERT_EQ(0, kv_delete(self->fd, "max", 3));
	/* 0 and 1 byte */
	ASSERT_EQ(0, kv_store(self->fd, "zero", 4, NULL, 0, 0));
	ASSERT_EQ(0, kv_retrieve(self->fd, "zero", 4, self->buf2, 16, &size));
	EXPECT_EQ(0, size);
	EXPECT_EQ(0, kv_exist(self->fd, "zero", 4));
	self->buf[0] = 0x5a;
	ASSERT_EQ(0, kv_store(self->fd, "one", 3, self->buf, 1, 0));
	self->buf2[0] = 0;
	ASSERT_EQ(0, kv_retrieve(self->fd, "one", 3, self->buf2, 16, &size));
	EXPECT_EQ(1, size);
	EXPECT_EQ(0x5a, self->buf2[0]);
	/* 2 MiB, the size the issue names */
	kv_fill(self->buf, 2 << 20, 9);
	ASSERT_EQ(0, kv_store(self->fd, "2m", 2, self->buf, 2 << 20, 0));
	ASSERT_EQ(0, kv_retrieve(self->fd, "2m", 2, self->buf2, 2 << 20, &size));
	EXPECT_EQ(2 << 20, size);
	EXPECT_EQ(0, memcmp(self->buf, self->buf2, 2 << 20));
}

/*
 * Retrieve reads a value straight into the client's pages when its buffer
 * is 512-byte aligned (kv_ns.c: whole blocks from the media, a partial
 * last block through a one-block bounce; buffers over 64 KiB pinned only
 * as far as the value goes), else through a bounce: both give the same
 * bytes, DW0 the full size, nothing written past the value or the buffer.
 */
TEST_F(kv, retrieve_direct)
{
	static const uint32_t sizes[] = { 512, 4096, 4608, 8192, 65536, 1000,
					  65537, 100000, 1 << 20, (1 << 20) + 1000 };
	/* buffer offsets into a page-aligned area: aligned, 512-aligned, not */
	static const uint32_t offs[] = { 0, 512, 1, 3584 };
	/* buffer sizes: the value's, larger, a smaller whole-block one */
	static const int64_t extra[] = { 0, 1024, -512 };
	uint64_t size;

	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint32_t len = sizes[i];
		char key[8];

		snprintf(key, sizeof(key), "d%u", i);
		kv_fill(self->buf, len, 40 + i);
		ASSERT_EQ(0, kv_store(self->fd, key, strlen(key), self->buf, len, 0));
		for (unsigned int o = 0; o < sizeof(offs) / sizeof(offs[0]); o++)
			for (unsigned int x = 0; x < sizeof(extra) / sizeof(extra[0]); x++) {
				uint32_t blen = len + extra[x], want = blen < len ? blen : len;
				uint8_t *b = self->buf2 + offs[o];

				memset(self->buf2, 0xee, len + 8192);
				ASSERT_EQ(0, kv_retrieve(self->fd, key, strlen(key), b, blen,
							 &size)) TH_LOG("size %u off %u buffer %u",
									len, offs[o], blen);
				EXPECT_EQ(len, size);
				EXPECT_EQ(0, memcmp(b, self->buf, want))
					TH_LOG("size %u off %u buffer %u", len, offs[o], blen);
				EXPECT_EQ(0xee, b[want]);
				EXPECT_EQ(0xee, b[blen]);
				if (offs[o])
					EXPECT_EQ(0xee, b[-1]);
			}
	}
}

/*
 * Store writes a whole-block value straight from the client's pages when
 * its buffer is 512-byte aligned (kv_ns.c: one page as it is, several
 * mapped together), else through a bounce: either way the value reads back as stored, from any buffer, and
 * overwrites and the store options behave as on the bounce path.
 */
TEST_F(kv, store_direct)
{
	static const uint32_t sizes[] = { 4096, 8192, 65536 + 4096, 1 << 20, (1 << 20) + 1000,
					  2 << 20 };
	static const uint32_t offs[] = { 0, 512, 1 };
	uint64_t size;

	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (unsigned int o = 0; o < sizeof(offs) / sizeof(offs[0]); o++) {
			uint32_t len = sizes[i];
			uint8_t *src = self->buf + offs[o];

			kv_fill(src, len, 60 + i * 3 + o);
			/* twice: a new key, then an overwrite */
			for (int pass = 0; pass < 2; pass++) {
				if (pass)
					kv_fill(src, len, 90 + i * 3 + o);
				ASSERT_EQ(0, kv_store(self->fd, "s", 1, src, len, 0))
					TH_LOG("size %u off %u pass %d", len, offs[o], pass);
				memset(self->buf2, 0xee, len + 4096);
				ASSERT_EQ(0, kv_retrieve(self->fd, "s", 1, self->buf2 + offs[2 - o],
							 len + 4096, &size));
				EXPECT_EQ(len, size);
				EXPECT_EQ(0, memcmp(self->buf2 + offs[2 - o], src, len))
					TH_LOG("size %u off %u pass %d", len, offs[o], pass);
			}
			EXPECT_EQ(KV_SC_EXISTS, kv_store(self->fd, "s", 1, src, len, KV_MUST_NOT_EXIST));
			EXPECT_EQ(KV_SC_NOT_EXIST, kv_store(self->fd, "t", 1, src, len, KV_MUST_EXIST));
			ASSERT_EQ(0, kv_delete(self->fd, "s", 1));
		}
}

TEST_F(kv, buffer_too_small)
{
	struct nvme_passthru_cmd64 c;
	uint64_t size;

	kv_fill(self->buf, 1000, 3);
	ASSERT_EQ(0, kv_store(self->fd, "k", 1, self->buf, 1000, 0));
	memset(self->buf2, 0xee, 200);
	ASSERT_EQ(0, kv_retrieve(self->fd, "k", 1, self->buf2, 100, &size));
	EXPECT_EQ(1000, size);
	EXPECT_EQ(0, memcmp(self->buf2, self->buf, 100));
	EXPECT_EQ(0xee, self->buf2[100]);
	/* a 0-byte buffer: the size only */
	ASSERT_EQ(0, kv_retrieve(self->fd, "k", 1, NULL, 0, &size));
	EXPECT_EQ(1000, size);
	/* a transfer shorter than CDW10 says */
	c = kv_cmd(KV_RETRIEVE, "k", 1, self->buf2, 100, 200);
	EXPECT_EQ(KV_SC_SGL_INVALID, kv_io(self->fd, &c));
	c = kv_cmd(KV_STORE, "k", 1, self->buf, 100, 200);
	EXPECT_EQ(KV_SC_SGL_INVALID, kv_io(self->fd, &c));
	/* absent key: Retrieve's status, DW0 0 */
	EXPECT_EQ(KV_SC_NOT_EXIST, kv_retrieve(self->fd, "nokey", 5, self->buf2, 8, &size));
}

TEST_F(kv, store_options)
{
	uint64_t size;

	EXPECT_EQ(KV_SC_NOT_EXIST, kv_store(self->fd, "a", 1, "xx", 2, KV_MUST_EXIST));
	EXPECT_EQ(KV_SC_NOT_EXIST, kv_exist(self->fd, "a", 1));
	EXPECT_EQ(0, kv_store(self->fd, "a", 1, "xx", 2, KV_MUST_NOT_EXIST));
	EXPECT_EQ(KV_SC_EXISTS, kv_store(self->fd, "a", 1, "yyy", 3, KV_MUST_NOT_EXIST));
	EXPECT_EQ(KV_SC_INVALID_FIELD,
		  kv_store(self->fd, "a", 1, "yyy", 3, KV_MUST_EXIST | KV_MUST_NOT_EXIST));
	EXPECT_EQ(0, kv_store(self->fd, "a", 1, "zzzz", 4, KV_MUST_EXIST));
	ASSERT_EQ(0, kv_retrieve(self->fd, "a", 1, self->buf, 16, &size));
	EXPECT_EQ(4, size);
	EXPECT_EQ(0, memcmp(self->buf, "zzzz", 4));
	/* overwrite without options */
	EXPECT_EQ(0, kv_store(self->fd, "a", 1, "q", 1, 0));
	ASSERT_EQ(0, kv_retrieve(self->fd, "a", 1, self->buf, 16, &size));
	EXPECT_EQ(1, size);
}

TEST_F(kv, delete_exist_feature)
{
	uint64_t r;

	EXPECT_EQ(KV_SC_NOT_EXIST, kv_exist(self->fd, "d", 1));
	EXPECT_EQ(0, kv_delete(self->fd, "d", 1));	/* the default: no error */
	ASSERT_EQ(0, kv_store(self->fd, "d", 1, "v", 1, 0));
	EXPECT_EQ(0, kv_exist(self->fd, "d", 1));
	EXPECT_EQ(0, kv_delete(self->fd, "d", 1));
	EXPECT_EQ(KV_SC_NOT_EXIST, kv_exist(self->fd, "d", 1));
	EXPECT_EQ(KV_SC_NOT_EXIST, kv_retrieve(self->fd, "d", 1, self->buf, 8, NULL));
	ASSERT_EQ(0, kv_feature(self->fd, false, 0, &r));
	EXPECT_EQ(0, r);
	ASSERT_EQ(0, kv_feature(self->fd, true, 1, NULL));
	ASSERT_EQ(0, kv_feature(self->fd, false, 0, &r));
	EXPECT_EQ(1, r);
	EXPECT_EQ(KV_SC_NOT_EXIST, kv_delete(self->fd, "d", 1));
	EXPECT_EQ(KV_SC_INVALID_FIELD, kv_feature(self->fd, true, 2, NULL));
	ASSERT_EQ(0, kv_feature(self->fd, true, 0, NULL));
	EXPECT_EQ(0, kv_delete(self->fd, "d", 1));
}

/* Parse one List reply into @seen (key -> times), return the last key. */
static uint32_t parse_list(const uint8_t *b, uint32_t len, uint8_t (*keys)[17],
			   uint32_t nkeys, uint32_t *seen, uint8_t *last, uint32_t *lastlen,
			   const uint8_t *skip, uint32_t skiplen)
{
	uint32_t n = le32(b), off = 4;

	for (uint32_t i = 0; i < n && off + 2 <= len; i++) {
		uint32_t kl = b[off] | b[off + 1] << 8;
		const uint8_t *k = b + off + 2;

		if (!(i == 0 && skip && kl == skiplen && !memcmp(k, skip, kl))) {
			for (uint32_t j = 0; j < nkeys; j++)
				if (keys[j][16] == kl && !memcmp(keys[j], k, kl))
					seen[j]++;
		}
		memcpy(last, k, kl);
		*lastlen = kl;
		off += 2 + ((kl + 3) & ~3u);
	}
	return n;
}

TEST_F(kv, list_every_key_once)
{
	enum { N = 150 };
	static uint8_t keys[N][17];
	static uint32_t seen[N];
	uint8_t last[16], prev[16];
	uint32_t lastlen = 0, prevlen = 0, rounds = 0, total = 0;

	srand(42);
	for (int i = 0; i < N; i++) {
		uint32_t kl = 1 + rand() % 16;

		for (;;) {
			bool dup = false;

			for (uint32_t j = 0; j < kl; j++)
				keys[i][j] = rand() % 4 ? 'a' + rand() % 3 : 0;
			keys[i][16] = kl;
			for (int j = 0; j < i; j++)
				dup |= keys[j][16] == kl && !memcmp(keys[j], keys[i], kl);
			if (!dup)
				break;
		}
		ASSERT_EQ(0, kv_store(self->fd, keys[i], kl, &i, sizeof(i), 0));
	}
	/* 64-byte buffers: a few keys per call, from the last key returned */
	for (;;) {
		uint32_t n;

		ASSERT_EQ(0, kv_list(self->fd, last, lastlen, self->buf, 64));
		memcpy(prev, last, lastlen);
		prevlen = lastlen;
		n = parse_list(self->buf, 64, keys, N, seen, last, &lastlen,
			       rounds ? prev : NULL, prevlen);
		total += n;
		rounds++;
		ASSERT_GT(300, rounds);
		if (n <= (rounds > 1 ? 1u : 0u))
			break;
	}
	for (int i = 0; i < N; i++) {
		EXPECT_EQ(1, seen[i]) TH_LOG("key %d (len %u) seen %u times", i,
					     keys[i][16], seen[i]);
	}
	TH_LOG("%u List calls", rounds);
}

TEST_F(kv, full_drive)
{
	uint32_t vlen = 512 << 10, n = 0;
	uint64_t size;
	int ret;

	for (;; n++) {
		kv_fill(self->buf, vlen, n);
		ret = kv_store(self->fd, &n, sizeof(n), self->buf, vlen, 0);
		if (ret)
			break;
		ASSERT_GT(64, n);
	}
	EXPECT_EQ(KV_SC_CAPACITY, ret);
	EXPECT_LT(20, n);
	TH_LOG("%u values of 512 KiB fit", n);
	EXPECT_EQ(KV_SC_NOT_EXIST, kv_exist(self->fd, &n, sizeof(n)));
	for (uint32_t i = 0; i < n; i++) {
		kv_fill(self->buf, vlen, i);
		ASSERT_EQ(0, kv_retrieve(self->fd, &i, sizeof(i), self->buf2, vlen, &size));
		EXPECT_EQ(vlen, size);
		EXPECT_EQ(0, memcmp(self->buf, self->buf2, vlen)) TH_LOG("value %u", i);
	}
	/* space comes back */
	ASSERT_EQ(0, kv_delete(self->fd, &(uint32_t){ 0 }, sizeof(uint32_t)));
	kv_fill(self->buf, vlen, n);
	EXPECT_EQ(0, kv_store(self->fd, &n, sizeof(n), self->buf, vlen, 0));
}

/*
 * A value stored into the holes of a fragmented drive lies in several
 * extents: Retrieve gathers them, straight into the client's pages or
 * through a bounce, in value order.
 */
TEST_F(kv, retrieve_fragmented)
{
	static const uint32_t offs[] = { 0, 512, 1 };
	uint32_t vlen = 64 << 10, n = 0, big = 5 * (64 << 10) + 1000;
	uint64_t size;

	for (;; n++) {
		kv_fill(self->buf, vlen, n);
		if (kv_store(self->fd, &n, sizeof(n), self->buf, vlen, 0))
			break;
		ASSERT_GT(1024, n);
	}
	ASSERT_LT(12, n);
	/* every other one deleted: no hole is larger than one 64 KiB value */
	for (uint32_t i = 0; i < n; i += 2)
		ASSERT_EQ(0, kv_delete(self->fd, &i, sizeof(i)));
	kv_fill(self->buf, big, 77);
	ASSERT_EQ(0, kv_store(self->fd, "big", 3, self->buf, big, 0));
	for (unsigned int o = 0; o < sizeof(offs) / sizeof(offs[0]); o++)
		for (uint32_t extra = 0; extra <= 8192; extra += 8192) {
			uint8_t *b = self->buf2 + offs[o];

			memset(self->buf2, 0xee, big + 16384);
			ASSERT_EQ(0, kv_retrieve(self->fd, "big", 3, b, big + extra, &size))
				TH_LOG("off %u extra %u", offs[o], extra);
			EXPECT_EQ(big, size);
			EXPECT_EQ(0, memcmp(b, self->buf, big)) TH_LOG("off %u", offs[o]);
			EXPECT_EQ(0xee, b[big]);
		}
	/* the values around the holes are untouched */
	for (uint32_t i = 1; i < n; i += 2) {
		kv_fill(self->buf, vlen, i);
		ASSERT_EQ(0, kv_retrieve(self->fd, &i, sizeof(i), self->buf2, vlen, &size));
		EXPECT_EQ(0, memcmp(self->buf, self->buf2, vlen)) TH_LOG("value %u", i);
	}
}

TEST_F(kv, uring_cmd)
{
	struct io_uring ring;
	struct nvme_passthru_cmd64 c;
	uint64_t res2 = 0;

	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	kv_fill(self->buf, 5000, 11);
	c = kv_cmd(KV_STORE, "ring", 4, self->buf, 5000, 5000);
	ASSERT_EQ(0, nvme_uring(&ring, self->fd, NVME_URING_CMD_IO, &c, &res2));
	c = kv_cmd(KV_RETRIEVE, "ring", 4, self->buf2, 8192, 8192);
	ASSERT_EQ(0, nvme_uring(&ring, self->fd, NVME_URING_CMD_IO, &c, &res2));
	EXPECT_EQ(5000, res2);
	EXPECT_EQ(0, memcmp(self->buf, self->buf2, 5000));
	c = kv_cmd(KV_EXIST, "gone", 4, NULL, 0, 0);
	EXPECT_EQ(KV_SC_NOT_EXIST, nvme_uring(&ring, self->fd, NVME_URING_CMD_IO, &c, &res2));
	io_uring_queue_exit(&ring);
}

TEST_F(kv, permissions)
{
	int ro;

	ASSERT_EQ(0, kv_store(self->fd, "p", 1, "v", 1, 0));
	ro = ubt_open_cdev(0, O_RDONLY);
	ASSERT_LE(0, ro);
	ASSERT_EQ(0, drop_sys_admin());
	EXPECT_EQ(0, kv_retrieve(ro, "p", 1, self->buf, 8, NULL));
	EXPECT_EQ(0, kv_exist(ro, "p", 1));
	EXPECT_EQ(0, kv_list(ro, NULL, 0, self->buf, 64));
	EXPECT_EQ(-EACCES, kv_store(ro, "p", 1, "w", 1, 0));
	EXPECT_EQ(-EACCES, kv_delete(ro, "p", 1));
	/* a node opened for writing: allowed */
	EXPECT_EQ(0, kv_store(self->fd, "p", 1, "w", 1, 0));
	EXPECT_EQ(0, kv_delete(self->fd, "p", 1));
	close(ro);
}

TEST_F(kv, counters)
{
	struct uringblk_stats a, b;
	struct io_uring ring;
	uint64_t v;

	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	ASSERT_LE(0, ubt_get_stats(&ring, self->fd, &a, 0));
	kv_fill(self->buf, 3000, 1);
	ASSERT_EQ(0, kv_store(self->fd, "c", 1, self->buf, 3000, 0));
	ASSERT_EQ(0, kv_retrieve(self->fd, "c", 1, self->buf2, 1000, NULL));
	ASSERT_EQ(0, kv_exist(self->fd, "c", 1));
	ASSERT_LE(0, ubt_get_stats(&ring, self->fd, &b, 0));
	io_uring_queue_exit(&ring);
	/* and sysfs has the same counter */
	ASSERT_EQ(0, ubt_blk_attr_u64(0, "uringblk/kv_cmds", &v));
	EXPECT_LE(b.kv_cmds, v);
	EXPECT_EQ(3, b.kv_cmds - a.kv_cmds);
	EXPECT_EQ(1000, b.kv_bytes_to_host - a.kv_bytes_to_host);
	EXPECT_EQ(3000, b.kv_bytes_from_host - a.kv_bytes_from_host);
	EXPECT_LE(1000, b.bytes_to_host - a.bytes_to_host);
	/* the engine's media writes are the drive's writes: value and record, FUA */
	EXPECT_LE(3000, b.write_bytes - a.write_bytes);
	EXPECT_LE(2, b.fua_ops - a.fua_ops);
}

/*
 * Flush (00h, in the KV command set too): the media flushed (the drive's
 * flush counter), by ioctl and by NVME_URING_CMD_IO; no data buffer
 * (Data SGL Length Invalid); a stored value still there.
 */
TEST_F(kv, flush)
{
	struct nvme_passthru_cmd64 c = cmd64(0x00, 1, NULL, 0);
	struct uringblk_stats a, b;
	struct io_uring ring;

	ASSERT_EQ(0, ubt_ring_init(&ring, 0));
	kv_fill(self->buf, 5000, 7);
	ASSERT_EQ(0, kv_store(self->fd, "f", 1, self->buf, 5000, 0));
	ASSERT_LE(0, ubt_get_stats(&ring, self->fd, &a, 0));
	EXPECT_EQ(0, kv_io(self->fd, &c));
	ASSERT_LE(0, ubt_get_stats(&ring, self->fd, &b, 0));
	EXPECT_EQ(1, b.kv_cmds - a.kv_cmds);
	EXPECT_LE(1, b.flush_ops - a.flush_ops);
	EXPECT_EQ(0, nvme_uring(&ring, self->fd, NVME_URING_CMD_IO, &c, NULL));
	c = cmd64(0x00, 1, self->buf, 4096);
	EXPECT_EQ(KV_SC_SGL_INVALID, kv_io(self->fd, &c));
	ASSERT_EQ(0, kv_retrieve(self->fd, "f", 1, self->buf2, 5000, NULL));
	EXPECT_EQ(0, memcmp(self->buf, self->buf2, 5000));
	io_uring_queue_exit(&ring);
}

/* --- concurrent clients -------------------------------------------------- */

struct client {
	int fd, id, errors;
	long ops;
};

static void *client_loop(void *arg)
{
	struct client *cl = arg;
	uint8_t *v = malloc(70000), *g = malloc(70000);
	uint64_t size;

	for (int i = 0; i < 120; i++) {
		uint8_t key[8] = { 'c', (uint8_t)cl->id, (uint8_t)(i % 10) };
		uint32_t vlen = (i * 997 + cl->id * 131) % 65536;

		kv_fill(v, vlen, cl->id * 1000 + i);
		if (kv_store(cl->fd, key, 3, v, vlen, 0))
			cl->errors++;
		if (kv_retrieve(cl->fd, key, 3, g, 70000, &size) || size != vlen ||
		    memcmp(v, g, vlen))
			cl->errors++;
		if (i % 7 == 0 && kv_delete(cl->fd, key, 3))
			cl->errors++;
		if (kv_list(cl->fd, NULL, 0, g, 4096))
			cl->errors++;
		cl->ops += 4;
	}
	free(v);
	free(g);
	return NULL;
}

/*
 * Stores of one key racing, each written with the engine's lock dropped
 * (kv_put_begin()): with "only if it does not exist" exactly one wins
 * each round and the others get Key Exists; without options the value
 * left is one client's, whole, never a mix.
 */
#define RACE_CLIENTS	4
#define RACE_ROUNDS	24
#define RACE_LEN	(128 << 10)

struct racer {
	int fd, id;
	pthread_barrier_t *bar;
	int st[2][RACE_ROUNDS];
};

static void race_fill(uint8_t *v, int id, int round)
{
	for (uint32_t i = 0; i < RACE_LEN; i += 4096)
		memset(v + i, 'A' + id + 4 * (round % 5), 4096);
}

static void *race_loop(void *arg)
{
	struct racer *r = arg;
	uint8_t *v = aligned_alloc(4096, RACE_LEN);

	for (int phase = 0; phase < 2 && v; phase++) {
		for (int i = 0; i < RACE_ROUNDS; i++) {
			uint8_t key[4] = { 'r', (uint8_t)phase, (uint8_t)i };

			race_fill(v, r->id, i);
			pthread_barrier_wait(r->bar);
			r->st[phase][i] = kv_store(r->fd, key, 3, v, RACE_LEN,
						   phase ? 0 : KV_MUST_NOT_EXIST);
		}
	}
	free(v);
	return NULL;
}

TEST_F(kv, concurrent_same_key)
{
	struct racer r[RACE_CLIENTS];
	pthread_t t[RACE_CLIENTS];
	pthread_barrier_t bar;
	uint64_t size;

	ASSERT_EQ(0, pthread_barrier_init(&bar, NULL, RACE_CLIENTS));
	for (int i = 0; i < RACE_CLIENTS; i++) {
		r[i] = (struct racer){ .fd = self->fd, .id = i, .bar = &bar };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, race_loop, &r[i]));
	}
	for (int i = 0; i < RACE_CLIENTS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&bar);
	for (int phase = 0; phase < 2; phase++) {
		for (int i = 0; i < RACE_ROUNDS; i++) {
			uint8_t key[4] = { 'r', (uint8_t)phase, (uint8_t)i };
			int wins = 0, exists = 0, winner = -1;

			for (int c = 0; c < RACE_CLIENTS; c++) {
				wins += !r[c].st[phase][i];
				exists += r[c].st[phase][i] == KV_SC_EXISTS;
				if (!r[c].st[phase][i])
					winner = c;
			}
			ASSERT_EQ(0, kv_retrieve(self->fd, key, 3, self->buf, RACE_LEN, &size));
			ASSERT_EQ(RACE_LEN, size);
			if (phase == 0) {
				/* one store made it; its value is the one there */
				EXPECT_EQ(1, wins) TH_LOG("round %d", i);
				EXPECT_EQ(RACE_CLIENTS - 1, exists) TH_LOG("round %d", i);
			} else {
				/* every store made it; the last one's value is there */
				EXPECT_EQ(RACE_CLIENTS, wins) TH_LOG("round %d", i);
				winner = self->buf[0] - 'A' - 4 * (i % 5);
				ASSERT_LE(0, winner);
				ASSERT_GT(RACE_CLIENTS, winner);
			}
			race_fill(self->buf2, winner < 0 ? 0 : winner, i);
			EXPECT_EQ(0, memcmp(self->buf, self->buf2, RACE_LEN))
				TH_LOG("phase %d round %d: not client %d's value, whole", phase, i,
				       winner);
		}
	}
}

/*
 * A memory drive's values carry no CRC (its media is trusted: kv-format.md):
 * its image, copied out through the read-only block device, passes
 * kv_fsck() with every value read and none CRC-checked.
 */
TEST_F(kv, memory_image_fsck)
{
	static const uint32_t sizes[] = { 4096, (1 << 20) + 100, 0, 1 };
	char exe[PATH_MAX], cmd[PATH_MAX + 64], line[512] = "", *slash;
	const char *img = "/tmp/nvme_kv_mem.img";
	ssize_t n;
	int in, out;
	FILE *p;

	for (unsigned int i = 0; i < 4; i++) {
		memset(self->buf, 'a' + i, sizes[i]);
		ASSERT_EQ(0, kv_store(self->fd, &i, sizeof(i), self->buf, sizes[i], 0));
	}
	in = open("/dev/uringblk0", O_RDONLY);
	ASSERT_LE(0, in);
	out = open(img, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, out);
	while ((n = read(in, self->buf2, 1 << 20)) > 0)
		ASSERT_EQ(n, write(out, self->buf2, n));
	ASSERT_EQ(0, n);
	close(in);
	close(out);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ASSERT_LT(0, n);
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	ASSERT_NE(NULL, slash);
	*slash = '\0';
	snprintf(cmd, sizeof(cmd), "timeout 120 %s/kv_fsck_img %s", exe, img);
	p = popen(cmd, "r");
	ASSERT_NE(NULL, p);
	if (!fgets(line, sizeof(line), p))
		line[0] = '\0';
	EXPECT_EQ(0, pclose(p)) TH_LOG("%s", line);
	unlink(img);
	EXPECT_NE(NULL, strstr(line, ": clean, 4 objects,")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " 0 bad values, 4 values without a CRC")) TH_LOG("%s", line);
}

TEST_F(kv, concurrent_clients)
{
	struct client cl[4];
	pthread_t t[4];

	for (int i = 0; i < 4; i++) {
		cl[i] = (struct client) { .fd = self->fd, .id = i };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, client_loop, &cl[i]));
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, cl[i].errors) TH_LOG("client %d", i);
	}
}

TEST_HARNESS_MAIN
