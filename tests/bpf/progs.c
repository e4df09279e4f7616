// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The programs of bpf/, loaded the way the CLI loads them
 * (uringblk_prog_read_file()) and run natively in the drive's own VM
 * (driver/sandbox/prog_*.c), each result compared with the same computation in
 * plain C over the same data.  Data windows are cut at several
 * granularities (whole, 4 KiB pages, 7 bytes) since the drive maps its
 * memory a page at a time.  Every run is also made with yields, which
 * must change nothing (tests/unit/yieldcheck.h).
 *
 * usage: progs <dir of bpf/ objects> <dir of tests/lib/bpf objects>
 */
#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

#include <liburingblk.h>

#include "ref.h"
#include "../../bpf/count_pattern.h"
#include "../lib/bpf/globals.h"
#include "vm.h"

#define DATA_LEN	(600 * 512)		/* 300 KiB: 600 blocks */
#define BUDGET		(1ULL << 32)

static uint8_t data[DATA_LEN];
static uint8_t out[URINGBLK_MAX_EXEC_OUT];
static const char *bpf_dir, *test_dir;
static int passed, failed;
static uint64_t chunk;

#define CHECK_CONTEXT()	fprintf(stderr, " (chunk %llu)", (unsigned long long)chunk)
#include "../check.h"

struct prog {
	struct bpf_insn	*insns;
	unsigned int	cnt;
	struct uringblk_prog_obj po;	/* also its global data */
};

static struct prog load(const char *dir, const char *obj, const char *name)
{
	char path[512], log[1024];
	struct prog p = { 0 };
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, obj);
	ret = uringblk_prog_read_obj(path, name, &p.po, log, sizeof(log));
	if (ret) {
		fprintf(stderr, "%s: %s\n", path, log);
		exit(2);
	}
	p.insns = p.po.insns;
	p.cnt = p.po.insn_cnt;
	return p;
}

static struct vm_result run(struct prog p, const void *data_p, uint64_t len,
			    uint64_t a0, uint64_t a1, uint64_t a2,
			    uint32_t out_len, uint64_t budget)
{
	uint64_t args[3] = { a0, a1, a2 };
	struct vm_result r;
	char msg[256] = "";
	int ret;

	vm_set_globals(p.po.globals, p.po.rodata_len, p.po.data_len,
		       p.po.bss_len);
	ret = vm_run(p.insns, p.cnt, data_p, len, chunk, args, out, out_len,
		     budget, &r, msg, sizeof(msg));
	vm_set_globals(NULL, 0, 0, 0);
	if (ret) {
		fprintf(stderr, "validator: %d %s\n", ret, msg);
		exit(2);
	}
	CHECK(r.work_bounded, "helper work beyond the %llu units charged",
	      (unsigned long long)r.insns);
	CHECK(!r.yield_error, "%s", r.yield_error);
	return r;
}

/* English-ish text with planted patterns, a binary tail, record fields. */
static void make_data(void)
{
	static const char *const words[] = {
		"the", "quick", "Alpha", "brown", "Alph", "lpha", "AlphAlpha",
		"aaaa", "fox", "\n", "drive", "AAlpha", "alpha", "over",
	};
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t n = 0;

	while (n < DATA_LEN * 3 / 4) {
		const char *w;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		w = words[(seed >> 33) % (sizeof(words) / sizeof(words[0]))];
		for (; *w && n < DATA_LEN; w++)
			data[n++] = *w;
		if (n < DATA_LEN)
			data[n++] = ' ';
	}
	while (n < DATA_LEN) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		data[n++] = seed >> 56;
	}
	/* a match across the 4 KiB page boundary */
	memcpy(data + 4096 - 2, "Alpha", 5);
}

/* The pattern programs' args, packed as every host packs them. */
static void pack(const char *pat, size_t m, uint64_t a[3])
{
	CHECK(count_pattern_args((__u64 *)a, pat, m) == 0, "pack '%s'", pat);
}

/* count_pattern_args() itself: bytes in memory order, length, bounds. */
static void test_pattern_args(void)
{
	__u64 a[4];
	const uint8_t *b = (const uint8_t *)a;

	memset(a, 0xff, sizeof(a));
	CHECK(count_pattern_args(a, "Alpha", 5) == 0, "pack Alpha");
	CHECK(!memcmp(b, "Alpha\0\0\0\0\0\0\0\0\0\0\0", 16) && a[2] == 5,
	      "Alpha: bytes in memory order, zero after, length in args[2]");
	CHECK(a[3] == ~0ULL, "args[3] untouched");
	CHECK(count_pattern_args(a, "0123456789abcdef", 16) == 0 &&
	      !memcmp(b, "0123456789abcdef", 16) && a[2] == 16, "16 bytes");
	CHECK(count_pattern_args(a, "0123456789abcdefg", 17) == -EINVAL,
	      "17 bytes refused");
	CHECK(count_pattern_args(a, "", 0) == -EINVAL, "empty refused");
}

static void test_count(void)
{
	static const char *const pats[] = {
		"Alpha", "aa", "a", "AlphAlpha", "0123456789abcdef", "\n", "zz",
	};
	struct prog p = load(bpf_dir, "count_pattern.bpf.o", NULL);
	struct vm_result r;
	uint64_t a[3], used;

	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		size_t m = strlen(pats[i]);
		uint64_t want = ref_count(data, DATA_LEN, pats[i], m);

		pack(pats[i], m, a);
		r = run(p, (void *)data, DATA_LEN, a[0], a[1], a[2], 0, BUDGET);
		CHECK(r.error == 0 && r.r0 == want, "count '%s': %llu, want %llu "
		      "(error %d)", pats[i], (unsigned long long)r.r0,
		      (unsigned long long)want, r.error);
		CHECK(r.out_len == 0, "count: output %llu",
		      (unsigned long long)r.out_len);
		CHECK(r.bytes_scanned == DATA_LEN, "count scanned %llu",
		      (unsigned long long)r.bytes_scanned);
	}
	/* a range of one block: LBA-relative offsets */
	pack("Alpha", 5, a);
	r = run(p, (void *)(data + 4096 - 512), 1024, a[0], a[1], a[2], 0, BUDGET);
	CHECK(r.r0 == ref_count(data + 4096 - 512, 1024, "Alpha", 5), "sub-range");

	/* bad lengths: -EINVAL, abort "arg" */
	for (uint64_t len = 0; len <= 17; len += 17) {
		r = run(p, (void *)data, DATA_LEN, a[0], a[1], len, 0, BUDGET);
		CHECK(r.error == -EINVAL &&
		      r.abort_code == URINGBLK_PROG_ABORT_ARG,
		      "len %llu: error %d code %u", (unsigned long long)len,
		      r.error, r.abort_code);
	}
	/*
	 * The charge: under 1 unit a byte (a byte costs at most two
	 * comparisons of 1/2 unit) plus the map calls; the budget it used is
	 * enough, one unit less is not.
	 */
	r = run(p, (void *)data, DATA_LEN, a[0], a[1], 5, 0, BUDGET);
	used = r.insns;
	CHECK(r.error == 0 && used <= DATA_LEN + r.map_units + 64,
	      "charge: %llu units, %llu for maps", (unsigned long long)used,
	      (unsigned long long)r.map_units);
	r = run(p, (void *)data, DATA_LEN, a[0], a[1], 5, 0, used);
	CHECK(r.error == 0, "enough budget: error %d", r.error);
	r = run(p, (void *)data, DATA_LEN, a[0], a[1], 5, 0, used - 1);
	CHECK(r.error == -ETIME && r.abort_code == URINGBLK_PROG_ABORT_BUDGET,
	      "budget: error %d", r.error);
	free(p.insns);
}

static void test_grep(void)
{
	struct prog p = load(bpf_dir, "grep.bpf.o", NULL);
	static uint64_t want[DATA_LEN];
	uint64_t a[3], n = 0, got;
	struct vm_result r;

	for (uint64_t i = 0; i + 5 <= DATA_LEN; i++)
		if (!memcmp(data + i, "Alpha", 5))
			want[n++] = i;
	pack("Alpha", 5, a);

	r = run(p, (void *)data, DATA_LEN, a[0], a[1], a[2], sizeof(out), BUDGET);
	if (!chunk)
		printf("grep: %llu matches of Alpha\n", (unsigned long long)n);
	CHECK(r.error == 0 && r.r0 == n, "grep: r0 %#llx want %llu",
	      (unsigned long long)r.r0, (unsigned long long)n);
	CHECK(r.out_len == n * 8 && !memcmp(out, want, n * 8),
	      "grep: offsets differ (%llu bytes)", (unsigned long long)r.out_len);

	/* room for 3: the first 3, and the "more" bit */
	r = run(p, (void *)data, DATA_LEN, a[0], a[1], a[2], 3 * 8 + 7, BUDGET);
	got = r.r0 & ~GREP_MORE;
	CHECK(r.error == 0 && got == 3 && (r.r0 & GREP_MORE) &&
	      r.out_len == 24 && !memcmp(out, want, 24),
	      "grep truncated: r0 %#llx", (unsigned long long)r.r0);
	/* room for exactly all: no "more" bit */
	r = run(p, (void *)data, DATA_LEN, a[0], a[1], a[2], n * 8, BUDGET);
	CHECK(r.r0 == n, "grep exact fit: r0 %#llx", (unsigned long long)r.r0);
	/* overlapping: "aa" in "aaaa" at 3 places */
	pack("aa", 2, a);
	r = run(p, (void *)data, DATA_LEN, a[0], a[1], a[2], sizeof(out), BUDGET);
	CHECK(r.r0 == ref_count(data, DATA_LEN, "aa", 2), "grep aa: %llu",
	      (unsigned long long)r.r0);
	r = run(p, (void *)data, DATA_LEN, a[0], a[1], 0, sizeof(out), BUDGET);
	CHECK(r.error == -EINVAL, "grep len 0: %d", r.error);
	free(p.insns);
}

static void test_histogram(void)
{
	struct prog p = load(bpf_dir, "histogram.bpf.o", NULL);
	uint64_t want[256], distinct = ref_hist(data, DATA_LEN, want);
	struct vm_result r;

	r = run(p, (void *)data, DATA_LEN, 0, 0, 0, 4096, BUDGET);
	CHECK(r.error == 0 && r.r0 == distinct, "histogram r0 %llu want %llu",
	      (unsigned long long)r.r0, (unsigned long long)distinct);
	CHECK(r.out_len == 2048 && !memcmp(out, want, 2048),
	      "histogram counts differ");
	r = run(p, (void *)data, DATA_LEN, 0, 0, 0, 2047, BUDGET);
	CHECK(r.error == -EINVAL, "histogram short output: %d", r.error);
	free(p.insns);
}

static void test_checksum(void)
{
	struct prog p = load(bpf_dir, "checksum.bpf.o", NULL);
	uint64_t sum = ref_sum32(data, DATA_LEN);
	struct vm_result r;
	uint32_t crc;

	r = run(p, (void *)data, DATA_LEN, 0, 0, 0, 0, BUDGET);
	CHECK(r.error == 0 && r.r0 == sum, "sum32 %#llx want %#llx",
	      (unsigned long long)r.r0, (unsigned long long)sum);
	crc = crc32(crc32(0, NULL, 0), data, DATA_LEN);
	r = run(p, (void *)data, DATA_LEN, 1, 0, 0, 0, BUDGET);
	CHECK(r.error == 0 && r.r0 == crc, "crc32 %#llx want %#x",
	      (unsigned long long)r.r0, crc);
	printf("checksum crc32 over %u bytes: %llu budget units (%.1f per byte)\n",
	       DATA_LEN, (unsigned long long)r.insns, (double)r.insns / DATA_LEN);
	crc = ref_crc32c(data, DATA_LEN);
	r = run(p, (void *)data, DATA_LEN, 2, 0, 0, 0, BUDGET);
	CHECK(r.error == 0 && r.r0 == crc, "crc32c %#llx want %#x",
	      (unsigned long long)r.r0, crc);
	/* the standard check value: CRC-32C("123456789") = 0xe3069283 */
	r = run(p, "123456789", 9, 2, 0, 0, 0, BUDGET);
	CHECK(r.error == 0 && r.r0 == 0xe3069283 &&
	      ref_crc32c((const uint8_t *)"123456789", 9) == 0xe3069283,
	      "crc32c check value %#llx", (unsigned long long)r.r0);
	r = run(p, (void *)data, DATA_LEN, 3, 0, 0, 0, BUDGET);
	CHECK(r.error == -EINVAL, "checksum mode 3: %d", r.error);
	free(p.insns);
}

static void test_records(void)
{
	static const uint64_t ok[][3] = {
		{ 16, 0, 8 }, { 16, 8, 4 }, { 3, 1, 2 }, { 1, 0, 1 },
		{ 24, 16, 8 }, { 256, 255, 1 }, { 257, 249, 8 },
		{ 1000, 996, 4 }, { 65536, 65528, 8 },
	};
	static const uint64_t bad[][3] = {
		{ 0, 0, 1 }, { 16, 0, 3 }, { 16, 13, 4 }, { 2, 0, 4 },
		{ 65537, 0, 1 }, { 8, ~0ULL, 8 },
	};
	struct prog p = load(bpf_dir, "sum_records.bpf.o", NULL);
	uint64_t nrec, sum, o[2];
	struct vm_result r;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		sum = ref_records(data, DATA_LEN, ok[i][0], ok[i][1], ok[i][2],
				  &nrec);
		r = run(p, (void *)data, DATA_LEN, ok[i][0], ok[i][1], ok[i][2],
			16, BUDGET);
		memcpy(o, out, 16);
		CHECK(r.error == 0 && r.r0 == sum && r.out_len == 16 &&
		      o[0] == sum && o[1] == nrec,
		      "records %llu/%llu/%llu: r0 %#llx want %#llx, out {%#llx, "
		      "%llu} want %llu records, error %d",
		      (unsigned long long)ok[i][0], (unsigned long long)ok[i][1],
		      (unsigned long long)ok[i][2], (unsigned long long)r.r0,
		      (unsigned long long)sum, (unsigned long long)o[0],
		      (unsigned long long)o[1], (unsigned long long)nrec, r.error);
	}
	/* no room for the output: r0 only */
	r = run(p, (void *)data, DATA_LEN, 16, 0, 8, 8, BUDGET);
	CHECK(r.error == 0 && r.out_len == 0, "records out 8: %d %llu", r.error,
	      (unsigned long long)r.out_len);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = run(p, (void *)data, DATA_LEN, bad[i][0], bad[i][1],
			bad[i][2], 16, BUDGET);
		CHECK(r.error == -EINVAL &&
		      r.abort_code == URINGBLK_PROG_ABORT_ARG,
		      "records bad %zu: error %d", i, r.error);
	}
	free(p.insns);
}

/* count_word: its words are .rodata, a string and a table */
static void test_count_word(void)
{
	static const char *const words[] = { "Alpha", "Beta", "Gamma", "Delta" };
	struct prog p = load(bpf_dir, "count_word.bpf.o", NULL);
	struct vm_result r;

	CHECK(p.po.rodata_len && !p.po.data_len && !p.po.bss_len,
	      "count_word: globals %u/%u/%u", p.po.rodata_len, p.po.data_len,
	      p.po.bss_len);
	for (uint64_t i = 0; i < 4; i++) {
		uint64_t want = ref_count(data, DATA_LEN, words[i],
					  strlen(words[i]));

		r = run(p, (void *)data, DATA_LEN, i, 0, 0, 0, BUDGET);
		CHECK(r.error == 0 && r.r0 == want, "count_word %s: %llu, want "
		      "%llu (error %d)", words[i], (unsigned long long)r.r0,
		      (unsigned long long)want, r.error);
	}
	r = run(p, (void *)data, DATA_LEN, 4, 0, 0, 0, BUDGET);
	CHECK(r.error == -EINVAL && r.abort_code == URINGBLK_PROG_ABORT_ARG,
	      "count_word 4: error %d", r.error);
	uringblk_prog_obj_free(&p.po);
}

/*
 * tests/lib/bpf/globals.bpf.c: .rodata, .data, .bss and string literals,
 * in the entry and in a called function; .data and .bss start afresh at
 * every run, so two runs give the same answer.
 */
static void test_globals(void)
{
	struct prog p = load(test_dir, "globals.bpf.o", "all_sections");
	struct vm_result r1, r2;

	for (uint64_t a = 0; a < 4; a++) {
		uint64_t want = globals_ref(a, a + 1);

		r1 = run(p, (void *)data, 512, a, a + 1, 0, 0, BUDGET);
		r2 = run(p, (void *)data, 512, a, a + 1, 0, 0, BUDGET);
		CHECK(r1.error == 0 && r1.r0 == want && r2.r0 == want,
		      "globals %llu: %#llx then %#llx, want %#llx (error %d)",
		      (unsigned long long)a, (unsigned long long)r1.r0,
		      (unsigned long long)r2.r0, (unsigned long long)want,
		      r1.error);
	}
	uringblk_prog_obj_free(&p.po);
	/* a store to .rodata: -EFAULT */
	p = load(test_dir, "globals.bpf.o", "store_rodata");
	r1 = run(p, (void *)data, 512, 0, 0, 0, 0, BUDGET);
	CHECK(r1.error == -EFAULT && r1.abort_code == URINGBLK_PROG_ABORT_MEM,
	      "store to .rodata: error %d", r1.error);
	uringblk_prog_obj_free(&p.po);
}

/* The loader's call linking, run for real. */
static void test_subprog(void)
{
	struct prog p = load(test_dir, "subprog.bpf.o", "calls");
	struct vm_result r;
	uint64_t x = 5, y = 11, z = 1000;

	r = run(p, (void *)data, 512, x, y, z, 0, BUDGET);
	CHECK(r.error == 0 && r.r0 == ((x * 2 + 1) * 3 + 7) + (y * 2 + 1) +
	      (z + 1 + 100), "subprog: r0 %llu error %d",
	      (unsigned long long)r.r0, r.error);
	free(p.insns);
}

/*
 * topk_i8 (the vector helpers) and topk_i8_ref (plain bytecode) against
 * an independent C reference: every score computed, then sorted by
 * (better score, lower index); and liburingblk's host path.  Vectors
 * drawn from a few distinct ones make ties; dims 1..4096 straddle the
 * windows; k above n gives n hits.
 */
#define VEC_STREAM	(DATA_LEN)
static uint8_t vstream[VEC_STREAM];

struct ref_hit {
	uint64_t index;
	int64_t score;
	int metric;
};

static int ref_hit_cmp(const void *a, const void *b)
{
	const struct ref_hit *x = a, *y = b;
	int64_t kx = x->metric ? -x->score : x->score;
	int64_t ky = y->metric ? -y->score : y->score;

	if (kx != ky)
		return kx > ky ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static uint32_t ref_topk(const int8_t *q, const int8_t *v, uint64_t n,
			 uint32_t dim, uint32_t k, int metric,
			 struct uringblk_vec_hit *hits)
{
	struct ref_hit *all = calloc(n ? n : 1, sizeof(*all));
	uint32_t cnt = n < k ? (uint32_t)n : k;

	for (uint64_t i = 0; i < n; i++) {
		int64_t s = 0;

		for (uint32_t j = 0; j < dim; j++) {
			int64_t a = q[j], b = v[i * dim + j];

			s += metric ? (a - b) * (a - b) : a * b;
		}
		all[i] = (struct ref_hit){ i, s, metric };
	}
	qsort(all, n, sizeof(*all), ref_hit_cmp);
	for (uint32_t i = 0; i < cnt; i++)
		hits[i] = (struct uringblk_vec_hit){ all[i].index, all[i].score };
	free(all);
	return cnt;
}

static void fill_vectors(uint64_t seed, uint32_t dim, uint64_t n,
			 uint64_t vec_off, int distinct)
{
	uint64_t x = seed;

	memset(vstream, 0, sizeof(vstream));
	for (uint64_t i = 0; i < vec_off + n * dim; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		vstream[i] = x >> 56;
	}
	/* few distinct vectors: many equal scores */
	for (uint64_t i = 0; distinct && i < n; i++)
		memcpy(vstream + vec_off + i * dim,
		       vstream + vec_off + (i % distinct) * dim, dim);
	/* the extremes: -128 * -128 and (127 - -128)^2 */
	if (n > 3) {
		memset(vstream + vec_off + 3 * dim, 0x80, dim);
		memset(vstream, 0x80, dim < 16 ? dim : 16);
	}
}

/* args[0] of a topk_i8 request, packed as bpf/topk_i8.h lays it out. */
static __u64 topk_args0(__u32 dim, __u32 k, __u32 metric)
{
	return (__u64)dim | (__u64)k << 16 | (__u64)metric << 32;
}

static void test_topk(void)
{
	static const struct { uint32_t dim, k; uint64_t n; int distinct; } cases[] = {
		{ 1, 5, 300, 0 }, { 3, 7, 200, 4 }, { 384, 10, 300, 0 },
		{ 384, 20, 150, 6 }, { 1000, 3, 40, 0 }, { 4096, 4, 12, 3 },
		{ 17, 50, 20, 0 },	/* k > n */
		{ 64, 1024, 2000, 0 },	/* the largest k */
	};
	struct prog fast = load(bpf_dir, "topk_i8.bpf.o", NULL);
	struct prog ref = load(bpf_dir, "topk_i8_ref.bpf.o", NULL);
	static struct uringblk_vec_hit want[1024], host[1024];
	struct vm_result r, rr;
	uint64_t len, vec_off, a0, used;

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		for (int metric = 0; metric < 2; metric++) {
			uint32_t dim = cases[c].dim, k = cases[c].k, cnt, hn;
			uint64_t n = cases[c].n;

			vec_off = (dim + 4095) / 4096 * 4096;
			len = vec_off + n * dim;
			fill_vectors(c * 31 + metric, dim, n, vec_off,
				     cases[c].distinct);
			cnt = ref_topk((int8_t *)vstream,
				       (int8_t *)vstream + vec_off, n, dim, k,
				       metric, want);
			hn = uringblk_vec_topk_host(vstream + vec_off, n, dim,
						    vstream, k, metric, host);
			CHECK(hn == cnt && !memcmp(host, want, cnt * 16),
			      "host topk dim %u k %u metric %d", dim, k, metric);
			a0 = topk_args0(dim, k, metric);
			r = run(fast, vstream, len, a0, vec_off, n, k * 16, BUDGET);
			CHECK(r.error == 0 && r.r0 == cnt &&
			      r.out_len == cnt * 16ULL && !memcmp(out, want, cnt * 16),
			      "topk_i8 dim %u k %u n %llu metric %d: error %d r0 "
			      "%llu out %llu, first %llu/%lld want %llu/%lld", dim,
			      k, (unsigned long long)n, metric, r.error,
			      (unsigned long long)r.r0,
			      (unsigned long long)r.out_len,
			      (unsigned long long)((struct uringblk_vec_hit *)out)->index,
			      (long long)((struct uringblk_vec_hit *)out)->score,
			      (unsigned long long)want[0].index,
			      (long long)want[0].score);
			CHECK(r.bytes_scanned == dim + n * dim,
			      "topk_i8 scanned %llu",
			      (unsigned long long)r.bytes_scanned);
			if (chunk == 7 && dim > 64)
				continue;	/* bytecode scoring: slow enough */
			rr = run(ref, vstream, len, a0, vec_off, 0, k * 16, BUDGET);
			CHECK(rr.error == 0 && rr.r0 == cnt &&
			      !memcmp(out, want, cnt * 16),
			      "topk_i8_ref dim %u k %u metric %d: error %d r0 %llu",
			      dim, k, metric, rr.error, (unsigned long long)rr.r0);
			if (!chunk && metric == 0 && c == 2)
				printf("topk_i8: %llu units, topk_i8_ref %llu "
				       "(%u x %llu vectors)\n",
				       (unsigned long long)r.insns,
				       (unsigned long long)rr.insns, dim,
				       (unsigned long long)n);
		}
	}
	/* bad requests: -EINVAL (abort arg); vectors past the data: -ERANGE */
	fill_vectors(1, 8, 10, 4096, 0);
	{
		const struct { uint64_t a0, vec_off, n; uint32_t out_len; int err; } bad[] = {
			{ topk_args0(0, 1, 0), 4096, 10, 64, -EINVAL },
			{ topk_args0(4097, 1, 0), 8192, 1, 64, -EINVAL },
			{ topk_args0(8, 0, 0), 4096, 10, 64, -EINVAL },
			{ topk_args0(8, 1025, 0), 4096, 10, 1 << 20, -EINVAL },
			{ topk_args0(8, 1, 2), 4096, 10, 64, -EINVAL },
			{ topk_args0(8, 1, 0) | 1ULL << 40, 4096, 10, 64, -EINVAL },
			{ topk_args0(8, 5, 0), 4096, 10, 79, -EINVAL },
			{ topk_args0(8, 1, 0), 4, 10, 64, -EINVAL },
			{ topk_args0(8, 1, 0), 4096, 11, 64, -ERANGE },
		};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			r = run(fast, vstream, 4096 + 80, bad[i].a0,
				bad[i].vec_off, bad[i].n, bad[i].out_len, BUDGET);
			rr = run(ref, vstream, 4096 + 80, bad[i].a0,
				 bad[i].vec_off, bad[i].n, bad[i].out_len, BUDGET);
			CHECK(r.error == bad[i].err && rr.error == bad[i].err,
			      "bad request %zu: error %d / ref %d, want %d", i,
			      r.error, rr.error, bad[i].err);
		}
	}
	/* the budget bounds the helper's work: what it used, not one less */
	fill_vectors(2, 384, 600, 4096, 0);
	a0 = topk_args0(384, 10, 0);
	r = run(fast, vstream, 4096 + 600 * 384, a0, 4096, 0, 160, BUDGET);
	used = r.insns;
	CHECK(r.error == 0 && used >= 600 * 384 / 8,
	      "topk budget: %llu units for %u bytes", (unsigned long long)used,
	      600 * 384);
	r = run(fast, vstream, 4096 + 600 * 384, a0, 4096, 0, 160, used);
	CHECK(r.error == 0, "enough budget: error %d", r.error);
	r = run(fast, vstream, 4096 + 600 * 384, a0, 4096, 0, 160, used - 1);
	CHECK(r.error == -ETIME && r.abort_code == URINGBLK_PROG_ABORT_BUDGET,
	      "budget - 1: error %d", r.error);
	uringblk_prog_obj_free(&fast.po);
	uringblk_prog_obj_free(&ref.po);
}

int main(int argc, char **argv)
{
	static const uint64_t chunks[] = { 0, 4096, 7 };
	int compared;
	long yields;

	if (argc != 3) {
		fprintf(stderr, "usage: %s BPF_OBJ_DIR TEST_OBJ_DIR\n", argv[0]);
		return 2;
	}
	bpf_dir = argv[1];
	test_dir = argv[2];
	make_data();
	test_pattern_args();
	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		chunk = chunks[i];
		test_count();
		test_grep();
		test_histogram();
		test_records();
		test_subprog();
		test_count_word();
		test_globals();
		test_topk();
	}
	chunk = 0;
	test_checksum();	/* bytecode CRC: once is slow enough */
	vm_yield_stats(&compared, &yields);
	printf("bpf programs (native VM): %d checks passed, %d failed; %d runs "
	       "compared with their yielding twins (%ld yields)\n", passed,
	       failed, compared, yields);
	return failed || !yields ? 1 : 0;
}
