// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk mem, uringblk rangeset: the drive's device memory (SLM) and
 * its memory range sets.  "mem read" and "mem write" move any length, in
 * commands of at most identify.max_mem_xfer bytes; "mem copy" is one
 * MEM_COPY (the drive bounds it, and says so: Command Size Limit
 * Exceeded).  Errors name the drive's status (cli_fail_dev()).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Most ranges one command line may give: the ABI's limit is the drive's. */
#define MAX_RANGES	64

/* -j/--json and -h only. */
static int json_opts(const struct cli_cmd *cmd, int argc, char **argv, bool *json)
{
	static const struct option opts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL,		0,		NULL, 0 },
	};
	int c;

	while ((c = cli_getopt(cmd, argc, argv, "jh", opts)) != -1) {
		switch (c) {
		case 'j':
			*json = true;
			break;
		case 'h':
			return -1;
		default:
			return CLI_USAGE;
		}
	}
	return 0;
}

static int read_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output",	required_argument,	NULL, 'o' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 },
	};
	const char *outfile = NULL;
	struct uringblk_identify id;
	struct uringblk_dev *dev;
	__u64 off, len, done = 0;
	unsigned char *buf = NULL;
	int c, ret, fd = 1;

	while ((c = cli_getopt(cmd, argc, argv, "o:h", opts)) != -1) {
		switch (c) {
		case 'o':
			outfile = optarg;
			break;
		case 'h':
			return CLI_OK;
		default:
			return CLI_USAGE;
		}
	}
	ret = cli_want_args(cmd, argc, 3, "DEV, OFF or LEN");
	if (ret)
		return ret;
	if (cli_parse_size(argv[optind + 1], &off))
		return cli_usage_error(cmd, "'%s' is not an SLM offset", argv[optind + 1]);
	if (cli_parse_size(argv[optind + 2], &len) || !len)
		return cli_usage_error(cmd, "'%s' is not a positive length", argv[optind + 2]);
	ret = cli_check_dev(cmd, argv[optind]);
	if (ret)
		return ret;
	ret = cli_open_feature(cmd, argv[optind], URINGBLK_F_SLM, &dev, &id);
	if (ret)
		return ret;
	if (outfile) {
		fd = open(outfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0) {
			ret = cli_fail(outfile, -errno);
			goto out;
		}
	}
	buf = malloc(id.max_mem_xfer);
	if (!buf) {
		ret = cli_fail(argv[optind], -ENOMEM);
		goto out;
	}
	while (done < len) {
		__u32 n = len - done < id.max_mem_xfer ? (__u32)(len - done) :
							 id.max_mem_xfer;
		char what[64];

		ret = uringblk_mem_read(dev, off + done, buf, n);
		if (ret < 0) {
			snprintf(what, sizeof(what), "%s offset %" PRIu64, argv[optind],
				 (uint64_t)(off + done));
			ret = cli_fail_dev(dev, what, ret);
			goto out;
		}
		for (__u32 w = 0; w < n; ) {
			ssize_t r = write(fd, buf + w, n - w);

			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0) {
				ret = cli_fail(outfile ? outfile : "stdout", -errno);
				goto out;
			}
			w += r;
		}
		done += n;
	}
	ret = CLI_OK;
out:
	if (fd > 1)
		close(fd);
	free(buf);
	uringblk_close(dev);
	return ret;
}

static int write_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	const char *file, *spec;
	struct uringblk_identify id;
	struct uringblk_dev *dev;
	unsigned char *buf = NULL;
	__u64 off, done = 0;
	bool json = false;
	int ret, fd = 0;

	ret = json_opts(cmd, argc, argv, &json);
	if (ret)
		return ret < 0 ? CLI_OK : ret;
	ret = cli_want_args(cmd, argc, 3, "DEV, OFF or FILE");
	if (ret)
		return ret;
	spec = argv[optind];
	file = argv[optind + 2];
	if (cli_parse_size(argv[optind + 1], &off))
		return cli_usage_error(cmd, "'%s' is not an SLM offset", argv[optind + 1]);
	ret = cli_check_dev(cmd, spec);
	if (ret)
		return ret;
	ret = cli_open_feature(cmd, spec, URINGBLK_F_SLM, &dev, &id);
	if (ret)
		return ret;
	if (strcmp(file, "-")) {
		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			ret = cli_fail(file, -errno);
			goto out;
		}
	}
	buf = malloc(id.max_mem_xfer);
	if (!buf) {
		ret = cli_fail(spec, -ENOMEM);
		goto out;
	}
	/* A command per max_mem_xfer bytes (or less: what one read gave). */
	for (;;) {
		ssize_t n = read(fd, buf, id.max_mem_xfer);
		char what[64];

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = cli_fail(file, -errno);
			goto out;
		}
		if (!n)
			break;
		ret = uringblk_mem_write(dev, off + done, buf, (__u32)n);
		if (ret < 0) {
			snprintf(what, sizeof(what), "%s offset %" PRIu64, spec,
				 (uint64_t)(off + done));
			ret = cli_fail_dev(dev, what, ret);
			goto out;
		}
		done += n;
	}
	if (json)
		printf("{\"slm_off\": %" PRIu64 ", \"bytes\": %" PRIu64 "}\n",
		       (uint64_t)off, (uint64_t)done);
	else
		printf("wrote %" PRIu64 " bytes at SLM offset %" PRIu64 "\n",
		       (uint64_t)done, (uint64_t)off);
	ret = CLI_OK;
out:
	if (fd > 0)
		close(fd);
	free(buf);
	uringblk_close(dev);
	return ret;
}

/*
 * "A:B[,A:B...]" -> up to MAX_RANGES pairs, each part a size (K/M/G
 * suffixes); the second of each pair must not be 0.  Count, or -EINVAL.
 */
static int parse_pairs(const char *list, __u64 (*pairs)[2])
{
	char *copy = strdup(list), *save = NULL, *tok;
	int n = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':');

		if (n == MAX_RANGES || !colon)
			goto bad;
		*colon = '\0';
		if (cli_parse_size(tok, &pairs[n][0]) ||
		    cli_parse_size(colon + 1, &pairs[n][1]) || !pairs[n][1])
			goto bad;
		n++;
	}
	/* "", ",", "a:1,": strtok_r skips empty tokens, so check the shape */
	if (!n || list[strlen(list) - 1] == ',' || list[0] == ',' || strstr(list, ",,"))
		goto bad;
	free(copy);
	return n;
bad:
	free(copy);
	return -EINVAL;
}

static int copy_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct uringblk_copy_range r[MAX_RANGES];
	__u64 pairs[MAX_RANGES][2], off;
	struct uringblk_identify id;
	struct uringblk_dev *dev;
	bool json = false;
	int ret, n;

	ret = json_opts(cmd, argc, argv, &json);
	if (ret)
		return ret < 0 ? CLI_OK : ret;
	ret = cli_want_args(cmd, argc, 3, "DEV, SLM_OFF or LBA:NLB");
	if (ret)
		return ret;
	if (cli_parse_size(argv[optind + 1], &off))
		return cli_usage_error(cmd, "'%s' is not an SLM offset", argv[optind + 1]);
	n = parse_pairs(argv[optind + 2], pairs);
	if (n < 0)
		return cli_usage_error(cmd, "'%s' is not a list of LBA:NLB (at most %d, "
				       "NLB 1 to 4294967295)", argv[optind + 2], MAX_RANGES);
	for (int i = 0; i < n; i++) {
		if (pairs[i][1] > UINT32_MAX)
			return cli_usage_error(cmd, "'%s' is not a list of LBA:NLB (at most %d, "
					       "NLB 1 to 4294967295)", argv[optind + 2],
					       MAX_RANGES);
		r[i] = (struct uringblk_copy_range){ .slba = pairs[i][0],
						     .nlb = (__u32)pairs[i][1] };
	}
	ret = cli_check_dev(cmd, argv[optind]);
	if (ret)
		return ret;
	ret = cli_open_feature(cmd, argv[optind], URINGBLK_F_SLM, &dev, &id);
	if (ret)
		return ret;
	ret = uringblk_mem_copy(dev, off, r, (unsigned int)n);
	if (ret < 0) {
		ret = cli_fail_dev(dev, argv[optind], ret);
	} else {
		if (json)
			printf("{\"slm_off\": %" PRIu64 ", \"ranges\": %d, \"bytes\": %d}\n",
			       (uint64_t)off, n, ret);
		else
			printf("copied %d bytes (%d ranges) to SLM offset %" PRIu64 "\n",
			       ret, n, (uint64_t)off);
		ret = CLI_OK;
	}
	uringblk_close(dev);
	return ret;
}

static int create_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct uringblk_mem_range r[MAX_RANGES];
	__u64 pairs[MAX_RANGES][2];
	struct uringblk_identify id;
	struct uringblk_dev *dev;
	bool json = false;
	int ret, n;

	ret = json_opts(cmd, argc, argv, &json);
	if (ret)
		return ret < 0 ? CLI_OK : ret;
	ret = cli_want_args(cmd, argc, 2, "DEV or OFF:LEN");
	if (ret)
		return ret;
	n = parse_pairs(argv[optind + 1], pairs);
	if (n < 0)
		return cli_usage_error(cmd, "'%s' is not a list of OFF:LEN (at most %d, "
				       "LEN not 0)", argv[optind + 1], MAX_RANGES);
	for (int i = 0; i < n; i++)
		r[i] = (struct uringblk_mem_range){ pairs[i][0], pairs[i][1] };
	ret = cli_check_dev(cmd, argv[optind]);
	if (ret)
		return ret;
	ret = cli_open_feature(cmd, argv[optind], URINGBLK_F_SLM, &dev, &id);
	if (ret)
		return ret;
	ret = uringblk_range_set_create(dev, r, (unsigned int)n);
	if (ret < 0) {
		ret = cli_fail_dev(dev, argv[optind], ret);
	} else if (json) {
		printf("{\"rsid\": %d, \"ranges\": [", ret);
		for (int i = 0; i < n; i++)
			printf("%s{\"slm_off\": %" PRIu64 ", \"len\": %" PRIu64 "}",
			       i ? ", " : "", (uint64_t)r[i].slm_off, (uint64_t)r[i].len);
		printf("]}\n");
		ret = CLI_OK;
	} else {
		printf("%d\n", ret);
		ret = CLI_OK;
	}
	uringblk_close(dev);
	return ret;
}

static int delete_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct uringblk_identify id;
	struct uringblk_dev *dev;
	__u64 rsid;
	int ret;

	ret = json_opts(cmd, argc, argv, &(bool){ false });
	if (ret)
		return ret < 0 ? CLI_OK : ret;
	ret = cli_want_args(cmd, argc, 2, "DEV or RSID");
	if (ret)
		return ret;
	if (cli_parse_u64(argv[optind + 1], &rsid) || !rsid || rsid > UINT32_MAX)
		return cli_usage_error(cmd, "'%s' is not a range set id", argv[optind + 1]);
	ret = cli_check_dev(cmd, argv[optind]);
	if (ret)
		return ret;
	ret = cli_open_feature(cmd, argv[optind], URINGBLK_F_SLM, &dev, &id);
	if (ret)
		return ret;
	ret = uringblk_range_set_delete(dev, (__u32)rsid);
	if (ret < 0) {
		char what[64];

		snprintf(what, sizeof(what), "%s rsid %" PRIu64, argv[optind],
			 (uint64_t)rsid);
		ret = cli_fail_dev(dev, what, ret);
	} else {
		ret = CLI_OK;
	}
	uringblk_close(dev);
	return ret;
}

static const struct cli_cmd mem_read = {
	.name		= "read",
	.args		= "DEV OFF LEN [-o FILE]",
	.summary	= "Copy LEN bytes of device memory from OFF to stdout or FILE.",
	.help		=
	"  -o, --output FILE  write to FILE instead of stdout\n"
	"OFF and LEN take K/M/G suffixes.  Never-written memory reads as zeroes.\n",
	.run		= read_run,
};

static const struct cli_cmd mem_write = {
	.name		= "write",
	.args		= "DEV OFF FILE|- [--json]",
	.summary	= "Copy FILE (\"-\" = stdin) into device memory at OFF.",
	.help		= "  -j, --json   print {\"slm_off\", \"bytes\"}\n",
	.run		= write_run,
};

static const struct cli_cmd mem_copy = {
	.name		= "copy",
	.args		= "DEV SLM_OFF LBA:NLB[,LBA:NLB...] [--json]",
	.summary	= "Copy blocks of the drive into device memory at SLM_OFF, "
			  "end to end, inside the drive.",
	.help		=
	"  -j, --json   print {\"slm_off\", \"ranges\", \"bytes\"}\n"
	"At most 64 ranges and identify's max_mem_xfer bytes in all.\n",
	.run		= copy_run,
};

static const struct cli_cmd *const mem_cmds[] = {
	&mem_read,
	&mem_write,
	&mem_copy,
	NULL,
};

const struct cli_cmd cli_cmd_mem = {
	.name		= "mem",
	.args		= "SUBCOMMAND ...",
	.summary	= "Device memory (SLM): read, write, copy from the media.",
	.subcmds	= mem_cmds,
};

static const struct cli_cmd rs_create = {
	.name		= "create",
	.args		= "DEV OFF:LEN[,OFF:LEN...] [--json]",
	.summary	= "Create a memory range set of these SLM ranges; prints its id.",
	.help		=
	"  -j, --json   print {\"rsid\", \"ranges\": [{\"slm_off\", \"len\"}]}\n"
	"Offsets and lengths are multiples of identify's slm_granularity (K/M/G\n"
	"suffixes); ranges of one set may not overlap.\n",
	.run		= create_run,
};

static const struct cli_cmd rs_delete = {
	.name		= "delete",
	.args		= "DEV RSID",
	.summary	= "Delete a memory range set (the memory keeps its contents).",
	.run		= delete_run,
};

static const struct cli_cmd *const rs_cmds[] = {
	&rs_create,
	&rs_delete,
	NULL,
};

const struct cli_cmd cli_cmd_rangeset = {
	.name		= "rangeset",
	.args		= "SUBCOMMAND ...",
	.summary	= "Memory range sets: windows of device memory for programs.",
	.subcmds	= rs_cmds,
};
