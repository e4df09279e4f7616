// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk query: a filter/aggregate in the query language of liburingblk
 * (Documentation/examples/queries.md), compiled to a program and run in the drive over
 * a file on it or over its blocks; --host runs the library's own
 * interpreter over the same bytes instead, --check both, compared.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

struct qrun {
	const char	*target;	/* FILE or DEV */
	bool		is_file;
	__u64		bytes;		/* DEV: bytes from LBA 0 (0: all) */
	__u64		budget;
	bool		stats;
};

/* The bytes the query reads, as the host reads them: @len of them */
static int host_data(const struct qrun *r, struct uringblk_dev *dev,
		     void **data, size_t *len)
{
	const char *path = r->is_file ? r->target : uringblk_blk_path(dev);
	struct stat st;
	int fd, ret = 0;

	*data = NULL;
	*len = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	if (r->is_file) {
		if (fstat(fd, &st)) {
			ret = -errno;
			goto out;
		}
		*len = st.st_size;
	} else {
		off_t end = lseek(fd, 0, SEEK_END);

		if (end < 0) {
			ret = -errno;
			goto out;
		}
		*len = r->bytes && r->bytes < (__u64)end ? r->bytes : (size_t)end;
	}
	if (*len) {
		*data = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (*data == MAP_FAILED) {
			*data = NULL;
			ret = -errno;
		}
	}
out:
	close(fd);
	return ret;
}

/* The first @len bytes of the data (cli_first_line()'s reader) */
static ssize_t fd_prefix(void *ctx, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(*(int *)ctx, (char *)buf + got, len - got, got);

		if (n < 0)
			return -errno;
		if (!n)
			break;
		got += n;
	}
	return got;
}

/* The first line, for --header: names resolve before the program exists */
static char *first_line(const struct qrun *r, struct uringblk_dev *dev)
{
	const char *path = r->is_file ? r->target : uringblk_blk_path(dev);
	int fd = open(path, O_RDONLY);
	char *line;

	if (fd < 0)
		return NULL;
	line = cli_first_line(fd_prefix, &fd);
	close(fd);
	return line;
}

static int print_res(const struct uringblk_query *q,
		     const struct uringblk_query_result *res, char **text)
{
	size_t len = 0;
	FILE *f = open_memstream(text, &len);

	if (!f)
		return -ENOMEM;
	uringblk_query_fprint(f, q, res);
	return fclose(f) ? -errno : 0;
}

static int run_query(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "header",	no_argument,		NULL, 'H' },
		{ "sep",	required_argument,	NULL, 's' },
		{ "binary",	required_argument,	NULL, 'r' },
		{ "host",	no_argument,		NULL, 'o' },
		{ "check",	no_argument,		NULL, 'c' },
		{ "bytes",	required_argument,	NULL, 'n' },
		{ "budget",	required_argument,	NULL, 'b' },
		{ "stats",	no_argument,		NULL, 'S' },
		{ "byte-loop",	no_argument,		NULL, 'B' },
		{ "help",	no_argument,		NULL, 'h' },
		{ 0 }
	};
	struct uringblk_query_opts qo = { 0 };
	struct uringblk_query_result hres = { 0 }, dres = { 0 };
	struct uringblk_file_map map = { .fd = -1 };
	struct uringblk_exec_result xres = { 0 };
	struct uringblk_identify id;
	struct uringblk_dev *dev = NULL;
	struct uringblk_query *q = NULL;
	struct qrun r = { 0 };
	bool host = false, check = false;
	char err[2048] = "", *htext = NULL, *dtext = NULL, *header = NULL;
	void *data = NULL;
	size_t len = 0;
	struct stat st;
	__u64 v;
	int c, ret;

	while ((c = cli_getopt(cmd, argc, argv, "Hs:r:ocn:b:SBh", opts)) != -1) {
		switch (c) {
		case 'H':
			qo.has_header = 1;
			break;
		case 'B':
			qo.byte_loop = 1;
			break;
		case 's':
			if (strlen(optarg) != 1)
				return cli_usage_error(cmd, "--sep takes one character");
			qo.sep = optarg[0];
			break;
		case 'r':
			if (cli_parse_u64(optarg, &v) || !v ||
			    v > URINGBLK_QUERY_MAX_RECLEN)
				return cli_usage_error(cmd, "--binary takes a record length of 1 to %d bytes",
						       URINGBLK_QUERY_MAX_RECLEN);
			qo.reclen = (__u32)v;
			break;
		case 'o':
			host = true;
			break;
		case 'c':
			check = true;
			break;
		case 'n':
			if (cli_parse_size(optarg, &r.bytes) || !r.bytes)
				return cli_usage_error(cmd, "--bytes takes a byte count > 0");
			break;
		case 'b':
			if (cli_parse_u64(optarg, &r.budget))
				return cli_usage_error(cmd, "bad --budget '%s'", optarg);
			break;
		case 'S':
			r.stats = true;
			break;
		case 'h':
			return CLI_OK;
		default:
			return CLI_USAGE;
		}
	}
	ret = cli_want_args(cmd, argc, 2, "DEV|FILE and QUERY");
	if (ret)
		return ret;
	if (host && check)
		return cli_usage_error(cmd, "--host and --check exclude each other");
	r.target = argv[optind];
	r.is_file = !stat(r.target, &st) && S_ISREG(st.st_mode);
	if (r.is_file && r.bytes)
		return cli_usage_error(cmd, "--bytes is for a DEV (a FILE is read to its end)");

	/* the drive: the file's, or DEV */
	if (r.is_file) {
		if (!host) {
			ret = cli_file_open(cmd, NULL, r.target, &dev, &map, err,
					    sizeof(err));
			if (ret == 1)
				return CLI_FAIL;
			if (ret) {
				uringblk_file_unmap(&map);
				return cli_file_fail(r.target, ret, err);
			}
		}
	} else {
		if (cli_check_dev(cmd, r.target))
			return CLI_USAGE;
		ret = cli_open(cmd, r.target, &dev);
		if (ret)
			return ret;
	}
	/*
	 * The first line whether or not --header says it is one: the query's
	 * FROM csv(header) may, and the library uses it only then.
	 */
	if (!qo.reclen) {
		header = first_line(&r, dev);
		qo.header = header;
	}
	ret = uringblk_query_compile(argv[optind + 1], &qo, &q, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "uringblk: %s: %s\n", cli_cmd_path, err);
		ret = ret == -ENOMEM ? CLI_FAIL : CLI_USAGE;
		goto out;
	}

	if (host || check) {
		ret = host_data(&r, dev, &data, &len);
		if (!ret)
			ret = cli_query_host(q, data, len, &hres, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "uringblk: %s: host: %s (errno %s)\n",
				cli_cmd_path, err[0] ? err : uringblk_strerror(ret),
				strerrorname_np(-ret) ?: "?");
			ret = CLI_FAIL;
			goto out;
		}
		print_res(q, &hres, &htext);
	}
	if (!host) {
		struct cli_progress pg;
		__u64 count, bytes;

		ret = uringblk_identify(dev, &id);
		if (ret) {
			ret = cli_fail(r.target, ret);
			goto out;
		}
		bytes = r.is_file ? (__u64)st.st_size :
			r.bytes && r.bytes < id.capacity ? r.bytes : id.capacity;
		count = (bytes + id.logical_block_size - 1) / id.logical_block_size;
		if (!r.budget) {
			/* what the chosen program can need; a budget error names --budget */
			r.budget = uringblk_query_budget(q, bytes);
			if (r.budget > id.max_insn_budget)
				r.budget = id.max_insn_budget;
		}
		cli_file_test_hook();
		cli_progress_call(&pg, "in the drive", bytes);
		ret = uringblk_query_run(dev, q, &(struct uringblk_query_run_args){
						 .size = sizeof(struct uringblk_query_run_args),
						 .map = r.is_file ? &map : NULL,
						 .count = count ? count : 1,
						 .limit = r.is_file ? 0 : bytes,
						 .budget = r.budget, .xres = &xres,
						 .err = err, .errlen = sizeof(err) },
					 &dres);
		cli_progress_end(&pg);
		if (ret) {
			fprintf(stderr, "uringblk: %s: %s (errno %s)\n", cli_cmd_path,
				err[0] ? err : uringblk_strerror(ret),
				strerrorname_np(-ret) ?: "?");
			if (ret == -ETIME)
				fprintf(stderr, "  raise --budget (used %" PRIu64 ")\n",
					(uint64_t)r.budget);
			ret = CLI_FAIL;
			goto out;
		}
		print_res(q, &dres, &dtext);
	}
	fputs(host ? htext : dtext, stdout);
	if (r.stats && !host) {
		unsigned int n;

		uringblk_query_insns(q, &n);
		fprintf(stderr, "# program %u insns (%s), ran %" PRIu64 " insns over %" PRIu64
			" bytes, output %" PRIu64 " bytes\n", n,
			uringblk_query_program(q),
			(uint64_t)xres.insns, (uint64_t)xres.bytes_scanned,
			(uint64_t)xres.out_len);
	}
	ret = CLI_OK;
	if (check) {
		if (strcmp(htext, dtext)) {
			fprintf(stderr, "uringblk: %s: the drive and the host differ; the host says:\n%s",
				cli_cmd_path, htext);
			ret = CLI_FAIL;
		} else {
			fprintf(stderr, "# the host agrees\n");
		}
	}
out:
	free(htext);
	free(dtext);
	uringblk_query_result_free(&hres);
	uringblk_query_result_free(&dres);
	if (data)
		munmap(data, len);
	uringblk_query_free(q);
	free(header);
	uringblk_file_unmap(&map);
	uringblk_close(dev);
	return ret;
}

const struct cli_cmd cli_cmd_query = {
	.name		= "query",
	.args		= "DEV|FILE 'QUERY' [--header] [--sep C] [--binary RECLEN] "
			  "[--host|--check] [--bytes N] [--budget B] [--stats] "
			  "[--byte-loop]",
	.summary	= "Filter and aggregate records in the drive, with a query "
			  "compiled to a program (Documentation/examples/queries.md).",
	.help		=
	"  FILE                   a file on a filesystem on a uringblk drive (the\n"
	"                         program runs over its extents); else DEV, whose\n"
	"                         blocks from LBA 0 are read (a CSV scan stops at\n"
	"                         the first NUL byte)\n"
	"  -H, --header           the first line of CSV is a header: skipped, and\n"
	"                         its fields name the columns\n"
	"  -s, --sep C            CSV field separator (default ','; also FROM\n"
	"                         csv(sep='|'))\n"
	"  -r, --binary RECLEN    fixed-length binary records (also FROM\n"
	"                         binary(reclen=N))\n"
	"  -o, --host             run the query on the host instead (the library's\n"
	"                         interpreter, reading the same bytes)\n"
	"  -c, --check            run both; fail if they differ\n"
	"  -n, --bytes N          DEV: read only N bytes (K/M/G suffixes)\n"
	"  -b, --budget B         instruction budget (default: what the program\n"
	"                         can need, uringblk_query_budget(), at most the\n"
	"                         drive's maximum)\n"
	"  -S, --stats            the program's size, kind and run on stderr\n"
	"  -B, --byte-loop        CSV: the program that parses a byte at a time\n"
	"                         (the reference), not the default one on the\n"
	"                         drive's record helpers\n"
	"\n"
	"  The result: a row per group, a column per SELECT item, then a line\n"
	"  '# records R, matched M, malformed X, groups G'.  Exit status 2 for a\n"
	"  bad query (the message points at the error), 1 for a failed run.\n",
	.run		= run_query,
};
