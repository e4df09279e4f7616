// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk prog load|list|unload: the drive's program store.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

/* Log lines from the loader or the validator, indented under the error. */
static void print_log(const char *who, const char *log)
{
	const char *p = log, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		fprintf(stderr, "  %s: %.*s\n", who,
			(int)(nl ? (size_t)(nl - p) : strlen(p)), p);
		if (!nl)
			break;
		p = nl + 1;
	}
}

static int load_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name",		required_argument,	NULL, 'n' },
		{ "section-prog",	required_argument,	NULL, 'p' },
		{ "json",		no_argument,		NULL, 'j' },
		{ "quiet",		no_argument,		NULL, 'q' },
		{ "help",		no_argument,		NULL, 'h' },
		{ NULL,			0,			NULL, 0 },
	};
	char fname[URINGBLK_PROG_NAME_LEN + 1], log[4096];
	const char *name = NULL, *pick = NULL, *spec, *obj;
	bool json = false, quiet = false;
	struct uringblk_prog_obj po;
	struct uringblk_dev *dev;
	unsigned int cnt;
	int c, ret;

	while ((c = cli_getopt(cmd, argc, argv, "n:p:jqh", opts)) != -1) {
		switch (c) {
		case 'n':
			name = optarg;
			break;
		case 'p':
			pick = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			return CLI_OK;
		default:
			return CLI_USAGE;
		}
	}
	ret = cli_want_args(cmd, argc, 2, "DEV or OBJ");
	if (ret)
		return ret;
	spec = argv[optind];
	obj = argv[optind + 1];
	if (name && strlen(name) > URINGBLK_PROG_NAME_LEN)
		return cli_usage_error(cmd, "--name is longer than %d bytes",
				       URINGBLK_PROG_NAME_LEN);

	ret = cli_check_dev(cmd, spec);
	if (ret)
		return ret;
	/* the object first: its mistakes need no device */
	/* with its global data, if any (PROG_LOAD F_IMAGE then) */
	ret = uringblk_prog_read_obj(obj, pick, &po, log, sizeof(log));
	if (ret) {
		const char *en = strerrorname_np(-ret);

		/* a file, not the drive: libc's words, then the reason */
		fprintf(stderr, "uringblk: %s %s: cannot load: %s (errno %s)\n",
			cli_cmd_path, obj, strerror(-ret), en ? en : "?");
		print_log("loader", log);
		return CLI_FAIL;
	}
	cnt = po.insn_cnt;
	memcpy(fname, po.name, sizeof(fname));
	if (name)
		snprintf(po.name, sizeof(po.name), "%s", name);
	ret = cli_open(cmd, spec, &dev);
	if (ret)
		goto out_free;
	ret = uringblk_prog_load_obj(dev, &po, log, sizeof(log));
	if (ret < 0) {
		if (log[0]) {
			const char *en = strerrorname_np(-ret);

			fprintf(stderr, "uringblk: %s %s: the drive refused the "
				"program (errno %s)\n", cli_cmd_path, spec,
				en ? en : "?");
			print_log("validator", log);
		} else {
			cli_fail(spec, ret);
		}
		ret = CLI_FAIL;
		goto out_close;
	}
	if (json) {
		printf("{\"id\": %d, \"name\": ", ret);
		uringblk_fprint_json_string(stdout, name ? name : fname,
					    URINGBLK_PROG_NAME_LEN);
		printf(", \"insn_cnt\": %u, \"object\": ", cnt);
		uringblk_fprint_json_string(stdout, obj, strlen(obj));
		printf("}\n");
	} else if (quiet) {
		printf("%d\n", ret);
	} else {
		printf("loaded %s:%s as program %d (%s, %u insns)\n", obj, fname,
		       ret, name ? name : fname, cnt);
	}
	ret = CLI_OK;
out_close:
	uringblk_close(dev);
out_free:
	uringblk_prog_obj_free(&po);
	return ret;
}

static int list_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL,		0,		NULL, 0 },
	};
	struct uringblk_prog_info info[URINGBLK_MAX_PROGS];
	struct uringblk_dev *dev;
	const char *spec;
	bool json = false;
	int c, i, n, ret;

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
	ret = cli_want_args(cmd, argc, 1, "DEV");
	if (ret)
		return ret;
	spec = argv[optind];
	ret = cli_open(cmd, spec, &dev);
	if (ret)
		return ret;
	n = uringblk_prog_list(dev, info, URINGBLK_MAX_PROGS);
	uringblk_close(dev);
	if (n < 0)
		return cli_fail(spec, n);

	if (json) {
		printf("[");
		for (i = 0; i < n; i++) {
			printf("%s\n  {\"id\": %u, \"name\": ", i ? "," : "",
			       info[i].id);
			uringblk_fprint_json_string(stdout, info[i].name,
						    sizeof(info[i].name));
			printf(", \"insn_cnt\": %u, \"runs\": %" PRIu64 "}",
			       info[i].insn_cnt, (uint64_t)info[i].runs);
		}
		printf("%s]\n", n ? "\n" : "");
		return CLI_OK;
	}
	if (!n) {
		printf("no programs loaded\n");
		return CLI_OK;
	}
	printf("%5s  %-32s  %6s  %s\n", "ID", "NAME", "INSNS", "RUNS");
	for (i = 0; i < n; i++)
		printf("%5u  %-32.*s  %6u  %" PRIu64 "\n", info[i].id,
		       (int)sizeof(info[i].name), info[i].name,
		       info[i].insn_cnt, (uint64_t)info[i].runs);
	return CLI_OK;
}

static int unload_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL,		0,		NULL, 0 },
	};
	struct uringblk_dev *dev;
	const char *spec;
	__u64 id;
	int c, ret;

	while ((c = cli_getopt(cmd, argc, argv, "h", opts)) != -1) {
		if (c == 'h')
			return CLI_OK;
		return CLI_USAGE;
	}
	ret = cli_want_args(cmd, argc, 2, "DEV or ID");
	if (ret)
		return ret;
	spec = argv[optind];
	if (cli_parse_u64(argv[optind + 1], &id) || !id || id > UINT32_MAX)
		return cli_usage_error(cmd, "'%s' is not a program id",
				       argv[optind + 1]);
	ret = cli_open(cmd, spec, &dev);
	if (ret)
		return ret;
	ret = uringblk_prog_unload(dev, (__u32)id);
	uringblk_close(dev);
	return ret ? cli_fail(spec, ret) : CLI_OK;
}

static const struct cli_cmd prog_load = {
	.name		= "load",
	.args		= "DEV OBJ [--name N] [--section-prog P] [--json|--quiet]",
	.summary	= "Load a program from a clang-built BPF object; prints its id.",
	.help		=
	"  -n, --name N           name to store (default: the function's name),\n"
	"                         at most 32 bytes\n"
	"  -p, --section-prog P   the function to load, when OBJ has several in\n"
	"                         SEC(\"uringblk\")\n"
	"  -j, --json             print {\"id\", \"name\", \"insn_cnt\", \"object\"}\n"
	"  -q, --quiet            print only the id\n"
	"The functions the program calls are linked in; maps, global data,\n"
	"kfuncs and the like are refused with the reason.  Validator messages\n"
	"of the drive are printed on failure.  Needs CAP_SYS_ADMIN.\n",
	.run		= load_run,
};

static const struct cli_cmd prog_list = {
	.name		= "list",
	.args		= "DEV [--json]",
	.summary	= "List the loaded programs: id, name, instructions, runs.",
	.help		= "  -j, --json   print a JSON array\n",
	.run		= list_run,
};

static const struct cli_cmd prog_unload = {
	.name		= "unload",
	.args		= "DEV ID",
	.summary	= "Unload a program (runs in progress finish).",
	.run		= unload_run,
};

static const struct cli_cmd *const prog_cmds[] = {
	&prog_load,
	&prog_list,
	&prog_unload,
	NULL,
};

const struct cli_cmd cli_cmd_prog = {
	.name		= "prog",
	.args		= "load|list|unload ...",
	.summary	= "Manage the programs stored in the drive.",
	.subcmds	= prog_cmds,
};
