// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk create | remove | list: drives made and removed at runtime
 * through the driver's configfs interface (liburingblk 1.3).  The options
 * of "create" are a table of configfs attribute names; anything else the
 * driver has goes through --set KEY=VALUE.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Auto-generated names: drive0, drive1, ... the first one free. */
#define AUTO_NAME_FMT	"drive%u"
#define AUTO_NAME_MAX	1000

enum opt_kind {
	OPT_NUM,	/* unsigned number, range checked by the driver */
	OPT_STR,	/* passed as is */
	OPT_FLAG,	/* no argument: attribute = 1 */
};

/* One "create" option per configfs attribute. */
static const struct create_opt {
	const char	*opt;	/* long option */
	const char	*key;	/* configfs attribute */
	enum opt_kind	kind;
} create_opts[] = {
	{ "capacity-mb",	"capacity_mb",		OPT_NUM },
	{ "block-size",		"block_size",		OPT_NUM },
	{ "queues",		"nr_hw_queues",		OPT_NUM },
	{ "queue-depth",	"queue_depth",		OPT_NUM },
	{ "poll-queues",	"poll_queues",		OPT_NUM },
	{ "queue-mode",		"queue_mode",		OPT_STR },
	{ "backing",		"backing",		OPT_STR },
	{ "path",		"path",			OPT_STR },
	{ "zoned",		"zoned",		OPT_FLAG },
	{ "zone-size-mb",	"zone_size_mb",		OPT_NUM },
	{ "zone-capacity-mb",	"zone_capacity_mb",	OPT_NUM },
	{ "zone-conv",		"zone_nr_conv",		OPT_NUM },
	{ "zone-max-open",	"zone_max_open",	OPT_NUM },
	{ "zone-max-active",	"zone_max_active",	OPT_NUM },
	{ "slm-size",		"slm_size",		OPT_NUM },
	{ "max-execs",		"max_execs",		OPT_NUM },
	{ "max-execs-per-file",	"max_execs_per_file",	OPT_NUM },
	{ "max-cmd-kb",		"max_cmd_kb",		OPT_NUM },
};

#define NR_CREATE_OPTS	(sizeof(create_opts) / sizeof(create_opts[0]))
/* getopt values of the table's options: OPT_BASE + table index */
#define OPT_BASE	0x100
#define OPT_SET		's'

/* "uringblk: CMD WHAT: <library message> (errno NAME)"; CLI_FAIL. */
static int fail_msg(const char *what, int err, const char *msg)
{
	const char *name = strerrorname_np(err < 0 ? -err : err);

	if (!msg || !*msg)
		return cli_fail(what, err);
	fprintf(stderr, "uringblk: %s%s%s: %s (errno %s)\n", cli_cmd_path,
		*what ? " " : "", what, msg, name ? name : "?");
	return CLI_FAIL;
}

static int create_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct option opts[NR_CREATE_OPTS + 3];
	const char **kv;
	char **owned;
	char msg[1024], auto_name[32];
	const char *name = NULL;
	unsigned int i, nkv = 0, u;
	int c, ret, index;
	__u64 num;

	for (i = 0; i < NR_CREATE_OPTS; i++)
		opts[i] = (struct option){ create_opts[i].opt,
			create_opts[i].kind == OPT_FLAG ? no_argument : required_argument,
			NULL, OPT_BASE + i };
	opts[i++] = (struct option){ "set", required_argument, NULL, OPT_SET };
	opts[i++] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[i] = (struct option){ NULL, 0, NULL, 0 };

	/* at most one entry per argument, plus the NULL */
	kv = calloc(argc + 1, sizeof(*kv));
	owned = calloc(argc + 1, sizeof(*owned));
	if (!kv || !owned) {
		free(kv);
		free(owned);
		return cli_fail("arguments", -ENOMEM);
	}
	ret = CLI_OK;
	while ((c = cli_getopt(cmd, argc, argv, "s:h", opts)) != -1) {
		const struct create_opt *o;

		if (c == 'h' || c == '?') {
			ret = c == 'h' ? CLI_OK : CLI_USAGE;
			goto out;
		}
		if (c == OPT_SET) {
			/* checked against the driver's attributes by the library */
			kv[nkv++] = optarg;
			continue;
		}
		o = &create_opts[c - OPT_BASE];
		if (o->kind == OPT_NUM && cli_parse_u64(optarg, &num)) {
			ret = cli_usage_error(cmd, "--%s '%s' is not a number",
					      o->opt, optarg);
			goto out;
		}
		if (asprintf(&owned[nkv], "%s=%s", o->key,
			     o->kind == OPT_FLAG ? "1" : optarg) < 0) {
			owned[nkv] = NULL;
			ret = cli_fail("arguments", -ENOMEM);
			goto out;
		}
		kv[nkv] = owned[nkv];
		nkv++;
	}
	if (argc - optind > 1) {
		ret = cli_usage_error(cmd, "too many arguments");
		goto out;
	}
	if (optind < argc)
		name = argv[optind];

	if (name) {
		ret = uringblk_create(name, kv, &index, msg, sizeof(msg));
	} else {
		/* Someone may take a name between our tries: take the next. */
		ret = -EEXIST;
		for (u = 0; u < AUTO_NAME_MAX && ret == -EEXIST; u++) {
			snprintf(auto_name, sizeof(auto_name), AUTO_NAME_FMT, u);
			ret = uringblk_create(auto_name, kv, &index, msg,
					      sizeof(msg));
		}
		name = auto_name;
	}
	if (ret) {
		ret = fail_msg(name, ret, msg);
		goto out;
	}
	printf("%s: /dev/%s%d /dev/%s%d\n", name, URINGBLK_BLKDEV_NAME, index,
	       URINGBLK_CHRDEV_NAME, index);
	ret = CLI_OK;
out:
	for (i = 0; i < nkv; i++)
		free(owned[i]);
	free(owned);
	free(kv);
	return ret;
}

static int remove_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL,		0,		NULL, 0 },
	};
	char msg[1024];
	int c, ret = CLI_OK;

	while ((c = cli_getopt(cmd, argc, argv, "h", opts)) != -1)
		return c == 'h' ? CLI_OK : CLI_USAGE;
	if (optind == argc)
		return cli_usage_error(cmd, "missing NAME");
	/* Each one on its own: one failure does not stop the others. */
	for (; optind < argc; optind++) {
		int err = uringblk_remove(argv[optind], msg, sizeof(msg));

		if (err)
			ret = fail_msg(argv[optind], err, msg);
	}
	return ret;
}

/* What "list" shows of a drive, from IDENTIFY or from its attributes. */
struct drive_row {
	char	name[64];
	char	dev[32];
	char	capacity[24];	/* "64 MiB", "?" */
	__u64	capacity_bytes;
	__u32	block_size;
	char	backing[16];
	bool	zoned;
	__u32	nr_zones;
	__u32	queues;		/* submission queues */
	__u32	poll_queues;
	__u32	queue_depth;
	char	queue_mode[8];	/* "mq", "bio"; unpowered: "auto" too */
	bool	known;		/* the numbers above are filled */
	const char *origin;
};

static void human_size(char *buf, size_t len, __u64 bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned int u = 0;

	while (u + 1 < sizeof(units) / sizeof(units[0]) && bytes >= 1024 &&
	       !(bytes % 1024)) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, len, "%" PRIu64 " %s", (uint64_t)bytes, units[u]);
}

static __u32 attr_u32(const struct uringblk_drive *d, const char *key)
{
	const char *v = uringblk_drive_attr(d, key);

	return v ? (__u32)strtoul(v, NULL, 0) : 0;
}

/*
 * A powered drive: IDENTIFY tells what it is.  An unpowered item, or a
 * drive we may not open (not root): what its configfs attributes say.
 */
static void fill_row(const struct uringblk_drive *d, struct drive_row *r)
{
	struct uringblk_identify id;
	struct uringblk_dev *dev;
	const char *v;

	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", d->name ? d->name : "-");
	r->origin = d->name ? "configfs" : "modparam";
	if (d->index >= 0)
		snprintf(r->dev, sizeof(r->dev), "/dev/%s%d", URINGBLK_BLKDEV_NAME,
			 d->index);
	else
		snprintf(r->dev, sizeof(r->dev), "-");
	snprintf(r->capacity, sizeof(r->capacity), "?");
	snprintf(r->backing, sizeof(r->backing), "?");

	if (d->index >= 0 && !uringblk_open_index(d->index, &dev)) {
		if (!uringblk_identify(dev, &id)) {
			r->known = true;
			r->capacity_bytes = id.capacity;
			r->block_size = id.logical_block_size;
			snprintf(r->backing, sizeof(r->backing), "%s",
				 id.backing == URINGBLK_BACKING_MEM ? "mem" :
				 id.backing == URINGBLK_BACKING_FILE ? "file" : "?");
			r->zoned = id.features & URINGBLK_F_ZONED;
			r->nr_zones = id.nr_zones;
			r->queues = id.nr_hw_queues - id.nr_poll_queues;
			r->poll_queues = id.nr_poll_queues;
			r->queue_depth = id.queue_depth;
			snprintf(r->queue_mode, sizeof(r->queue_mode), "%s",
				 id.features & URINGBLK_F_BIO ? "bio" : "mq");
		}
		uringblk_close(dev);
	}
	if (!r->known && d->name && uringblk_drive_attr(d, "capacity_mb")) {
		r->known = true;
		r->capacity_bytes = (__u64)attr_u32(d, "capacity_mb") << 20;
		r->block_size = attr_u32(d, "block_size");
		v = uringblk_drive_attr(d, "backing");
		snprintf(r->backing, sizeof(r->backing), "%s", v ? v : "?");
		r->zoned = attr_u32(d, "zoned");
		r->queues = attr_u32(d, "nr_hw_queues");
		r->poll_queues = attr_u32(d, "poll_queues");
		r->queue_depth = attr_u32(d, "queue_depth");
		v = uringblk_drive_attr(d, "queue_mode");
		snprintf(r->queue_mode, sizeof(r->queue_mode), "%s", v ? v : "mq");
	}
	if (r->known)
		human_size(r->capacity, sizeof(r->capacity), r->capacity_bytes);
}

static void print_json(const struct uringblk_drive *d, const struct drive_row *r,
		       bool first)
{
	char **a;

	printf("%s\n  {\"name\": ", first ? "" : ",");
	if (d->name)
		uringblk_fprint_json_string(stdout, d->name, strlen(d->name));
	else
		printf("null");
	printf(", \"origin\": \"%s\", \"index\": ", r->origin);
	if (d->index >= 0)
		printf("%d, \"dev\": \"/dev/%s%d\", \"chr\": \"/dev/%s%d\"", d->index,
		       URINGBLK_BLKDEV_NAME, d->index, URINGBLK_CHRDEV_NAME,
		       d->index);
	else
		printf("null, \"dev\": null, \"chr\": null");
	if (r->known)
		printf(", \"capacity\": %" PRIu64 ", \"block_size\": %u, "
		       "\"backing\": \"%s\", \"zoned\": %s, \"nr_zones\": %u, "
		       "\"nr_hw_queues\": %u, \"nr_poll_queues\": %u, "
		       "\"queue_depth\": %u, \"queue_mode\": \"%s\"",
		       (uint64_t)r->capacity_bytes, r->block_size, r->backing,
		       r->zoned ? "true" : "false", r->nr_zones, r->queues,
		       r->poll_queues, r->queue_depth, r->queue_mode);
	/* the configfs attributes as they read, whatever the driver has */
	printf(", \"attrs\": {");
	for (a = d->attrs; a && *a; a++) {
		const char *eq = strchr(*a, '=');

		printf("%s", a == d->attrs ? "" : ", ");
		uringblk_fprint_json_string(stdout, *a, eq - *a);
		printf(": ");
		uringblk_fprint_json_string(stdout, eq + 1, strlen(eq + 1));
	}
	printf("}}");
}

static int list_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL,		0,		NULL, 0 },
	};
	struct uringblk_drive *d = NULL;
	struct drive_row r;
	bool json = false;
	char msg[1024], zoned[24], queues[48];
	int c, i, nr;

	while ((c = cli_getopt(cmd, argc, argv, "jh", opts)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			return CLI_OK;
		default:
			return CLI_USAGE;
		}
	}
	if (cli_want_args(cmd, argc, 0, ""))
		return CLI_USAGE;
	nr = uringblk_list(&d, msg, sizeof(msg));
	if (nr < 0)
		return fail_msg("", nr, msg);

	if (json)
		printf("[");
	else
		printf("%-16s %-16s %10s %5s %-7s %-10s %-9s %s\n", "NAME", "DEV",
		       "CAPACITY", "BS", "BACKING", "ZONED", "QUEUES", "ORIGIN");
	for (i = 0; i < nr; i++) {
		fill_row(&d[i], &r);
		if (json) {
			print_json(&d[i], &r, !i);
			continue;
		}
		if (r.zoned && r.nr_zones)
			snprintf(zoned, sizeof(zoned), "%u zones", r.nr_zones);
		else
			snprintf(zoned, sizeof(zoned), "%s", !r.known ? "?" :
				 r.zoned ? "yes" : "no");
		if (r.known && strcmp(r.queue_mode, "mq"))
			/* a bio drive has no queues; an unpowered auto item may not */
			snprintf(queues, sizeof(queues), "%s", r.queue_mode);
		else if (r.known)
			snprintf(queues, sizeof(queues), "%u+%ux%u", r.queues,
				 r.poll_queues, r.queue_depth);
		else
			snprintf(queues, sizeof(queues), "?");
		printf("%-16s %-16s %10s %5u %-7s %-10s %-9s %s\n", r.name, r.dev,
		       r.capacity, r.block_size, r.backing, zoned, queues,
		       r.origin);
	}
	if (json)
		printf("%s]\n", nr ? "\n" : "");
	uringblk_list_free(d, nr);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_create = {
	.name		= "create",
	.args		= "[NAME] [--capacity-mb N] [--block-size N] [--zoned] "
			  "[OPTION...] [--set KEY=VALUE]...",
	.summary	= "Create a drive at runtime (configfs); print its nodes.",
	.help		=
	"NAME is the configfs item, /sys/kernel/config/uringblk/NAME (default:\n"
	"the first free of drive0, drive1, ...).  Prints \"NAME: /dev/uringblkN\n"
	"/dev/uringblkcN\".  Options not given keep the module parameters' values.\n"
	"  --capacity-mb N       capacity in MiB\n"
	"  --block-size N        logical block size: 512 or 4096\n"
	"  --queues N            submission queues\n"
	"  --queue-depth N       tags per queue\n"
	"  --poll-queues N       extra polled queues (0: none)\n"
	"  --queue-mode auto|mq|bio  blk-mq or bio-based (auto: bio unless the\n"
	"                        drive needs blk-mq; --queues, --queue-depth and\n"
	"                        --poll-queues N>0 make it blk-mq)\n"
	"  --backing mem|file    where the data lives\n"
	"  --path FILE           backing file (--backing file)\n"
	"  --zoned               host-managed zoned drive\n"
	"  --zone-size-mb N      zone size in MiB, a power of two\n"
	"  --zone-capacity-mb N  writable MiB per zone (0: the zone size)\n"
	"  --zone-conv N         conventional zones at the start\n"
	"  --zone-max-open N     open zones limit (0: none)\n"
	"  --zone-max-active N   active zones limit (0: none)\n"
	"  --slm-size BYTES      device memory (SLM), a multiple of the page\n"
	"                        size (0: none)\n"
	"  --max-execs N         EXECs in flight on the drive (1-4096)\n"
	"  --max-execs-per-file N  the same per open command-device file\n"
	"  -s, --set KEY=VALUE   any attribute the driver lists in\n"
	"                        /sys/kernel/config/uringblk/features\n"
	"The driver checks the configuration as a whole; a refusal says why\n"
	"and leaves nothing behind.  Needs root, the module and configfs.\n",
	.run		= create_run,
};

const struct cli_cmd cli_cmd_remove = {
	.name		= "remove",
	.args		= "NAME|DEV...",
	.summary	= "Remove drives made at runtime (by name, /dev/uringblkN or N).",
	.help		=
	"Open files of the drive then fail (-ENODEV for commands, I/O errors\n"
	"for block I/O); running programs stop with -ENODEV.  Drives made by\n"
	"the nr_devices module parameter go only with the module (EPERM).\n",
	.run		= remove_run,
};

const struct cli_cmd cli_cmd_list = {
	.name		= "list",
	.args		= "[--json]",
	.summary	= "List the drives: configfs items and module-parameter drives.",
	.help		=
	"QUEUES is submission+poll x depth, \"bio\" for a bio-based drive\n"
	"(\"auto\": an unpowered item that decides at power-on).  Powered\n"
	"drives are described by IDENTIFY (root), unpowered configfs items by\n"
	"their attributes.\n"
	"  -j, --json   one JSON array; each configfs item with all its attributes\n",
	.run		= list_run,
};
