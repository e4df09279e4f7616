// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The bpf/ programs on a real drive (in the test VM): write known data,
 * load every program with liburingblk, run it with EXEC over several
 * ranges and compare with the same computation in C (ref.h) over the
 * bytes written.  Also the ABI around it: the result struct, r0 above
 * INT32_MAX (-EOVERFLOW and CQE32), the counters an EXEC moves, budget
 * and range errors, the validator log, PROG_LIST and unloading.
 *
 * usage: devcheck DEV BPF_OBJ_DIR TEST_OBJ_DIR    (needs root; overwrites
 *        the first DATA_LEN bytes of DEV)
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include <liburingblk.h>

#include "ref.h"
#include "../../bpf/count_pattern.h"

#define DATA_LEN	(8U << 20)
#define OUT_MAX		URINGBLK_MAX_EXEC_OUT

static uint8_t *data;
static uint8_t out[OUT_MAX];
static const char *bpf_dir, *test_dir;
static struct uringblk_dev *dev;
static struct uringblk_identify id;
static int passed, failed;

#include "../check.h"

static __u32 load(const char *dir, const char *obj, const char *name)
{
	char path[512], log[4096];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, obj);
	ret = uringblk_prog_load_file(dev, path, name, log, sizeof(log));
	if (ret <= 0) {
		fprintf(stderr, "load %s: %s\n%s\n", path,
			uringblk_strerror(ret), log);
		exit(2);
	}
	return (__u32)ret;
}

/* Run @prog over bytes [off, off + len) of the data (whole blocks). */
static int run(__u32 prog, uint64_t off, uint64_t len, uint64_t a0,
	       uint64_t a1, uint64_t a2, size_t out_len, uint64_t budget,
	       struct uringblk_exec_result *res)
{
	struct uringblk_exec_args a = {
		.prog_id = prog,
		.lba_start = off / id.logical_block_size,
		.lba_count = len / id.logical_block_size,
		.budget = budget,
		.args = { a0, a1, a2 },
	};

	return uringblk_exec(dev, &a, res, out, out_len);
}

static void make_data(void)
{
	static const char *const words[] = {
		"the", "quick", "Alpha", "brown", "Alph", "lpha", "AlphAlpha",
		"aaaa", "fox", "\n", "drive", "AAlpha", "alpha", "over",
	};
	uint64_t seed = 0x2545f4914f6cdd1dULL;
	size_t n = 0;

	while (n < DATA_LEN / 2) {
		const char *w;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		w = words[(seed >> 33) % (sizeof(words) / sizeof(words[0]))];
		for (; *w; w++)
			data[n++] = *w;
		data[n++] = ' ';
	}
	while (n < DATA_LEN) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		data[n++] = seed >> 56;
	}
	/* occurrences across page and block boundaries */
	memcpy(data + 4096 - 2, "Alpha", 5);
	memcpy(data + (1 << 20) - 1, "Alpha", 5);
	memcpy(data + 64 * 1024 - 4, "Alpha", 5);
}

static int write_data(void)
{
	ssize_t n;
	int fd;

	fd = open(uringblk_blk_path(dev), O_WRONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0) {
		perror(uringblk_blk_path(dev));
		return -1;
	}
	/* O_DIRECT: done when pwrite() returns; EXEC sees completed writes */
	n = pwrite(fd, data, DATA_LEN, 0);
	if (n != DATA_LEN) {
		perror("write");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static void test_count(void)
{
	static const char *const pats[] = { "Alpha", "aa", "\n", "AlphAlpha",
					    "0123456789abcdef", "e" };
	static const uint64_t ranges[][2] = {
		{ 0, DATA_LEN }, { 4096 - 512, 1024 }, { (1 << 20) - 512, 1024 },
		{ 512, DATA_LEN - 1024 }, { DATA_LEN - 512, 512 },
	};
	__u32 p = load(bpf_dir, "count_pattern.bpf.o", NULL);
	struct uringblk_exec_args a = { 0 };
	struct uringblk_exec_result res;
	uint64_t want, used;
	int ret;

	for (size_t r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++) {
		for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
			count_pattern_args(a.args, pats[i], strlen(pats[i]));
			want = ref_count(data + ranges[r][0], ranges[r][1],
					 pats[i], strlen(pats[i]));
			ret = run(p, ranges[r][0], ranges[r][1], a.args[0],
				  a.args[1], a.args[2], 0, 0, &res);
			CHECK(!ret && res.r0 == want && !res.error &&
			      res.bytes_scanned == ranges[r][1] && !res.out_len,
			      "count '%s' in [%" PRIu64 ", +%" PRIu64 "): ret %d "
			      "r0 %llu want %" PRIu64 ", scanned %llu",
			      pats[i], ranges[r][0], ranges[r][1], ret,
			      (unsigned long long)res.r0, want,
			      (unsigned long long)res.bytes_scanned);
		}
	}
	/* bad pattern length: the program's deliberate -EINVAL */
	ret = run(p, 0, 4096, 0, 0, 0, 0, 0, &res);
	CHECK(ret == -EINVAL && res.error == -EINVAL &&
	      res.abort_code == URINGBLK_PROG_ABORT_ARG,
	      "len 0: ret %d error %d code %u", ret, res.error, res.abort_code);
	/*
	 * budget: at least 3 units per 64 bytes skipped, under 1 a byte over
	 * this text (page fetches included); the units a run used are
	 * enough for it, one less is not, and too few stop it
	 */
	count_pattern_args(a.args, "Alpha", 5);
	ret = run(p, 0, DATA_LEN, a.args[0], a.args[1], a.args[2], 0,
		  DATA_LEN / 64 / 4, &res);
	CHECK(ret == -ETIME && res.error == -ETIME &&
	      res.abort_code == URINGBLK_PROG_ABORT_BUDGET && res.insns > 0,
	      "small budget: ret %d code %u insns %llu", ret, res.abort_code,
	      (unsigned long long)res.insns);
	ret = run(p, 0, DATA_LEN, a.args[0], a.args[1], a.args[2], 0, 0, &res);
	used = res.insns;
	CHECK(!ret && used >= DATA_LEN * 3 / 64 && used < DATA_LEN,
	      "default budget: ret %d insns %llu", ret,
	      (unsigned long long)used);
	ret = run(p, 0, DATA_LEN, a.args[0], a.args[1], a.args[2], 0, used,
		  &res);
	CHECK(!ret && res.insns == used, "budget %llu: ret %d insns %llu",
	      (unsigned long long)used, ret, (unsigned long long)res.insns);
	ret = run(p, 0, DATA_LEN, a.args[0], a.args[1], a.args[2], 0,
		  used - 1, &res);
	CHECK(ret == -ETIME && res.abort_code == URINGBLK_PROG_ABORT_BUDGET,
	      "budget %llu: ret %d", (unsigned long long)used - 1, ret);
	if (id.max_insn_budget < ~0ULL) {
		ret = run(p, 0, 4096, a.args[0], a.args[1], a.args[2], 0,
			  id.max_insn_budget + 1, &res);
		CHECK(ret == -EINVAL && !res.abort_code,
		      "budget above max: ret %d", ret);
	}
	/* the range must be inside the device and not empty */
	ret = run(p, id.capacity - 512, 1024, a.args[0], a.args[1], a.args[2],
		  0, 0, &res);
	CHECK(ret == -ERANGE && !res.abort_code, "past the end: ret %d", ret);
	ret = run(p, 0, 0, a.args[0], a.args[1], a.args[2], 0, 0, &res);
	CHECK(ret == -ERANGE, "empty range: ret %d", ret);
	CHECK(uringblk_prog_unload(dev, p) == 0, "unload");
	ret = run(p, 0, 4096, a.args[0], a.args[1], a.args[2], 0, 0, &res);
	CHECK(ret == -ENOENT, "exec after unload: ret %d", ret);
	CHECK(uringblk_prog_unload(dev, p) == -ENOENT, "unload twice");
}

/* grep: output through the library, and zero-copy on our own ring */
static void test_grep(void)
{
	static uint64_t want[DATA_LEN / 8];
	__u32 p = load(bpf_dir, "grep.bpf.o", NULL);
	struct uringblk_exec_args a = { .prog_id = p };
	struct uringblk_exec_result res, *rp;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	uint64_t n, cap;
	void *reply;
	int more, ret;

	count_pattern_args(a.args, "Alpha", 5);
	n = ref_grep(data, DATA_LEN, "Alpha", 5, want, OUT_MAX / 8, &more);
	ret = run(p, 0, DATA_LEN, a.args[0], a.args[1], a.args[2], OUT_MAX, 0,
		  &res);
	CHECK(!ret && res.r0 == (n | (more ? GREP_MORE : 0)) &&
	      res.out_len == n * 8 && !memcmp(out, want, n * 8),
	      "grep: ret %d r0 %#llx want %" PRIu64 "%s, out %llu", ret,
	      (unsigned long long)res.r0, n, more ? "+more" : "",
	      (unsigned long long)res.out_len);

	/* 10 fit: r0 has bit 63, so cqe->res is -EOVERFLOW; lib says 0 */
	cap = 10;
	n = ref_grep(data, DATA_LEN, "Alpha", 5, want, cap, &more);
	ret = run(p, 0, DATA_LEN, a.args[0], a.args[1], a.args[2], cap * 8, 0,
		  &res);
	CHECK(!ret && more && res.r0 == (n | GREP_MORE) &&
	      res.out_len == cap * 8 && !memcmp(out, want, cap * 8),
	      "grep 10: ret %d r0 %#llx", ret, (unsigned long long)res.r0);

	/* the same on a ring of our own, CQE32: big_cqe[0] is r0 */
	ret = io_uring_queue_init(4, &ring, IORING_SETUP_SQE128 |
				  IORING_SETUP_CQE32);
	CHECK(!ret, "ring: %d", ret);
	if (ret)
		return;
	reply = aligned_alloc(64, sizeof(res) + cap * 8);
	rp = reply;
	/* two in flight: an empty range (refused, writes nothing), the data */
	uringblk_prep_exec(io_uring_get_sqe(&ring), uringblk_chr_fd(dev), &a,
			   reply, sizeof(res) + cap * 8);
	a.lba_count = DATA_LEN / id.logical_block_size;
	uringblk_prep_exec(io_uring_get_sqe(&ring), uringblk_chr_fd(dev), &a,
			   reply, sizeof(res) + cap * 8);
	io_uring_submit(&ring);
	for (int i = 0; i < 2; i++) {
		ret = io_uring_wait_cqe(&ring, &cqe);
		if (ret)
			break;
		if (cqe->res == -ERANGE) {
			CHECK(cqe->big_cqe[0] == 0, "refused: big_cqe %llu",
			      (unsigned long long)cqe->big_cqe[0]);
		} else {
			CHECK(cqe->res == -EOVERFLOW &&
			      cqe->big_cqe[0] == (n | GREP_MORE) &&
			      rp->r0 == (n | GREP_MORE) &&
			      !memcmp(uringblk_exec_reply_out(reply), want, cap * 8),
			      "own ring: res %d big_cqe %#llx r0 %#llx", cqe->res,
			      (unsigned long long)cqe->big_cqe[0],
			      (unsigned long long)rp->r0);
		}
		io_uring_cqe_seen(&ring, cqe);
	}
	free(reply);
	io_uring_queue_exit(&ring);
}

static void test_histogram_checksum(void)
{
	__u32 h = load(bpf_dir, "histogram.bpf.o", NULL);
	__u32 c = load(bpf_dir, "checksum.bpf.o", NULL);
	struct uringblk_exec_result res;
	uint64_t want[256], distinct;
	uint64_t crc_len = 1 << 20;
	int ret;

	distinct = ref_hist(data, DATA_LEN, want);
	ret = run(h, 0, DATA_LEN, 0, 0, 0, 4096, 0, &res);
	CHECK(!ret && res.r0 == distinct && res.out_len == 2048 &&
	      !memcmp(out, want, 2048), "histogram: ret %d r0 %llu",
	      ret, (unsigned long long)res.r0);
	distinct = ref_hist(data + 512, 512, want);
	ret = run(h, 512, 512, 0, 0, 0, 2048, 0, &res);
	CHECK(!ret && res.r0 == distinct && !memcmp(out, want, 2048),
	      "histogram of block 1: ret %d", ret);

	ret = run(c, 0, DATA_LEN, 0, 0, 0, 0, 0, &res);
	CHECK(!ret && res.r0 == ref_sum32(data, DATA_LEN),
	      "sum32: ret %d r0 %#llx want %#llx", ret,
	      (unsigned long long)res.r0,
	      (unsigned long long)ref_sum32(data, DATA_LEN));
	ret = run(c, 0, crc_len, 1, 0, 0, 0, 40 * crc_len, &res);
	CHECK(!ret && res.r0 == crc32(crc32(0, NULL, 0), data, crc_len),
	      "crc32 1 MiB: ret %d r0 %#llx want %#lx (%llu units)", ret,
	      (unsigned long long)res.r0, crc32(crc32(0, NULL, 0), data, crc_len),
	      (unsigned long long)res.insns);
}

static void test_records(void)
{
	static const uint64_t cases[][5] = {	/* off, len, rec, foff, width */
		{ 0, DATA_LEN, 16, 8, 8 }, { 4096, 65536, 12, 2, 4 },
		{ 512, 1 << 20, 1000, 998, 2 }, { 0, 512, 1, 0, 1 },
	};
	__u32 p = load(bpf_dir, "sum_records.bpf.o", NULL);
	struct uringblk_exec_result res;
	uint64_t sum, nrec, o[2];
	int ret;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const uint64_t *c = cases[i];

		sum = ref_records(data + c[0], c[1], c[2], c[3], c[4], &nrec);
		ret = run(p, c[0], c[1], c[2], c[3], c[4], 16, 1ULL << 32, &res);
		memcpy(o, out, 16);
		CHECK(!ret && res.r0 == sum && res.out_len == 16 && o[0] == sum &&
		      o[1] == nrec, "records case %zu: ret %d r0 %#llx want %#"
		      PRIx64 " records %" PRIu64 "/%" PRIu64, i, ret,
		      (unsigned long long)res.r0, sum, o[1], nrec);
	}
	ret = run(p, 0, 4096, 16, 14, 4, 16, 0, &res);
	CHECK(ret == -EINVAL && res.abort_code == URINGBLK_PROG_ABORT_ARG,
	      "records bad args: ret %d", ret);
}

static void test_subprog_validator(void)
{
	__u32 p = load(test_dir, "subprog.bpf.o", "calls");
	struct bpf_insn bad[2] = {
		{ .code = BPF_JMP | BPF_JA, .off = 5 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct uringblk_exec_result res;
	char log[256];
	int ret;

	ret = run(p, 0, 512, 5, 11, 1000, 0, 0, &res);
	CHECK(!ret && res.r0 == (5 * 2 + 1) * 3 + 7 + 11 * 2 + 1 + 1000 + 101,
	      "subprog: ret %d r0 %llu", ret, (unsigned long long)res.r0);

	ret = uringblk_prog_load(dev, bad, 2, "bad", log, sizeof(log));
	CHECK(ret == -EINVAL && strstr(log, "at insn 0"),
	      "validator: ret %d log '%s'", ret, log);
	/* the map-using program, bypassing the library's refusal */
	{
		struct bpf_insn *insns;
		unsigned int cnt;
		char path[512];

		snprintf(path, sizeof(path), "%s/map.bpf.o", test_dir);
		ret = uringblk_prog_read_file(path, "no_map", &insns, &cnt,
					      NULL, log, sizeof(log));
		CHECK(!ret, "no_map: %d", ret);
		if (!ret) {
			ret = uringblk_prog_load(dev, insns, cnt, NULL, log,
						 sizeof(log));
			CHECK(ret > 0, "load unnamed: %d %s", ret, log);
			free(insns);
		}
	}
}

/* bytes_to_host counts EXEC replies: result struct + output */
static void test_counters(void)
{
	__u32 p = load(bpf_dir, "histogram.bpf.o", "histogram");
	struct uringblk_stats before, after;
	struct uringblk_exec_result res;
	int ret;

	ret = uringblk_get_stats(dev, &before, 0);
	CHECK(!ret, "stats: %d", ret);
	ret = run(p, 0, 1 << 20, 0, 0, 0, 4096, 0, &res);
	CHECK(!ret, "histogram: %d", ret);
	uringblk_get_stats(dev, &after, 0);
	CHECK(after.prog_runs == before.prog_runs + 1, "prog_runs");
	CHECK(after.bytes_to_host - before.bytes_to_host == 64 + 2048 &&
	      after.prog_bytes_to_host - before.prog_bytes_to_host == 64 + 2048,
	      "bytes_to_host +%llu prog_bytes_to_host +%llu, want 2112",
	      (unsigned long long)(after.bytes_to_host - before.bytes_to_host),
	      (unsigned long long)(after.prog_bytes_to_host -
				   before.prog_bytes_to_host));
	CHECK(after.prog_bytes_scanned - before.prog_bytes_scanned == 1 << 20,
	      "prog_bytes_scanned +%llu",
	      (unsigned long long)(after.prog_bytes_scanned -
				   before.prog_bytes_scanned));
	CHECK(after.prog_insns - before.prog_insns == res.insns,
	      "prog_insns +%llu, result says %llu",
	      (unsigned long long)(after.prog_insns - before.prog_insns),
	      (unsigned long long)res.insns);
	CHECK(after.read_bytes == before.read_bytes,
	      "EXEC is not a READ: read_bytes moved");
}

static void test_list(void)
{
	struct uringblk_prog_info info[URINGBLK_MAX_PROGS];
	int n, found = 0;

	n = uringblk_prog_list(dev, info, URINGBLK_MAX_PROGS);
	CHECK(n > 0, "list: %d", n);
	for (int i = 0; i < n; i++) {
		if (i)
			CHECK(info[i].id > info[i - 1].id, "ids ascend");
		if (!strncmp(info[i].name, "histogram", 32)) {
			found++;
			CHECK(info[i].runs >= 1 && info[i].insn_cnt > 0,
			      "histogram runs %llu", (unsigned long long)info[i].runs);
		}
	}
	CHECK(found == 2, "two histogram programs listed, %d", found);
	/* paging: one entry at a time gives the same list */
	for (int i = 0; i < n; i++) {
		struct uringblk_prog_info one;

		CHECK(uringblk_prog_list(dev, &one, 1) == 1 &&
		      one.id == info[0].id, "list 1");
	}
	for (int i = 0; i < n; i++)
		if (!(info[i].flags & URINGBLK_PROG_INFO_F_DEVICE))
			uringblk_prog_unload(dev, info[i].id);
	/* what is left is the drive's own programs, which cannot go */
	n = uringblk_prog_list(dev, info, URINGBLK_MAX_PROGS);
	CHECK(n >= 0, "list: %d", n);
	for (int i = 0; i < n; i++)
		CHECK(info[i].flags & URINGBLK_PROG_INFO_F_DEVICE,
		      "all downloaded programs unloaded");
}

int main(int argc, char **argv)
{
	int ret;

	if (argc != 4) {
		fprintf(stderr, "usage: %s DEV BPF_OBJ_DIR TEST_OBJ_DIR\n",
			argv[0]);
		return 2;
	}
	bpf_dir = argv[2];
	test_dir = argv[3];
	ret = uringblk_open(argv[1], &dev);
	if (!ret)
		ret = uringblk_identify(dev, &id);
	if (ret) {
		fprintf(stderr, "%s: %s\n", argv[1], uringblk_strerror(ret));
		return 2;
	}
	if (!(id.features & URINGBLK_F_COMPUTE) || id.capacity < 2 * DATA_LEN) {
		fprintf(stderr, "%s: no compute feature or too small\n", argv[1]);
		return 2;
	}
	data = aligned_alloc(4096, DATA_LEN);
	make_data();
	if (write_data())
		return 2;
	test_count();
	test_grep();
	test_histogram_checksum();
	test_records();
	test_subprog_validator();
	test_counters();
	test_list();
	printf("bpf programs on %s: %d checks passed, %d failed\n",
	       uringblk_blk_path(dev), passed, failed);
	uringblk_close(dev);
	return failed ? 1 : 0;
}
