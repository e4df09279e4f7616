// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk-btree: build, check and query the B+-tree images of bpf/btree.h
 * (tools/btree/btree.h) on a file or a drive.
 *
 *   uringblk-btree build DEV|FILE --keys N --depth D [--seed S] [--offset B]
 *   uringblk-btree verify DEV|FILE [--offset B]
 *   uringblk-btree info DEV|FILE [--offset B]
 *   uringblk-btree lookup DEV KEY|--nth I|--missing I [--offset B] [PROG]
 *   uringblk-btree range DEV LO HI [--max N] [--offset B] [PROG]
 *   PROG: --prog-dir DIR (default: ../bpf next to this binary) or --id ID
 *
 * lookup and range EXEC btree_lookup.bpf.o / btree_range.bpf.o over the
 * image's LBA range (loaded for the call and unloaded after, unless --id
 * names a program already loaded), then walk the tree from the host
 * (btree_lookup_host(), btree_range_host(): 512-byte O_DIRECT reads) and
 * say whether the two agree.  Exit status: 0 done (and agreed), 1 failed
 * or disagreed, 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <liburingblk.h>

#include "btree.h"

#define PROG	"uringblk-btree"

static const char usage_text[] =
	"usage: " PROG " COMMAND ...\n"
	"  build DEV|FILE --keys N --depth D [--seed S] [--offset BYTES]\n"
	"      write a tree of N keys and exactly D levels (FILE is created)\n"
	"  verify DEV|FILE [--offset BYTES]\n"
	"      check every invariant; every key found with its value\n"
	"  info DEV|FILE [--offset BYTES]\n"
	"      the superblock and the shape it stands for\n"
	"  lookup DEV KEY|--nth I|--missing I [--offset BYTES] [PROG]\n"
	"      one key by EXEC of btree_lookup, checked against the host walk\n"
	"  range DEV LO HI [--max N] [--offset BYTES] [PROG]\n"
	"      the values of keys in [LO, HI) by EXEC of btree_range (at most\n"
	"      N, default 16), checked against the host walk\n"
	"  PROG: --prog-dir DIR (btree_*.bpf.o; default ../bpf next to this\n"
	"        binary) or --id ID (a program already loaded)\n"
	"Numbers may be decimal or 0x hex.  Keys and values: see tools/btree/btree.h.\n";

static const char *cmd_name = "", *argv0 = PROG;

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, PROG " %s: %s\n", cmd_name, msg);
	fputs(usage_text, stderr);
	return 2;
}

static int fail(const char *target, const char *what, int err)
{
	fprintf(stderr, PROG " %s %s: %s%s%s\n", cmd_name, target, what,
		err ? ": " : "", err ? strerror(-err) : "");
	return 1;
}

static int parse_u64(const char *s, __u64 *v)
{
	char *end;

	errno = 0;
	if (!s || !*s || *s == '-')
		return -EINVAL;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

struct opts {
	__u64 keys, seed, offset, max, nth, missing, id;
	unsigned int depth;
	int has_keys, has_depth, has_nth, has_missing, has_id;
	const char *prog_dir;
};

/* Parse the options of every command; positional arguments stay in argv. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "keys", required_argument, NULL, 'k' },
		{ "depth", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 's' },
		{ "offset", required_argument, NULL, 'o' },
		{ "max", required_argument, NULL, 'm' },
		{ "nth", required_argument, NULL, 'n' },
		{ "missing", required_argument, NULL, 'M' },
		{ "id", required_argument, NULL, 'i' },
		{ "prog-dir", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	__u64 v;
	int c;

	memset(o, 0, sizeof(*o));
	o->max = 16;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage_text, stdout);
			exit(0);
		}
		if (c == 'p') {
			o->prog_dir = optarg;
			continue;
		}
		if (c == '?' || parse_u64(optarg, &v)) {
			char msg[128];

			snprintf(msg, sizeof(msg), c == '?' ? "bad option '%s'" :
				 "'%s' is not a number", c == '?' ?
				 argv[optind - 1] : optarg);
			return usage(msg);
		}
		switch (c) {
		case 'k': o->keys = v; o->has_keys = 1; break;
		case 'd':
			if (v > 64)
				return usage("--depth: too large");
			o->depth = v;
			o->has_depth = 1;
			break;
		case 's': o->seed = v; break;
		case 'o': o->offset = v; break;
		case 'm': o->max = v; break;
		case 'n': o->nth = v; o->has_nth = 1; break;
		case 'M': o->missing = v; o->has_missing = 1; break;
		case 'i': o->id = v; o->has_id = 1; break;
		}
	}
	return 0;
}

static int is_blockdev(int fd)
{
	struct stat st;

	return !fstat(fd, &st) && S_ISBLK(st.st_mode);
}

/* A file or a block device; block devices O_DIRECT. */
static int open_target(const char *path, int create)
{
	int fd = open(path, O_RDWR | (create ? O_CREAT : 0), 0644);

	if (fd < 0 || !is_blockdev(fd))
		return fd < 0 ? -errno : fd;
	close(fd);
	fd = open(path, O_RDWR | O_DIRECT);
	return fd < 0 ? -errno : fd;
}

static void print_shape(const struct btree_shape *s, __u64 off)
{
	printf("keys %llu, depth %u, seed %#llx\n"
	       "fill %u children per internal node, %u keys per leaf\n"
	       "nodes %llu (leaves %llu), root at %llu, values at %llu\n"
	       "image %llu bytes at offset %llu (blocks of 512: %llu)\n"
	       "keys %#llx .. %#llx\n",
	       (unsigned long long)s->nr_keys, s->depth,
	       (unsigned long long)s->seed, s->fill, s->leaf_fill,
	       (unsigned long long)s->nodes, (unsigned long long)s->leaves,
	       (unsigned long long)s->root, (unsigned long long)s->values_off,
	       (unsigned long long)s->size, (unsigned long long)off,
	       (unsigned long long)(s->size / 512),
	       (unsigned long long)btree_key(s, 0),
	       (unsigned long long)btree_key(s, s->nr_keys - 1));
}

static int cmd_build(int argc, char **argv, const struct opts *o)
{
	struct btree_shape s;
	__u64 cap = 0;
	char err[256];
	int fd, ret;

	if (argc != 1)
		return usage("build takes one DEV|FILE");
	if (!o->has_keys || !o->has_depth)
		return usage("build needs --keys and --depth");
	if (btree_plan(o->keys, o->depth, o->seed, &s, err, sizeof(err)))
		return fail(argv[0], err, 0);
	fd = open_target(argv[0], 1);
	if (fd < 0)
		return fail(argv[0], "open", fd);
	if (is_blockdev(fd)) {
		if (o->offset % 512) {
			close(fd);
			return fail(argv[0], "--offset must be a multiple of 512 "
				    "on a block device", 0);
		}
		if (ioctl(fd, BLKGETSIZE64, &cap) == 0 &&
		    (o->offset > cap || s.size > cap - o->offset)) {
			snprintf(err, sizeof(err), "the image needs %llu bytes "
				 "at offset %llu; the device has %llu",
				 (unsigned long long)s.size,
				 (unsigned long long)o->offset,
				 (unsigned long long)cap);
			close(fd);
			return fail(argv[0], err, 0);
		}
	}
	ret = btree_write(fd, o->offset, &s);
	if (!ret && fsync(fd))
		ret = -errno;
	close(fd);
	if (ret)
		return fail(argv[0], "write", ret);
	printf("built %s\n", argv[0]);
	print_shape(&s, o->offset);
	return 0;
}

static int read_shape(const char *path, int fd, __u64 off,
		      struct btree_shape *s)
{
	struct btree_super sb;
	char err[256];
	int ret;

	ret = btree_read_super(fd, off, &sb);
	if (ret == -EINVAL)
		return fail(path, "no B+-tree superblock there (bad magic)", 0);
	if (ret)
		return fail(path, "reading the superblock", ret);
	if (btree_shape_of(&sb, s, err, sizeof(err)))
		return fail(path, err, 0);
	return 0;
}

static int cmd_verify(int argc, char **argv, const struct opts *o, int info)
{
	struct btree_shape s;
	char err[256];
	int fd, ret;

	if (argc != 1)
		return usage("takes one DEV|FILE");
	fd = open_target(argv[0], 0);
	if (fd < 0)
		return fail(argv[0], "open", fd);
	ret = read_shape(argv[0], fd, o->offset, &s);
	if (!ret && info) {
		print_shape(&s, o->offset);
	} else if (!ret) {
		ret = btree_verify(fd, o->offset, err, sizeof(err));
		if (ret)
			ret = fail(argv[0], err, ret == -EINVAL ? 0 : ret);
		else
			printf("%s: ok: %llu keys, depth %u, %llu nodes; every "
			       "key found with its value\n", argv[0],
			       (unsigned long long)s.nr_keys, s.depth,
			       (unsigned long long)s.nodes);
	}
	close(fd);
	return ret;
}

/* What lookup and range share: the drive, the image, the program. */
struct query {
	struct uringblk_dev *dev;
	struct uringblk_identify id;
	struct btree_fd bf;
	struct btree_shape s;
	struct uringblk_exec_args a;
	int loaded;
};

static int query_open(struct query *q, const char *path, const struct opts *o,
		      const char *obj)
{
	char objpath[1024], exe[1024], log[1024];
	ssize_t n;
	int ret;

	memset(q, 0, sizeof(*q));
	q->bf.fd = -1;
	ret = uringblk_open(path, &q->dev);
	if (ret)
		return fail(path, "not a uringblk drive", ret);
	ret = uringblk_identify(q->dev, &q->id);
	if (ret < 0)
		return fail(path, "identify", ret);
	if (o->offset % q->id.logical_block_size)
		return fail(path, "--offset must be a multiple of the block "
			    "size", 0);
	q->bf.fd = open(uringblk_blk_path(q->dev), O_RDONLY | O_DIRECT);
	if (q->bf.fd < 0)
		return fail(uringblk_blk_path(q->dev), "open", -errno);
	q->bf.off = o->offset;
	ret = read_shape(path, q->bf.fd, o->offset, &q->s);
	if (ret)
		return ret;
	q->a.lba_start = o->offset / q->id.logical_block_size;
	q->a.lba_count = (q->s.size + q->id.logical_block_size - 1) /
			 q->id.logical_block_size;
	if (o->has_id) {
		q->a.prog_id = o->id;
		return 0;
	}
	if (o->prog_dir) {
		snprintf(objpath, sizeof(objpath), "%s/%s", o->prog_dir, obj);
	} else {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = '\0';
		snprintf(objpath, sizeof(objpath), "%s/../bpf/%s",
			 dirname(n > 0 ? exe : (char *)argv0), obj);
	}
	ret = uringblk_prog_load_file(q->dev, objpath, NULL, log, sizeof(log));
	if (ret < 0) {
		fprintf(stderr, PROG " %s %s: loading %s: %s%s%s\n", cmd_name,
			path, objpath, strerror(-ret), *log ? ": " : "", log);
		return 1;
	}
	q->a.prog_id = ret;
	q->loaded = 1;
	return 0;
}

static void query_close(struct query *q)
{
	if (q->loaded)
		uringblk_prog_unload(q->dev, q->a.prog_id);
	if (q->bf.fd >= 0)
		close(q->bf.fd);
	uringblk_close(q->dev);
}

static const char *status_name(long long st)
{
	return st == BTREE_FOUND ? "found" : st == BTREE_NOT_FOUND ?
	       "not found" : st == BTREE_CORRUPT ? "corrupt" : "?";
}

static int exec_report(struct query *q, const char *path,
		       struct uringblk_exec_result *res, void *out, size_t len)
{
	int ret = uringblk_exec(q->dev, &q->a, res, out, len);

	if (ret) {
		const char *abort = uringblk_prog_abort_name(res->abort_code);

		fprintf(stderr, PROG " %s %s: EXEC: %s (abort %s)\n", cmd_name,
			path, strerror(-ret), abort ? abort : "?");
		return 1;
	}
	return 0;
}

static int cmd_lookup(int argc, char **argv, const struct opts *o)
{
	struct uringblk_exec_result res;
	__u64 key, value = 0, hvalue = 0;
	unsigned int reads;
	struct query q;
	int ret, host;

	if (argc != (o->has_nth || o->has_missing ? 1 : 2) ||
	    o->has_nth + o->has_missing > 1)
		return usage("lookup takes DEV and one of KEY, --nth, --missing");
	if (argc == 2 && parse_u64(argv[1], &key))
		return usage("KEY is not a number");
	ret = query_open(&q, argv[0], o, "btree_lookup.bpf.o");
	if (ret)
		goto out;
	if (o->has_nth) {
		if (o->nth >= q.s.nr_keys) {
			ret = fail(argv[0], "--nth is past the last key", 0);
			goto out;
		}
		key = btree_key(&q.s, o->nth);
	} else if (o->has_missing) {
		key = btree_missing_key(&q.s, o->missing);
	}
	q.a.args[0] = key;
	q.a.args[1] = q.s.root;
	ret = exec_report(&q, argv[0], &res, &value, sizeof(value));
	if (ret)
		goto out;
	printf("key %#llx: %s", (unsigned long long)key, status_name(res.r0));
	if (res.r0 == BTREE_FOUND)
		printf(", value %#llx (btree_value: %s)", (unsigned long long)value,
		       value == btree_value(key) ? "ok" : "DIFFERS");
	printf("\ndrive: r0 %llu, %llu units, %llu bytes scanned\n",
	       (unsigned long long)res.r0, (unsigned long long)res.insns,
	       (unsigned long long)res.bytes_scanned);
	host = btree_lookup_host(btree_pread, &q.bf, q.s.size, q.s.root, key,
				 &hvalue, &reads);
	if (host < 0) {
		ret = fail(argv[0], "host walk", host);
		goto out;
	}
	ret = host != (int)res.r0 || (host == BTREE_FOUND && hvalue != value);
	printf("host:  %s, %u reads: %s\n", status_name(host), reads,
	       ret ? "DISAGREES" : "agrees");
	if (res.r0 == BTREE_FOUND && value != btree_value(key))
		ret = 1;
out:
	query_close(&q);
	return ret;
}

static int cmd_range(int argc, char **argv, const struct opts *o)
{
	struct uringblk_exec_result res;
	__u64 lo, hi, *vals = NULL, *hvals = NULL, n, i;
	struct query q;
	__s64 host;
	int ret;

	if (argc != 3)
		return usage("range takes DEV LO HI");
	if (parse_u64(argv[1], &lo) || parse_u64(argv[2], &hi))
		return usage("LO and HI must be numbers");
	if (o->max > URINGBLK_MAX_EXEC_OUT / 8)
		return usage("--max: at most 131072 (1 MiB of output)");
	ret = query_open(&q, argv[0], o, "btree_range.bpf.o");
	if (ret)
		goto out;
	vals = calloc(o->max + 1, 8);
	hvals = calloc(o->max + 1, 8);
	if (!vals || !hvals) {
		ret = fail(argv[0], "", -ENOMEM);
		goto out;
	}
	q.a.args[0] = lo;
	q.a.args[1] = hi;
	q.a.args[2] = q.s.root;
	ret = exec_report(&q, argv[0], &res, vals, o->max * 8);
	if (ret)
		goto out;
	n = res.r0 & BTREE_RANGE_COUNT_MASK;
	printf("[%#llx, %#llx): %llu values%s%s\n", (unsigned long long)lo,
	       (unsigned long long)hi, (unsigned long long)n,
	       res.r0 & BTREE_RANGE_MORE ? ", more follow" : "",
	       res.r0 & BTREE_RANGE_CORRUPT ? ", then a corrupt spot" : "");
	for (i = 0; i < n; i++)
		printf("  %#llx\n", (unsigned long long)vals[i]);
	printf("drive: r0 %#llx, %llu units, %llu bytes scanned\n",
	       (unsigned long long)res.r0, (unsigned long long)res.insns,
	       (unsigned long long)res.bytes_scanned);
	host = btree_range_host(btree_pread, &q.bf, q.s.size, q.s.root, lo, hi,
				hvals, o->max);
	if (host < 0) {
		ret = fail(argv[0], "host walk", host);
		goto out;
	}
	ret = (__u64)host != res.r0 || memcmp(vals, hvals, n * 8);
	printf("host:  r0 %#llx: %s\n", (unsigned long long)host,
	       ret ? "DISAGREES" : "agrees");
out:
	free(vals);
	free(hvals);
	query_close(&q);
	return ret;
}

int main(int argc, char **argv)
{
	struct opts o;
	int ret;

	argv0 = argv[0];
	if (argc < 2)
		return usage(NULL);
	cmd_name = argv[1];
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	/* options anywhere after the command: getopt moves them forward */
	optind = 2;
	ret = parse_opts(argc, argv, &o);
	if (ret)
		return ret;
	argv += optind;
	argc -= optind;
	if (!strcmp(cmd_name, "build"))
		return cmd_build(argc, argv, &o);
	if (!strcmp(cmd_name, "verify"))
		return cmd_verify(argc, argv, &o, 0);
	if (!strcmp(cmd_name, "info"))
		return cmd_verify(argc, argv, &o, 1);
	if (!strcmp(cmd_name, "lookup"))
		return cmd_lookup(argc, argv, &o);
	if (!strcmp(cmd_name, "range"))
		return cmd_range(argc, argv, &o);
	return usage("unknown command");
}
