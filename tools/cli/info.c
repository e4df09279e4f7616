// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk info: IDENTIFY the drive.
 */
#include <stdio.h>

#include "cli.h"

static int info_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL,		0,		NULL, 0 },
	};
	struct uringblk_identify id;
	struct uringblk_dev *dev;
	unsigned int flags = 0;
	const char *spec;
	int c, ret;

	while ((c = cli_getopt(cmd, argc, argv, "jh", opts)) != -1) {
		switch (c) {
		case 'j':
			flags |= URINGBLK_PRINT_JSON;
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
	ret = uringblk_identify(dev, &id);
	if (ret) {
		ret = cli_fail(spec, ret);
		goto out;
	}
	if (!(flags & URINGBLK_PRINT_JSON))
		printf("%-18s%s (commands: %s)\n", "device",
		       uringblk_blk_path(dev), uringblk_chr_path(dev));
	ret = uringblk_fprint_identify(stdout, &id, flags);
	ret = ret ? cli_fail("<stdout>", ret) : CLI_OK;
out:
	uringblk_close(dev);
	return ret;
}

const struct cli_cmd cli_cmd_info = {
	.name		= "info",
	.args		= "DEV [--json]",
	.summary	= "Identify the drive: capacity, geometry, queues, features, limits.",
	.help		= "  -j, --json   print one JSON object with every IDENTIFY field\n",
	.run		= info_run,
};
