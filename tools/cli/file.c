// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk file map: a file's extents on the drive and whether a program
 * can run over it; and the mapping that exec --file and execute --file
 * share (cli_file_open()).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* "uringblk: CMD: PATH: MSG (errno NAME)"; CLI_FAIL */
int cli_file_fail(const char *path, int err, const char *msg)
{
	const char *name = strerrorname_np(err < 0 ? -err : err);

	fprintf(stderr, "uringblk: %s: ", cli_cmd_path);
	if (msg && *msg)
		fprintf(stderr, "%s", msg);
	else
		fprintf(stderr, "%s: %s", path, uringblk_strerror(err));
	fprintf(stderr, " (errno %s)\n", name ? name : "?");
	return CLI_FAIL;
}

int cli_file_open(const struct cli_cmd *cmd, const char *spec,
		  const char *path, struct uringblk_dev **dev,
		  struct uringblk_file_map *map, char *msg, size_t msg_len)
{
	int ret, index;

	*dev = NULL;
	map->fd = -1;
	map->ext = NULL;
	if (!spec) {
		ret = uringblk_file_drive(path, &index, msg, msg_len);
		if (ret)
			return ret;
		ret = uringblk_open_index(index, dev);
		if (ret) {
			snprintf(msg, msg_len, "/dev/uringblkc%d: %s", index,
				 uringblk_strerror(ret));
			return ret;
		}
	} else {
		ret = cli_open(cmd, spec, dev);
		if (ret)
			return 1;	/* printed */
	}
	ret = uringblk_file_map(*dev, path, map, msg, msg_len);
	if (ret) {
		uringblk_close(*dev);
		*dev = NULL;
	}
	return ret;
}

void cli_file_test_hook(void)
{
	/*
	 * For the staleness tests (selftests/uringblk/file_offload.sh): a
	 * shell command run between the mapping and the run.
	 */
	const char *hook = getenv("URINGBLK_TEST_AFTER_MAP");

	if (hook && *hook && system(hook) != 0)
		fprintf(stderr, "uringblk: %s: URINGBLK_TEST_AFTER_MAP failed\n",
			cli_cmd_path);
}

static void print_map_text(const char *path, struct uringblk_dev *dev,
			   const struct uringblk_file_map *m)
{
	__u64 off = 0;
	unsigned int i;

	printf("%-14s%s\n", "file", path);
	printf("%-14s%s", "drive", uringblk_blk_path(dev));
	if (m->part_start)
		printf(" (partition at byte %" PRIu64 ")", (uint64_t)m->part_start);
	printf("\n%-14s%" PRIu64 " bytes\n", "size", (uint64_t)m->version.size);
	printf("%-14sino %" PRIu64, "version", (uint64_t)m->version.ino);
	if (m->version.has_generation)
		printf(" generation %u", m->version.generation);
	printf(" mtime %" PRId64 ".%09" PRId64 " ctime %" PRId64 ".%09" PRId64 "\n",
	       (int64_t)(m->version.mtime_ns / 1000000000),
	       (int64_t)(m->version.mtime_ns % 1000000000),
	       (int64_t)(m->version.ctime_ns / 1000000000),
	       (int64_t)(m->version.ctime_ns % 1000000000));
	printf("%-14s%u\n", "extents", m->nr);
	if (m->nr)
		printf("  %5s  %14s  %14s  %14s  %s\n", "#", "file offset",
		       "lba", "length", "flags");
	for (i = 0; i < m->nr; i++) {
		const struct uringblk_extent *e = &m->ext[i];

		if (e->flags & URINGBLK_EXTENT_F_ZERO)
			printf("  %5u  %14" PRIu64 "  %14s  %14" PRIu64 "  zero\n",
			       i, (uint64_t)off, "-", (uint64_t)e->len);
		else
			printf("  %5u  %14" PRIu64 "  %14" PRIu64 "  %14" PRIu64
			       "  data\n", i, (uint64_t)off, (uint64_t)e->lba,
			       (uint64_t)e->len);
		off += e->len;
	}
	if (m->nr)
		printf("%-14syes\n", "offloadable");
	else
		printf("%-14sno: the file is empty\n", "offloadable");
}

static void print_map_json(const char *path, struct uringblk_dev *dev,
			   const struct uringblk_file_map *m)
{
	__u64 off = 0;
	unsigned int i;

	printf("{\"file\": ");
	uringblk_fprint_json_string(stdout, path, strlen(path));
	printf(", \"drive\": \"%s\", \"partition_start\": %" PRIu64
	       ", \"size\": %" PRIu64 ", \"ino\": %" PRIu64 ", \"generation\": ",
	       uringblk_blk_path(dev), (uint64_t)m->part_start,
	       (uint64_t)m->version.size, (uint64_t)m->version.ino);
	if (m->version.has_generation)
		printf("%u", m->version.generation);
	else
		printf("null");
	printf(", \"mtime_ns\": %" PRId64 ", \"ctime_ns\": %" PRId64 ",\n"
	       " \"offloadable\": %s, \"reason\": %s,\n \"extents\": [",
	       (int64_t)m->version.mtime_ns, (int64_t)m->version.ctime_ns,
	       m->nr ? "true" : "false",
	       m->nr ? "null" : "\"the file is empty\"");
	for (i = 0; i < m->nr; i++) {
		const struct uringblk_extent *e = &m->ext[i];
		bool zero = e->flags & URINGBLK_EXTENT_F_ZERO;

		printf("%s\n  {\"file_offset\": %" PRIu64 ", \"lba\": ",
		       i ? "," : "", (uint64_t)off);
		if (zero)
			printf("null");
		else
			printf("%" PRIu64, (uint64_t)e->lba);
		printf(", \"len\": %" PRIu64 ", \"flags\": \"%s\"}",
		       (uint64_t)e->len, zero ? "zero" : "data");
		off += e->len;
	}
	printf("]}\n");
}

static int map_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dev",	required_argument,	NULL, 'd' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 },
	};
	struct uringblk_file_map map;
	struct uringblk_dev *dev;
	const char *spec = NULL, *path;
	char msg[512] = "";
	bool json = false;
	int c, ret;

	while ((c = cli_getopt(cmd, argc, argv, "d:jh", opts)) != -1) {
		switch (c) {
		case 'd':
			spec = optarg;
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
	ret = cli_want_args(cmd, argc, 1, "PATH");
	if (ret)
		return ret;
	path = argv[optind];
	if (spec && cli_check_dev(cmd, spec))
		return CLI_USAGE;

	ret = cli_file_open(cmd, spec, path, &dev, &map, msg, sizeof(msg));
	if (ret == 1)
		return CLI_FAIL;
	if (ret) {
		const char *en = strerrorname_np(-ret);

		if (json) {
			printf("{\"file\": ");
			uringblk_fprint_json_string(stdout, path, strlen(path));
			printf(", \"offloadable\": false, \"errno\": \"%s\", "
			       "\"reason\": ", en ? en : "?");
			uringblk_fprint_json_string(stdout, msg, strlen(msg));
			printf("}\n");
		} else {
			printf("%-14s%s\n", "file", path);
			printf("%-14sno: %s (errno %s)\n", "offloadable",
			       *msg ? msg : uringblk_strerror(ret),
			       en ? en : "?");
		}
		uringblk_file_unmap(&map);
		return CLI_FAIL;
	}
	if (json)
		print_map_json(path, dev, &map);
	else
		print_map_text(path, dev, &map);
	ret = map.nr ? CLI_OK : CLI_FAIL;
	uringblk_file_unmap(&map);
	uringblk_close(dev);
	return ret;
}

static const struct cli_cmd file_map = {
	.name		= "map",
	.args		= "PATH [--dev DEV] [--json]",
	.summary	= "Show a file's extents on its uringblk drive and whether "
			  "a program can run over it.",
	.help		=
	"  -d, --dev DEV   the drive (default: the one holding PATH's filesystem)\n"
	"  -j, --json      one JSON object\n"
	"Extents in file order: file offset, LBA on the drive, length in bytes,\n"
	"and 'zero' for holes and unwritten extents (read as zeroes).  Prints\n"
	"'offloadable: yes', or 'no:' and the reason (exit status 1): not a\n"
	"regular file (a FIFO is refused, not opened), a file off the drive\n"
	"(tmpfs, another disk), with delayed allocation, inline, encoded or\n"
	"encrypted data, on the XFS realtime device, on f2fs over several\n"
	"devices, on a filesystem not confirmed (URINGBLK_FILE_UNCONFIRMED=1\n"
	"tries it), journaled ext4 data without CAP_SYS_ADMIN, a mapping the\n"
	"verification finds wrong (URINGBLK_FILE_VERIFY=0 skips it), or empty.\n",
	.run		= map_run,
};

static const struct cli_cmd *const file_cmds[] = {
	&file_map,
	NULL,
};

const struct cli_cmd cli_cmd_file = {
	.name		= "file",
	.args		= "SUBCOMMAND ...",
	.summary	= "Files on a filesystem on the drive: their extents.",
	.subcmds	= file_cmds,
};
