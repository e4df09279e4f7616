// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk vec topk: the k vectors of an int8 embedding store nearest a
 * query, in the drive (vectors copied into SLM once, the query written
 * there, bpf/topk_i8.bpf.o run by EXECUTE) or on the host (--host: the
 * vectors read and scored as an application would).  Both print the same
 * list for the same data: "rank index score" lines, best first.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* out/bin/uringblk -> out/bpf/topk_i8.bpf.o */
static void default_prog(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0) {
		snprintf(buf, len, "topk_i8.bpf.o");
		return;
	}
	exe[n] = '\0';
	snprintf(buf, len, "%s/../bpf/topk_i8.bpf.o", dirname(exe));
}

static int read_query(const char *path, __u32 dim, __s8 *q)
{
	FILE *f = fopen(path, "rb");
	size_t n;
	int extra;

	if (!f)
		return -errno;
	n = fread(q, 1, dim, f);
	extra = fgetc(f);
	fclose(f);
	if (n != dim || extra != EOF)
		return -EINVAL;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_hits(const struct uringblk_vec_hit *h, int n, bool json,
		       const char *path, __u64 bytes_to_host, double secs)
{
	int i;

	if (json) {
		printf("{\"path\": \"%s\", \"hits\": [", path);
		for (i = 0; i < n; i++)
			printf("%s{\"index\": %" PRIu64 ", \"score\": %" PRId64 "}",
			       i ? ", " : "", (uint64_t)h[i].index,
			       (int64_t)h[i].score);
		printf("], \"bytes_to_host\": %" PRIu64 ", \"seconds\": %.6f}\n",
		       (uint64_t)bytes_to_host, secs);
		return;
	}
	for (i = 0; i < n; i++)
		printf("%4d %10" PRIu64 " %11" PRId64 "\n", i + 1,
		       (uint64_t)h[i].index, (int64_t)h[i].score);
	fprintf(stderr, "%s: %d hits, %" PRIu64 " bytes to the host, %.3f s\n",
		path, n, (uint64_t)bytes_to_host, secs);
}

static int topk_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dim",	required_argument,	NULL, 'd' },
		{ "k",		required_argument,	NULL, 'k' },
		{ "query",	required_argument,	NULL, 'q' },
		{ "lba",	required_argument,	NULL, 'l' },
		{ "count",	required_argument,	NULL, 'n' },
		{ "l2",		no_argument,		NULL, '2' },
		{ "host",	no_argument,		NULL, 'H' },
		{ "prog",	required_argument,	NULL, 'p' },
		{ "slm-off",	required_argument,	NULL, 's' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 },
	};
	struct uringblk_file_map map = { .fd = -1 };
	struct uringblk_vec_store store = { 0 };
	struct uringblk_vec_hit hits[URINGBLK_VEC_K_MAX];
	struct uringblk_exec_result res;
	struct uringblk_vec_topk t;
	struct uringblk_dev *dev = NULL;
	__u64 dim = 0, k = 10, lba = 0, count = 0, slm_off = 0, bytes = 0;
	const char *src, *qpath = NULL, *prog = NULL;
	bool host = false, json = false, is_file;
	char msg[512] = "", defprog[PATH_MAX];
	__s8 query[URINGBLK_VEC_DIM_MAX];
	__u32 metric = URINGBLK_VEC_DOT, pind;
	struct stat st;
	double t0;
	int c, ret, fd, n;

	while ((c = cli_getopt(cmd, argc, argv, "d:k:q:l:n:2Hp:s:jh", opts)) != -1) {
		switch (c) {
		case 'd':
			if (cli_parse_u64(optarg, &dim) || !dim ||
			    dim > URINGBLK_VEC_DIM_MAX)
				return cli_usage_error(cmd, "--dim '%s' is not in 1..%u", optarg, URINGBLK_VEC_DIM_MAX);
			break;
		case 'k':
			if (cli_parse_u64(optarg, &k) || !k || k > URINGBLK_VEC_K_MAX)
				return cli_usage_error(cmd, "--k '%s' is not in 1..%u", optarg, URINGBLK_VEC_K_MAX);
			break;
		case 'q':
			qpath = optarg;
			break;
		case 'l':
			if (cli_parse_u64(optarg, &lba))
				return cli_usage_error(cmd, "--lba '%s' is not a block number", optarg);
			break;
		case 'n':
			if (cli_parse_u64(optarg, &count) || !count)
				return cli_usage_error(cmd, "--count '%s' is not a positive number of vectors", optarg);
			break;
		case '2':
			metric = URINGBLK_VEC_L2SQ;
			break;
		case 'H':
			host = true;
			break;
		case 'p':
			prog = optarg;
			break;
		case 's':
			if (cli_parse_size(optarg, &slm_off))
				return cli_usage_error(cmd, "--slm-off '%s' is not a size", optarg);
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			return CLI_OK;
		default:
			return CLI_USAGE;
		}
	}
	ret = cli_want_args(cmd, argc, 1, "DEV or FILE");
	if (ret)
		return ret;
	src = argv[optind];
	if (!dim)
		return cli_usage_error(cmd, "--dim is required");
	if (!qpath)
		return cli_usage_error(cmd, "--query FILE is required");
	is_file = !stat(src, &st) && S_ISREG(st.st_mode);
	if (!is_file && !count)
		return cli_usage_error(cmd, "on a drive, --count (vectors) is required");
	if (is_file && (count || lba))
		return cli_usage_error(cmd, "--lba and --count are for a drive; a file's vectors are all of it");
	ret = read_query(qpath, (__u32)dim, query);
	if (ret)
		return cli_file_fail(qpath, ret, ret == -EINVAL ?
				     "the query file is not exactly --dim bytes" : NULL);

	if (host) {
		const char *path = src;

		if (!is_file) {
			ret = cli_open(cmd, src, &dev);
			if (ret)
				return ret;
			path = uringblk_blk_path(dev);
		}
		fd = open(path, O_RDONLY | O_DIRECT);
		if (fd < 0)
			return cli_file_fail(path, -errno, NULL);
		if (is_file) {
			count = (__u64)st.st_size / dim;
		} else {
			struct uringblk_identify id;

			ret = uringblk_identify(dev, &id);
			if (ret) {
				close(fd);
				uringblk_close(dev);
				return cli_fail("identify", ret);
			}
			lba *= id.logical_block_size;	/* now bytes */
		}
		if (is_file && (!count || (__u64)st.st_size % dim)) {
			close(fd);
			return cli_file_fail(src, -EINVAL, "the file is not a whole number (>= 1) of --dim byte vectors");
		}
		t0 = now_s();
		uringblk_vec_topk_init(&t, query, (__u32)dim, (__u32)k, metric, hits);
		ret = uringblk_vec_topk_read(&t, fd, lba, count, &bytes);
		n = (int)uringblk_vec_topk_finish(&t);
		close(fd);
		uringblk_close(dev);
		if (ret)
			return cli_file_fail(path, ret, NULL);
		print_hits(hits, n, json, "host", bytes, now_s() - t0);
		return CLI_OK;
	}

	if (is_file) {
		ret = cli_file_open(cmd, NULL, src, &dev, &map, msg, sizeof(msg));
		if (ret == 1)
			return CLI_FAIL;
		if (ret)
			return cli_file_fail(src, ret, msg);
		ret = uringblk_vec_store_file(dev, &map, slm_off, (__u32)dim,
					      &store, msg, sizeof(msg));
	} else {
		ret = cli_open(cmd, src, &dev);
		if (ret)
			return ret;
		ret = uringblk_vec_store_lbas(dev, slm_off, lba, count,
					      (__u32)dim, &store, msg,
					      sizeof(msg));
	}
	if (ret) {
		ret = cli_file_fail(src, ret, msg);
		goto out;
	}
	if (!prog) {
		default_prog(defprog, sizeof(defprog));
		prog = defprog;
	}
	ret = uringblk_vec_prog(dev, prog, &pind, msg, sizeof(msg));
	if (ret) {
		ret = cli_file_fail(prog, ret, msg);
		goto free_store;
	}
	t0 = now_s();
	n = uringblk_vec_query(dev, &store, pind, query, (__u32)k, metric,
			       hits, &res);
	if (n < 0) {
		ret = cli_fail("EXECUTE topk_i8", n);
		goto free_store;
	}
	print_hits(hits, n, json, "drive",
		   sizeof(res) + res.out_len, now_s() - t0);
	ret = CLI_OK;
free_store:
	uringblk_vec_store_free(dev, &store);
out:
	uringblk_file_unmap(&map);
	uringblk_close(dev);
	return ret;
}

static const struct cli_cmd vec_topk = {
	.name		= "topk",
	.args		= "DEV|FILE --dim D --query QFILE [--k K] [--l2] [--lba L --count N] [--host] [--prog OBJ] [--slm-off OFF] [--json]",
	.summary	= "The k int8 vectors nearest a query, in the drive or on the host.",
	.help		=
	"  -d, --dim D       bytes per vector, 1..4096\n"
	"  -q, --query QFILE the query: exactly D signed bytes\n"
	"  -k, --k K         results, 1..1024 (default 10)\n"
	"  -2, --l2          squared L2 distance, lower first (default: dot\n"
	"                    product, higher first); equal scores: lower index first\n"
	"  -l, --lba L       on a drive: first block of the vectors (default 0)\n"
	"  -n, --count N     on a drive: number of vectors (required)\n"
	"  -H, --host        read the vectors (O_DIRECT) and score them here\n"
	"  -p, --prog OBJ    topk_i8.bpf.o, loaded and activated if no program\n"
	"                    named topk_i8 is on the drive (default: next to\n"
	"                    this binary, out/bpf/topk_i8.bpf.o)\n"
	"  -s, --slm-off OFF where in SLM the query page and vectors go (default 0;\n"
	"                    that SLM is overwritten)\n"
	"  -j, --json        one JSON object\n"
	"FILE: a file of vectors on a filesystem on the drive (its drive is found\n"
	"from it).  The drive path copies the vectors into SLM (MEM_COPY: they do\n"
	"not cross the bus), writes the query there and runs one EXECUTE; only\n"
	"the hits come back.  Prints 'rank index score' lines; a summary (bytes\n"
	"to the host, time) on stderr.\n",
	.run		= topk_run,
};

static const struct cli_cmd *const vec_cmds[] = {
	&vec_topk,
	NULL,
};

const struct cli_cmd cli_cmd_vec = {
	.name		= "vec",
	.args		= "SUBCOMMAND ...",
	.summary	= "Int8 vector search: top-k by dot product or L2.",
	.subcmds	= vec_cmds,
};
