// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk stats: the drive's counters, from GET_STATS or sysfs; with
 * --latency, its latency histograms summed up as percentiles.
 */
#include <errno.h>
#include <stdio.h>

#include "cli.h"

/* --latency: the histograms instead of the counters, same sources. */
static int stats_latency(struct uringblk_dev *dev, const char *spec,
			 bool sysfs, bool reset, unsigned int flags)
{
	struct uringblk_latency_stats lat;
	int ret;

	if (!sysfs) {
		ret = uringblk_get_latency(dev, &lat,
					   reset ? URINGBLK_STATS_F_RESET : 0);
	} else {
		ret = uringblk_latency_sysfs(dev, &lat);
		if (!ret && reset)
			ret = uringblk_reset_stats_sysfs(dev);
	}
	if (ret == -EINVAL && !sysfs) {
		/* The one -EINVAL GET_STATS gives a valid request: an unknown flag. */
		fprintf(stderr, "uringblk: stats %s: the driver has no latency "
			"histograms (ABI 1.1 needed) (errno EINVAL)\n", spec);
		return CLI_FAIL;
	}
	if (ret)
		return cli_fail(spec, ret);
	ret = uringblk_fprint_latency(stdout, &lat, flags);
	if (!ret && reset && !(flags & URINGBLK_PRINT_JSON))
		printf("(histograms and counters reset after this snapshot)\n");
	return ret ? cli_fail("<stdout>", ret) : CLI_OK;
}

/* Is "ssd_" @name a field of struct uringblk_stats (ABI 1.12)? */
static bool ssd_in_abi(const char *name)
{
	const char *f;
	unsigned int i;

	for (i = 0; (f = uringblk_stats_field_name(i)); i++)
		if (!strncmp(f, "ssd_", 4) && !strcmp(f + 4, name))
			return true;
	return false;
}

/*
 * The SSD model's lines of sysfs uringblk/ssd_stats ("name value" each;
 * empty without a model) that are not counters (those are ssd_* in the
 * counters above): its WAF and shape, as "ssd.NAME  VALUE" lines.
 * Nothing if the drive has no model or the driver no such file.
 */
static void stats_ssd(struct uringblk_dev *dev)
{
	char path[64], name[64];
	unsigned long long v;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/block/uringblk%d/uringblk/ssd_stats",
		 uringblk_index(dev));
	f = fopen(path, "r");
	if (!f)
		return;
	while (fscanf(f, "%63s %llu", name, &v) == 2)
		if (!ssd_in_abi(name))
			printf("ssd.%-22s  %20llu\n", name, v);
	fclose(f);
}

static int stats_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ "sysfs",	no_argument,	NULL, 's' },
		{ "reset",	no_argument,	NULL, 'r' },
		{ "latency",	no_argument,	NULL, 'l' },
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL,		0,		NULL, 0 },
	};
	bool sysfs = false, reset = false, latency = false;
	struct uringblk_stats stats;
	struct uringblk_dev *dev;
	unsigned int flags = 0;
	const char *spec;
	int c, ret;

	while ((c = cli_getopt(cmd, argc, argv, "jsrlh", opts)) != -1) {
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
		case 'l':
			latency = true;
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
	spec = argv[optind];

	ret = cli_open(cmd, spec, &dev);
	if (ret)
		return ret;
	if (latency) {
		ret = stats_latency(dev, spec, sysfs, reset, flags);
		goto out;
	}
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
	if (!ret && !(flags & URINGBLK_PRINT_JSON))
		stats_ssd(dev);
	if (!ret && reset && !(flags & URINGBLK_PRINT_JSON))
		printf("(counters reset after this snapshot)\n");
	ret = ret ? cli_fail("<stdout>", ret) : CLI_OK;
out:
	uringblk_close(dev);
	return ret;
}

const struct cli_cmd cli_cmd_stats = {
	.name		= "stats",
	.args		= "DEV [--latency] [--json] [--sysfs] [--reset]",
	.summary	= "Show the drive's counters or latency percentiles.",
	.help		=
	"  -l, --latency per operation type: count, mean, p50, p90, p99, p99.9\n"
	"                and max (the upper bound of the highest non-empty\n"
	"                bucket), from the drive's latency histograms; a\n"
	"                percentile is within its log-linear bucket (at most\n"
	"                1.5x wide).  With --sysfs there is no mean.  Drives\n"
	"                record only while uringblk/latency_enable is 1: off\n"
	"                by default (the module's latency=1 turns it on).\n"
	"  -j, --json    print one JSON object with every counter (with\n"
	"                --latency: values in ns and every non-empty bucket)\n"
	"  -s, --sysfs   read /sys/block/uringblkN/uringblk/* instead of sending\n"
	"                GET_STATS over io_uring (each file read separately)\n"
	"  -r, --reset   zero the counters and histograms after the snapshot\n"
	"                (root); atomic with GET_STATS, a write to reset_stats\n"
	"                with --sysfs.  The gauges in_flight and backing_bytes\n"
	"                are not reset.\n"
	"A drive with an SSD model (ssd=) counts in the ssd_* counters, which\n"
	"resets leave, and adds its WAF and shape as ssd.NAME lines (sysfs\n"
	"uringblk/ssd_stats; not in --json).\n",
	.run		= stats_run,
};
