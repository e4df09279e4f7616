// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * tools/btree/btree.c without a drive: plans (exact depth, refusals that
 * name the key counts a depth holds), keys and values, images built in
 * memory and in a file and verified, every single-byte corruption of a
 * small image caught by btree_verify_image(), the host walks' read counts,
 * and the uringblk-btree CLI on files (usage errors, build, verify, info,
 * a corrupted file).
 *
 * usage: btree-test [path/to/uringblk-btree]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "../../tools/btree/btree.h"

static int passed, failed;

#include "../check.h"

struct img {
	const unsigned char *p;
	__u64 len;
};

static int img_read(void *priv, __u64 off, void *buf, unsigned int len)
{
	const struct img *m = priv;

	if (off > m->len || len > m->len - off)
		return -ERANGE;
	memcpy(buf, m->p + off, len);
	return 0;
}

static void test_refusals(void)
{
	static const struct { __u64 keys; unsigned int depth; const char *says; } bad[] = {
		{ 10, 0, "depth 0: must be 1..16" },
		{ 10, 17, "depth 17: must be 1..16" },
		{ 0, 3, "depth 3 holds 3..28830 keys" },
		{ 31, 1, "depth 1 holds 1..30 keys" },
		{ 1, 2, "depth 2 holds 2..930 keys" },
		{ 28831, 3, "depth 3 holds 3..28830 keys" },
		{ 16, 6, "depth 6 holds 17..858874530 keys" },
		/* the one gap: between 30 * 2^12 and 3^11 */
		{ 150000, 13, "depth 13 holds 2049..122880 or 177148..281474976710656 keys" },
		{ 1ULL << 49, 12, "depth 12 holds" },
	};
	struct btree_shape s;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = btree_plan(bad[i].keys, bad[i].depth, 1, &s, err,
				     sizeof(err));

		CHECK(ret == -EINVAL && strstr(err, bad[i].says),
		      "plan %llu keys depth %u: %d '%s', want '%s'",
		      (unsigned long long)bad[i].keys, bad[i].depth, ret,
		      ret ? err : "", bad[i].says);
	}
}

/*
 * Every count a depth holds plans to exactly that depth: the level sizes
 * of the shape shrink to one node in exactly depth levels, at most
 * fill/leaf_fill per node.  Both ends of each depth's range, and a sweep.
 */
static int plan_exact(__u64 n, unsigned int d)
{
	struct btree_shape s;
	__u64 count, nodes = 0;
	unsigned int k;
	char err[256];

	if (btree_plan(n, d, 5, &s, err, sizeof(err)))
		return 0;
	if (s.leaf_fill < 1 || s.leaf_fill > BTREE_LEAF_KEYS ||
	    (d > 1 && (s.fill < 2 || s.fill > BTREE_FANOUT)))
		return 0;
	count = s.leaves;
	if (count != (n + s.leaf_fill - 1) / s.leaf_fill)
		return 0;
	for (k = 1; k <= d; k++) {
		if ((k < d) != (count > 1))
			return 0;	/* one node before the root level */
		nodes += count;
		count = (count + s.fill - 1) / (s.fill ? s.fill : 1);
	}
	return nodes == s.nodes;
}

static void test_plans(void)
{
	static const __u64 max[] = { 0, 30, 930, 28830, 893730, 27705630,
				     858874530 };
	unsigned int d;
	__u64 n, bad = 0, tried = 0;

	for (d = 1; d <= 6; d++) {
		__u64 min = d == 1 ? 1 : (1ULL << (d - 2)) + 1;

		CHECK(plan_exact(min, d) && plan_exact(max[d], d),
		      "depth %u: %llu or %llu keys", d,
		      (unsigned long long)min, (unsigned long long)max[d]);
		for (n = min; n <= max[d]; n += 1 + n / 97, tried++)
			bad += !plan_exact(n, d);
	}
	CHECK(bad == 0, "%llu of %llu key counts did not plan to their depth",
	      (unsigned long long)bad, (unsigned long long)tried);
	/* the uniform fill the README quotes */
	{
		struct btree_shape s;

		CHECK(!btree_plan(1000000, 6, 0, &s, NULL, 0) && s.fill == 10 &&
		      s.leaf_fill == 10 && s.nodes == 111111,
		      "1M keys at depth 6: fill %u/%u, %llu nodes", s.fill,
		      s.leaf_fill, (unsigned long long)s.nodes);
	}
}

static void test_keys(void)
{
	struct btree_shape s;
	__u64 i, prev = 0, bad = 0;

	btree_plan(100000, 4, 42, &s, NULL, 0);
	for (i = 0; i < s.nr_keys; i++) {
		__u64 k = btree_key(&s, i);

		bad += (i && k <= prev) || k == btree_missing_key(&s, i) ||
		       k <= btree_missing_key(&s, i) ||
		       k >= btree_missing_key(&s, i + 1) ||
		       btree_value(k) == k;
		prev = k;
	}
	CHECK(bad == 0, "%llu keys out of order or outside their slot",
	      (unsigned long long)bad);
	CHECK(btree_missing_key(&s, 0) == 0 &&
	      btree_missing_key(&s, s.nr_keys) > btree_key(&s, s.nr_keys - 1),
	      "missing keys at the ends");
	CHECK(btree_key(&s, s.nr_keys - 1) > (1ULL << 63),
	      "keys spread over the u64 range: largest %#llx",
	      (unsigned long long)btree_key(&s, s.nr_keys - 1));
	/* other seeds, other keys */
	{
		struct btree_shape s2;

		btree_plan(100000, 4, 43, &s2, NULL, 0);
		CHECK(btree_key(&s2, 500) != btree_key(&s, 500),
		      "the seed changes the keys");
	}
}

/* build in memory, verify, walk */
static void test_roundtrip(void)
{
	static const struct { __u64 n; unsigned int d; } shapes[] = {
		{ 1, 1 }, { 30, 1 }, { 2, 2 }, { 930, 2 }, { 3, 3 }, { 1000, 3 },
		{ 28830, 3 }, { 5, 4 }, { 70, 6 }, { 200000, 6 }, { 2049, 13 },
	};
	struct btree_shape s;
	unsigned char *img;
	unsigned int reads;
	char err[256];
	__u64 v;
	int ret;

	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		struct img m;

		ret = btree_plan(shapes[i].n, shapes[i].d, i, &s, err, sizeof(err));
		CHECK(!ret, "plan %llu/%u: %s", (unsigned long long)shapes[i].n,
		      shapes[i].d, err);
		if (ret)
			continue;
		img = malloc(s.size);
		CHECK(btree_build_image(&s, img, s.size - 1) == -ENOSPC,
		      "a short buffer");
		btree_build_image(&s, img, s.size);
		ret = btree_verify_image(img, s.size, err, sizeof(err));
		CHECK(!ret, "verify %llu/%u: %s", (unsigned long long)s.nr_keys,
		      s.depth, err);
		m = (struct img){ img, s.size };
		ret = btree_lookup_host(img_read, &m, s.size, s.root,
					btree_key(&s, s.nr_keys / 2), &v, &reads);
		CHECK(ret == BTREE_FOUND && reads == s.depth + 1 &&
		      v == btree_value(btree_key(&s, s.nr_keys / 2)),
		      "host lookup: %d, %u reads", ret, reads);
		ret = btree_lookup_host(img_read, &m, s.size, s.root,
					btree_missing_key(&s, 1), &v, &reads);
		CHECK(ret == BTREE_NOT_FOUND && reads == s.depth,
		      "host lookup of a missing key: %d, %u reads", ret, reads);
		CHECK(btree_verify_image(img, s.size - 512, err, sizeof(err)) ==
		      -EINVAL, "a truncated image");
		free(img);
	}
}

/* Every byte of a small image, flipped, is caught. */
static void test_flips(void)
{
	struct btree_shape s;
	unsigned char *img;
	__u64 i, missed = 0;
	char err[256];

	btree_plan(100, 3, 9, &s, NULL, 0);
	img = malloc(s.size);
	btree_build_image(&s, img, s.size);
	for (i = 0; i < s.size; i++) {
		img[i] ^= 1 << (i % 8);
		if (!btree_verify_image(img, s.size, err, sizeof(err))) {
			if (missed++ < 5)
				fprintf(stderr, "byte %#llx flipped: not caught\n",
					(unsigned long long)i);
		}
		img[i] ^= 1 << (i % 8);
	}
	CHECK(missed == 0, "%llu of %llu flipped bytes not caught",
	      (unsigned long long)missed, (unsigned long long)s.size);
	CHECK(!btree_verify_image(img, s.size, err, sizeof(err)),
	      "the image after the flips: %s", err);
	/* and what verify says */
	img[s.root + 16] ^= 0x40;	/* the root's key[0] */
	CHECK(btree_verify_image(img, s.size, err, sizeof(err)) == -EINVAL &&
	      strstr(err, "node 0x200"), "a key of the root: '%s'", err);
	free(img);
}

/* btree_write() to a file at an offset, btree_verify() from it. */
static void test_file(void)
{
	char path[] = "/tmp/btree-test-XXXXXX", err[256];
	struct btree_super sb;
	struct btree_shape s, s2;
	int fd = mkstemp(path);

	CHECK(fd >= 0, "mkstemp: %s", strerror(errno));
	if (fd < 0)
		return;
	unlink(path);
	btree_plan(50000, 5, 77, &s, NULL, 0);
	CHECK(btree_write(fd, 8192, &s) == 0, "btree_write");
	CHECK(btree_read_super(fd, 8192, &sb) == 0 && sb.depth == 5 &&
	      sb.nr_keys == 50000 && sb.seed == 77, "the superblock");
	CHECK(btree_shape_of(&sb, &s2, err, sizeof(err)) == 0 &&
	      !memcmp(&s, &s2, sizeof(s)), "btree_shape_of: %s", err);
	CHECK(btree_verify(fd, 8192, err, sizeof(err)) == 0, "verify: %s", err);
	CHECK(btree_read_super(fd, 0, &sb) == -EINVAL, "no superblock at 0");
	/* one bad value in the file */
	CHECK(pwrite(fd, "x", 1, 8192 + s.values_off + 8 * 1234 + 3) == 1,
	      "pwrite");
	CHECK(btree_verify(fd, 8192, err, sizeof(err)) == -EINVAL &&
	      strstr(err, "value of key"), "a bad value: '%s'", err);
	close(fd);
}

/* The CLI on files: exit statuses and what it prints. */
static int sh(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_cli(const char *bin)
{
	char dir[] = "/tmp/btree-cli-XXXXXX", cmd[1024];

	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp: %s", strerror(errno));
		return;
	}
#define RUN(want, fmt, ...) do {					\
	snprintf(cmd, sizeof(cmd), fmt, __VA_ARGS__);			\
	int _st = sh(cmd);						\
	CHECK(_st == (want), "'%s': exit %d, want %d", cmd, _st, want);	\
} while (0)
/* exit status want, and a line of stdout+stderr matching pat (grep -E) */
#define RUN_SAYS(want, pat, fmt, ...) RUN(want, "out=$(" fmt " 2>&1); st=$?; "	\
	"echo \"$out\" | grep -qE -- '" pat "' || { echo \"$out\" >&2; "	\
	"exit 99; }; exit $st", __VA_ARGS__)
	RUN(2, "%s >/dev/null 2>&1", bin);
	RUN_SAYS(0, "^  build DEV\\|FILE --keys N --depth D", "%s --help", bin);
	RUN_SAYS(2, "unknown command", "%s frob x", bin);
	RUN_SAYS(2, "build needs --keys and --depth", "%s build %s/t", bin, dir);
	RUN_SAYS(2, ".12x. is not a number", "%s build %s/t --keys 12x --depth 3",
		 bin, dir);
	RUN_SAYS(1, "depth 3 holds 3..28830 keys",
		 "%s build %s/t --keys 100000 --depth 3", bin, dir);
	RUN_SAYS(0, "^keys 5000, depth 4, seed 0x99$",
		 "%s build %s/t --keys 5000 --depth 4 --seed 0x99 --offset 4096",
		 bin, dir);
	RUN_SAYS(0, ": ok: 5000 keys, depth 4", "%s verify %s/t --offset 4096",
		 bin, dir);
	RUN_SAYS(0, "^fill [0-9]+ children per internal node",
		 "%s info --offset 4096 %s/t", bin, dir);
	RUN_SAYS(1, "no B.-tree superblock", "%s verify %s/t", bin, dir);
	/* a byte of the root node */
	RUN(0, "printf '\\377' | dd of=%s/t bs=1 seek=$((4096 + 512 + 20)) "
	    "conv=notrunc status=none", dir);
	RUN_SAYS(1, "node 0x[0-9a-f]+: key", "%s verify %s/t --offset 4096", bin, dir);
	/* lookup needs a drive */
	RUN_SAYS(1, "not a uringblk drive", "%s lookup %s/t 5", bin, dir);
	RUN_SAYS(2, "lookup takes DEV and one of KEY", "%s lookup %s/t", bin, dir);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	sh(cmd);
#undef RUN_SAYS
#undef RUN
}

int main(int argc, char **argv)
{
	test_refusals();
	test_plans();
	test_keys();
	test_roundtrip();
	test_flips();
	test_file();
	if (argc > 1)
		test_cli(argv[1]);
	printf("tools/btree: %d checks passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
