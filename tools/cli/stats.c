// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk stats: the drive's counters, from GET_STATS or sysfs.
 */
#include <stdio.h>

#include "cli.h"

static int stats_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ "sysfs",	no_argument,	NULL, 's' },
		{ "reset",	no_argument,	NULL, 'r' },
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL,		0,		NULL, 0 },
	};
	bool sysfs = false, reset = false;
	struct uringblk_stats stats;
	struct uringblk_dev *dev;
	unsigned int flags = 0;
	const char *spec;
	int c, ret;

	while ((c = cli_getopt(cmd, argc, argv, "jsrh", opts)) != -1) {
		switch (c) {
		case 'j':
			flags |= URINGBLK_PRINT_JSON;
			break;
		case 's':
			sysfs = true;
			break;
		case 'r':
			reset = true;
			break;
		case 'h':
			return CLI_OK;
		default:
			return CLI_USAGE;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(cmd, optind == argc ? "missing DEV" :
				       "too many arguments");
	spec = argv[optind];

	ret = cli_open(cmd, spec, &dev);
	if (ret)
		return ret;
	if (!sysfs) {
		/* Snapshot and reset are one atomic step in the driver. */
		ret = uringblk_get_stats(dev, &stats,
					 reset ? URINGBLK_STATS_F_RESET : 0);
	} else {
		ret = uringblk_stats_sysfs(dev, &stats);
		/* Two steps here: I/O between them is counted nowhere. */
		if (!ret && reset)
			ret = uringblk_reset_stats_sysfs(dev);
	}
	if (ret) {
		ret = cli_fail(spec, ret);
		goto out;
	}
	ret = uringblk_fprint_stats(stdout, &stats, flags);
	if (!ret && reset && !(flags & URINGBLK_PRINT_JSON))
		printf("(counters reset after this snapshot)\n");
	ret = ret ? cli_fail("<stdout>", ret) : CLI_OK;
out:
	uringblk_close(dev);
	return ret;
}

const struct cli_cmd cli_cmd_stats = {
	.name		= "stats",
	.args		= "DEV [--json] [--sysfs] [--reset]",
	.summary	= "Show the drive's counters.",
	.help		=
	"  -j, --json    print one JSON object with every counter\n"
	"  -s, --sysfs   read /sys/block/uringblkN/uringblk/* instead of sending\n"
	"                GET_STATS over io_uring (each file read separately)\n"
	"  -r, --reset   zero the counters after the snapshot (root); atomic with\n"
	"                GET_STATS, a write to reset_stats with --sysfs.  The\n"
	"                gauges in_flight and backing_bytes are not reset.\n",
	.run		= stats_run,
};
