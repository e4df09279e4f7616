// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk zone: report zones, reset/open/close/finish them, and append
 * data to a zone through the command device (the drive picks the LBA and
 * says which).  Positions are logical blocks, as in the ABI.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

/* Zones asked for per library call when reporting a whole drive. */
#define REPORT_BATCH	256

static const char *type_name(__u8 type)
{
	switch (type) {
	case URINGBLK_ZONE_TYPE_CONVENTIONAL:	return "conv";
	case URINGBLK_ZONE_TYPE_SEQWRITE_REQ:	return "seq";
	default:				return "?";
	}
}

static void print_zone(const struct uringblk_zone *z, bool json, bool first)
{
	const char *cond = uringblk_zone_cond_name(z->cond);
	char wp[24];

	if (json) {
		printf("%s\n  {\"start\": %" PRIu64 ", \"len\": %" PRIu64
		       ", \"capacity\": %" PRIu64 ", \"wp\": ", first ? "" : ",",
		       (uint64_t)z->start, (uint64_t)z->len, (uint64_t)z->capacity);
		if (z->wp == ~0ULL)
			printf("null");
		else
			printf("%" PRIu64, (uint64_t)z->wp);
		printf(", \"type\": \"%s\", \"cond\": \"%s\", \"write_ops\": %" PRIu64
		       ", \"reset_ops\": %" PRIu64 "}", type_name(z->type),
		       cond ? cond : "?", (uint64_t)z->write_ops,
		       (uint64_t)z->reset_ops);
		return;
	}
	if (z->wp == ~0ULL)
		snprintf(wp, sizeof(wp), "-");
	else
		snprintf(wp, sizeof(wp), "%" PRIu64, (uint64_t)z->wp);
	printf("%14" PRIu64 " %12" PRIu64 " %12" PRIu64 " %14s %-4s %-8s %12"
	       PRIu64 " %10" PRIu64 "\n", (uint64_t)z->start, (uint64_t)z->len,
	       (uint64_t)z->capacity, wp, type_name(z->type), cond ? cond : "?",
	       (uint64_t)z->write_ops, (uint64_t)z->reset_ops);
}

static int report_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lba",	required_argument,	NULL, 'l' },
		{ "count",	required_argument,	NULL, 'c' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 },
	};
	struct uringblk_zone zones[REPORT_BATCH];
	struct uringblk_identify id;
	struct uringblk_dev *dev;
	__u64 lba = 0, left = ~0ULL;
	bool json = false, first = true;
	int c, ret, n;

	while ((c = cli_getopt(cmd, argc, argv, "l:c:jh", opts)) != -1) {
		switch (c) {
		case 'l':
			if (cli_parse_u64(optarg, &lba))
				return cli_usage_error(cmd, "--lba '%s' is not a block number", optarg);
			break;
		case 'c':
			if (cli_parse_u64(optarg, &left) || !left)
				return cli_usage_error(cmd, "--count '%s' is not a positive zone count", optarg);
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
	ret = cli_want_args(cmd, argc, 1, "DEV");
	if (ret)
		return ret;
	ret = cli_open_feature(cmd, argv[optind], URINGBLK_F_ZONED, &dev, &id);
	if (ret)
		return ret;

	if (json)
		printf("[");
	else
		printf("%14s %12s %12s %14s %-4s %-8s %12s %10s\n", "start", "len",
		       "capacity", "wp", "type", "cond", "write_ops", "reset_ops");
	while (left) {
		unsigned int want = left < REPORT_BATCH ? (unsigned int)left :
							  REPORT_BATCH;

		n = uringblk_report_zones(dev, lba, zones, want);
		if (n < 0) {
			if (json)
				printf("\n]\n");
			ret = cli_fail(argv[optind], n);
			goto out;
		}
		for (int i = 0; i < n; i++) {
			print_zone(&zones[i], json, first);
			first = false;
		}
		if ((unsigned int)n < want)
			break;
		left -= n;
		lba = zones[n - 1].start + zones[n - 1].len;
	}
	if (json)
		printf("\n]\n");
	ret = CLI_OK;
out:
	uringblk_close(dev);
	return ret;
}

/* reset, open, close, finish: DEV LBA, or (reset) DEV --all */
static int mgmt_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all",	no_argument,		NULL, 'a' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 },
	};
	const bool can_all = !strcmp(cmd->name, "reset");
	int action = uringblk_zone_action_parse(cmd->name);
	struct uringblk_identify id;
	struct uringblk_dev *dev;
	bool all = false;
	__u64 lba = 0;
	int c, ret;

	while ((c = cli_getopt(cmd, argc, argv, can_all ? "ah" : "h",
			       can_all ? opts : opts + 1)) != -1) {
		switch (c) {
		case 'a':
			all = true;
			break;
		case 'h':
			return CLI_OK;
		default:
			return CLI_USAGE;
		}
	}
	ret = cli_want_args(cmd, argc, 2 - all, all ? "DEV" : "DEV or LBA");
	if (ret)
		return ret;
	if (!all && cli_parse_u64(argv[optind + 1], &lba))
		return cli_usage_error(cmd, "'%s' is not a block number",
				       argv[optind + 1]);
	if (all)
		action = URINGBLK_ZONE_ACTION_RESET_ALL;

	ret = cli_open_feature(cmd, argv[optind], URINGBLK_F_ZONED, &dev, &id);
	if (ret)
		return ret;
	ret = uringblk_zone_mgmt(dev, lba, (unsigned int)action);
	if (ret) {
		char what[64];

		if (all)
			snprintf(what, sizeof(what), "%s", argv[optind]);
		else
			snprintf(what, sizeof(what), "%s lba %" PRIu64, argv[optind],
				 (uint64_t)lba);
		ret = cli_fail_dev(dev, what, ret);
	}
	uringblk_close(dev);
	return ret ? ret : CLI_OK;
}

/*
 * The data to append: a file ("-" = stdin) or a string, zero-padded to a
 * whole number of blocks.  *len receives the padded length.
 */
static int load_data(const char *file, const char *str, __u64 size, __u32 bs,
		     unsigned char **buf, size_t *len)
{
	size_t n = 0, cap = 0, data;
	unsigned char *p = NULL;

	if (str) {
		n = strlen(str);
		cap = n;
		p = malloc(n ? n : 1);
		if (!p)
			return -ENOMEM;
		memcpy(p, str, n);
	} else if (file) {
		int fd = strcmp(file, "-") ? open(file, O_RDONLY | O_CLOEXEC) : 0;

		if (fd < 0)
			return -errno;
		for (;;) {
			ssize_t r;

			if (n == cap) {
				unsigned char *q;

				cap = cap ? 2 * cap : 65536;
				q = realloc(p, cap);
				if (!q) {
					free(p);
					if (fd)
						close(fd);
					return -ENOMEM;
				}
				p = q;
			}
			r = read(fd, p + n, cap - n);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0) {
				int err = -errno;

				free(p);
				if (fd)
					close(fd);
				return err;
			}
			if (!r)
				break;
			n += r;
		}
		if (fd)
			close(fd);
	}
	/* --size: cut or zero-extend to exactly that many bytes */
	data = n;
	if (size != ~0ULL)
		n = size;
	*len = (n + bs - 1) / bs * bs;
	if (!*len)
		*len = bs;
	if (*len > cap) {
		unsigned char *q = realloc(p, *len);

		if (!q) {
			free(p);
			return -ENOMEM;
		}
		p = q;
	}
	/* zeroes after the data (or after the --size cut), to the block end */
	data = data < n ? data : n;
	memset(p + data, 0, *len - data);
	*buf = p;
	return 0;
}

static int append_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "file",	required_argument,	NULL, 'f' },
		{ "string",	required_argument,	NULL, 's' },
		{ "size",	required_argument,	NULL, 'S' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 },
	};
	const char *file = NULL, *str = NULL, *spec;
	struct uringblk_identify id;
	struct uringblk_dev *dev;
	unsigned char *buf = NULL;
	__u64 zone, size = ~0ULL;
	size_t len = 0, off;
	bool json = false;
	int c, ret;

	while ((c = cli_getopt(cmd, argc, argv, "f:s:S:jh", opts)) != -1) {
		switch (c) {
		case 'f':
			file = optarg;
			break;
		case 's':
			str = optarg;
			break;
		case 'S':
			if (cli_parse_size(optarg, &size) || !size || size > (1ULL << 30))
				return cli_usage_error(cmd, "--size '%s' is not a size of 1 byte to 1 GiB", optarg);
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
	ret = cli_want_args(cmd, argc, 2, "DEV or LBA");
	if (ret)
		return ret;
	spec = argv[optind];
	if (cli_parse_u64(argv[optind + 1], &zone))
		return cli_usage_error(cmd, "'%s' is not a block number",
				       argv[optind + 1]);
	if (file && str)
		return cli_usage_error(cmd, "--file and --string exclude each other");
	if (!file && !str && size == ~0ULL)
		return cli_usage_error(cmd, "give one of --file, --string, or --size "
				       "(zeroes)");

	ret = cli_open_feature(cmd, spec, URINGBLK_F_ZONED, &dev, &id);
	if (ret)
		return ret;
	ret = load_data(file, str, size, id.logical_block_size, &buf, &len);
	if (ret) {
		ret = cli_fail(file ? file : spec, ret);
		goto out;
	}
	if (!id.max_zone_append) {
		ret = cli_fail(spec, -EOPNOTSUPP);
		goto out;
	}

	/* Appends of at most max_zone_append each; each says where it went. */
	if (json)
		printf("{\"zone\": %" PRIu64 ", \"appends\": [", (uint64_t)zone);
	for (off = 0; off < len; ) {
		__u32 n = len - off < id.max_zone_append ? (__u32)(len - off) :
							    id.max_zone_append;
		__u64 lba;

		ret = uringblk_zone_append(dev, zone, buf + off, n, &lba);
		if (ret) {
			char what[64];

			if (json)
				printf("]}\n");
			snprintf(what, sizeof(what), "%s lba %" PRIu64, spec,
				 (uint64_t)zone);
			ret = cli_fail_dev(dev, what, ret);
			goto out;
		}
		if (json)
			printf("%s{\"lba\": %" PRIu64 ", \"blocks\": %u}",
			       off ? ", " : "", (uint64_t)lba,
			       n / id.logical_block_size);
		else
			printf("lba %" PRIu64 " blocks %u\n", (uint64_t)lba,
			       n / id.logical_block_size);
		off += n;
	}
	if (json)
		printf("]}\n");
	ret = CLI_OK;
out:
	free(buf);
	uringblk_close(dev);
	return ret;
}

static const struct cli_cmd zone_report = {
	.name		= "report",
	.args		= "DEV [--lba LBA] [--count N] [--json]",
	.summary	= "List zones: start, length, capacity, write pointer (LBAs), "
			  "type, condition, counters.",
	.help		=
	"  -l, --lba LBA     start with the zone holding this block (default 0)\n"
	"  -c, --count N     at most N zones (default: to the end)\n"
	"  -j, --json        print a JSON array; wp is null for read-only and\n"
	"                    offline zones\n",
	.run		= report_run,
};

static const struct cli_cmd zone_reset = {
	.name		= "reset",
	.args		= "DEV LBA | DEV --all",
	.summary	= "Reset the zone starting at LBA (its data are dropped), "
			  "or every zone.",
	.help		= "  -a, --all   reset every sequential zone (RESET_ALL)\n",
	.run		= mgmt_run,
};

static const struct cli_cmd zone_open = {
	.name		= "open",
	.args		= "DEV LBA",
	.summary	= "Open the zone starting at LBA explicitly.",
	.run		= mgmt_run,
};

static const struct cli_cmd zone_close = {
	.name		= "close",
	.args		= "DEV LBA",
	.summary	= "Close the open zone starting at LBA.",
	.run		= mgmt_run,
};

static const struct cli_cmd zone_finish = {
	.name		= "finish",
	.args		= "DEV LBA",
	.summary	= "Make the zone starting at LBA full.",
	.run		= mgmt_run,
};

static const struct cli_cmd zone_append = {
	.name		= "append",
	.args		= "DEV LBA (--file F | --string S | --size N) [--json]",
	.summary	= "Append data to the zone starting at LBA; prints the LBA "
			  "each piece landed at.",
	.help		=
	"  -f, --file F      the data: file F (\"-\" = stdin)\n"
	"  -s, --string S    the data: the bytes of S\n"
	"  -S, --size N      cut or zero-extend the data to N bytes (K/M/G);\n"
	"                    alone, append N zero bytes\n"
	"  -j, --json        print {\"zone\", \"appends\": [{\"lba\", \"blocks\"}]}\n"
	"The data are zero-padded to whole blocks and sent in appends of at\n"
	"most the drive's max_zone_append bytes.\n",
	.run		= append_run,
};

static const struct cli_cmd *const zone_cmds[] = {
	&zone_report,
	&zone_reset,
	&zone_open,
	&zone_close,
	&zone_finish,
	&zone_append,
	NULL,
};

const struct cli_cmd cli_cmd_zone = {
	.name		= "zone",
	.args		= "SUBCOMMAND ...",
	.summary	= "Zones of a zoned drive.",
	.subcmds	= zone_cmds,
};
