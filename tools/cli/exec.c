// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk exec: run a loaded program over an LBA range, and uringblk
 * execute: run an active program over a memory range set; show what it
 * returned: r0, how the run ended, its costs and its output.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "../../bpf/count_pattern.h"

#define EXEC_OUT_DEFAULT	4096
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

enum out_fmt {
	OUT_HEX,	/* hexdump -C style */
	OUT_U64S,	/* one little-endian u64 per line */
	OUT_OFFSETS,	/* u64 byte offsets from the range start, with LBAs */
};

static void hexdump(FILE *f, const unsigned char *p, size_t len, size_t base)
{
	size_t i, j;

	for (i = 0; i < len; i += 16) {
		fprintf(f, "%08zx ", base + i);
		for (j = 0; j < 16; j++) {
			if (j == 8)
				fputc(' ', f);
			if (i + j < len)
				fprintf(f, " %02x", p[i + j]);
			else
				fputs("   ", f);
		}
		fputs("  |", f);
		for (j = 0; j < 16 && i + j < len; j++)
			fputc(p[i + j] >= 0x20 && p[i + j] < 0x7f ? p[i + j] : '.',
			      f);
		fputs("|\n", f);
	}
}

static __u64 get_u64(const unsigned char *p)
{
	__u64 v;

	memcpy(&v, p, sizeof(v));
	return v;	/* the drive's byte order: the host's */
}

static void print_output_text(const unsigned char *out, size_t len,
			      enum out_fmt fmt, const struct uringblk_exec_args *a,
			      __u32 bs)
{
	size_t n = fmt == OUT_HEX ? 0 : len / 8, i;

	for (i = 0; i < n; i++) {
		__u64 v = get_u64(out + 8 * i);

		if (fmt == OUT_U64S)
			printf("%6zu  %" PRIu64 "\n", i, (uint64_t)v);
		else if (!a)	/* over a file: offsets in the file */
			printf("%6zu  offset %" PRIu64 "\n", i, (uint64_t)v);
		else
			printf("%6zu  offset %" PRIu64 "  (lba %" PRIu64 " + %" PRIu64 ")\n",
			       i, (uint64_t)v, (uint64_t)(a->lba_start + v / bs),
			       (uint64_t)(v % bs));
	}
	/* what does not make a whole u64 is shown as bytes */
	if (len > 8 * n)
		hexdump(stdout, out + 8 * n, len - 8 * n, 8 * n);
}

/* enum uringblk_prog_abort, in the words of <linux/uringblk.h> */
static const char *const abort_why[] = {
	[URINGBLK_PROG_OK]		= "completed",
	[URINGBLK_PROG_ABORT_BUDGET]	= "instruction budget used up",
	[URINGBLK_PROG_ABORT_MEM]	= "load/store/helper pointer outside the "
					  "regions, or store to ctx",
	[URINGBLK_PROG_ABORT_RANGE]	= "helper offset/length outside the "
					  "granted range",
	[URINGBLK_PROG_ABORT_ARG]	= "bad helper scalar argument",
	[URINGBLK_PROG_ABORT_DEPTH]	= "more than URINGBLK_PROG_MAX_DEPTH frames",
	[URINGBLK_PROG_ABORT_IO]	= "device read error",
	[URINGBLK_PROG_ABORT_STOPPED]	= "stopped by the drive (signal, removal)",
};

/* The lines an EXEC and an EXECUTE reply share, after what ran where. */
static void print_run_text(const struct uringblk_exec_result *res, int ret)
{
	const char *abort_name = uringblk_prog_abort_name(res->abort_code);

	printf("%-14s%" PRIu64 " (0x%" PRIx64 ")\n", "r0", (uint64_t)res->r0,
	       (uint64_t)res->r0);
	if (!ret) {
		printf("%-14scompleted\n", "status");
	} else {
		const char *en = strerrorname_np(-ret);
		const char *why = res->abort_code < ARRAY_SIZE(abort_why) ?
				  abort_why[res->abort_code] : "unknown reason";

		printf("%-14sstopped at insn %u: abort %s (%s), errno %s\n",
		       "status", res->abort_pc, abort_name ? abort_name : "?",
		       why, en ? en : "?");
	}
	printf("%-14s%" PRIu64 "\n", "insns", (uint64_t)res->insns);
	printf("%-14s%" PRIu64 "\n", "bytes_scanned",
	       (uint64_t)res->bytes_scanned);
	printf("%-14s%" PRIu64 "\n", "output", (uint64_t)res->out_len);
}

static void print_result_text(const struct uringblk_exec_args *a,
			      const struct uringblk_exec_result *res, __u32 bs,
			      int ret, const char *file,
			      const struct uringblk_file_map *map)
{
	printf("%-14s%u\n", "program", a->prog_id);
	if (file)
		printf("%-14s%s (%" PRIu64 " bytes, %u extents)\n", "file",
		       file, (uint64_t)map->version.size, map->nr);
	else
		printf("%-14slba %" PRIu64 " + %" PRIu64 " (%" PRIu64 " bytes)\n",
		       "range", (uint64_t)a->lba_start, (uint64_t)a->lba_count,
		       (uint64_t)(a->lba_count * bs));
	print_run_text(res, ret);
}

/* The JSON members an EXEC and an EXECUTE reply share, and the closing brace. */
static void print_run_json(const struct uringblk_exec_result *res, int ret,
			   const unsigned char *out, enum out_fmt fmt)
{
	const char *abort_name = uringblk_prog_abort_name(res->abort_code);
	const char *en = ret ? strerrorname_np(-ret) : NULL;
	size_t i, n = res->out_len / 8;

	printf(" \"completed\": %s, \"r0\": %" PRIu64 ", \"error\": %d, "
	       "\"errno\": ", ret ? "false" : "true", (uint64_t)res->r0, ret);
	if (en)
		printf("\"%s\"", en);
	else
		printf("null");
	printf(", \"abort\": ");
	if (abort_name)
		printf("\"%s\"", abort_name);
	else
		printf("%u", res->abort_code);
	printf(", \"abort_pc\": %u,\n \"insns\": %" PRIu64 ", \"bytes_scanned\": %"
	       PRIu64 ", \"out_len\": %" PRIu64 ",\n", res->abort_pc,
	       (uint64_t)res->insns, (uint64_t)res->bytes_scanned,
	       (uint64_t)res->out_len);
	if (fmt == OUT_HEX) {
		printf(" \"output_hex\": \"");
		for (i = 0; i < res->out_len; i++)
			printf("%02x", out[i]);
		printf("\"}\n");
		return;
	}
	printf(" \"%s\": [", fmt == OUT_U64S ? "output_u64" : "output_offsets");
	for (i = 0; i < n; i++)
		printf("%s%" PRIu64, i ? ", " : "", (uint64_t)get_u64(out + 8 * i));
	printf("]");
	if (res->out_len > 8 * n) {
		printf(", \"output_tail_hex\": \"");
		for (i = 8 * n; i < res->out_len; i++)
			printf("%02x", out[i]);
		printf("\"");
	}
	printf("}\n");
}

static void print_result_json(const struct uringblk_exec_args *a,
			      const struct uringblk_exec_result *res, __u32 bs,
			      int ret, const unsigned char *out, enum out_fmt fmt,
			      const char *file,
			      const struct uringblk_file_map *map)
{
	if (file) {
		printf("{\"prog_id\": %u, \"file\": ", a->prog_id);
		uringblk_fprint_json_string(stdout, file, strlen(file));
		printf(", \"bytes\": %" PRIu64 ", \"extents\": %u,\n",
		       (uint64_t)map->version.size, map->nr);
	} else {
		printf("{\"prog_id\": %u, \"lba_start\": %" PRIu64
		       ", \"lba_count\": %" PRIu64 ", \"bytes\": %" PRIu64 ",\n",
		       a->prog_id, (uint64_t)a->lba_start,
		       (uint64_t)a->lba_count, (uint64_t)(a->lba_count * bs));
	}
	print_run_json(res, ret, out, fmt);
}

static int exec_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lba",	required_argument,	NULL, 'l' },
		{ "count",	required_argument,	NULL, 'c' },
		{ "budget",	required_argument,	NULL, 'b' },
		{ "arg",	required_argument,	NULL, 'a' },
		{ "out-size",	required_argument,	NULL, 'o' },
		{ "pattern",	required_argument,	NULL, 'p' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "hexdump",	no_argument,		NULL, 'x' },
		{ "u64s",	no_argument,		NULL, 'u' },
		{ "offsets",	no_argument,		NULL, 'O' },
		{ "zone-wp",	no_argument,		NULL, 'z' },
		{ "split",	required_argument,	NULL, 'S' },
		{ "file",	required_argument,	NULL, 'f' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 },
	};
	struct uringblk_file_map map = { .fd = -1 };
	const char *file = NULL;
	char msg[512] = "";
	struct uringblk_exec_args a = { 0 };
	bool split = false;
	__u64 pieces = 0;
	struct cli_progress pg;
	struct uringblk_exec_result res;
	struct uringblk_identify id;
	bool have_lba = false, have_count = false, json = false;
	const char *spec, *pattern = NULL;
	__u64 out_size = EXEC_OUT_DEFAULT, v;
	enum out_fmt fmt = OUT_HEX;
	unsigned int nargs = 0, nfmt = 0;
	struct uringblk_dev *dev;
	unsigned char *out = NULL;
	int c, ret;

	while ((c = cli_getopt(cmd, argc, argv, "l:c:b:a:o:p:jxuOzS:f:h", opts)) != -1) {
		switch (c) {
		case 'f':
			file = optarg;
			break;
		case 'l':
			if (cli_parse_u64(optarg, &a.lba_start))
				return cli_usage_error(cmd, "--lba '%s' is not a block number", optarg);
			have_lba = true;
			break;
		case 'c':
			if (cli_parse_u64(optarg, &a.lba_count) || !a.lba_count)
				return cli_usage_error(cmd, "--count '%s' is not a positive block count", optarg);
			have_count = true;
			break;
		case 'b':
			if (cli_parse_u64(optarg, &a.budget))
				return cli_usage_error(cmd, "--budget '%s' is not a number", optarg);
			break;
		case 'a':
			if (nargs == 3)
				return cli_usage_error(cmd, "at most 3 --arg (ctx->args[0..2])");
			if (cli_parse_u64(optarg, &v))
				return cli_usage_error(cmd, "--arg '%s' is not an unsigned number", optarg);
			a.args[nargs++] = v;
			break;
		case 'o':
			if (cli_parse_size(optarg, &out_size) ||
			    out_size > URINGBLK_MAX_EXEC_OUT)
				return cli_usage_error(cmd, "--out-size '%s' is not a size up to %u bytes",
						       optarg, URINGBLK_MAX_EXEC_OUT);
			break;
		case 'p':
			pattern = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'x':
			fmt = OUT_HEX;
			nfmt++;
			break;
		case 'u':
			fmt = OUT_U64S;
			nfmt++;
			break;
		case 'O':
			fmt = OUT_OFFSETS;
			nfmt++;
			break;
		case 'z':
			a.flags |= URINGBLK_EXEC_F_ZONE_WP;
			break;
		case 'S':
			if (cli_parse_u64(optarg, &pieces) || pieces > URINGBLK_SPLIT_MAX)
				return cli_usage_error(cmd, "--split '%s' is not 0..%d pieces",
						       optarg, URINGBLK_SPLIT_MAX);
			split = true;
			break;
		case 'h':
			return CLI_OK;
		default:
			return CLI_USAGE;
		}
	}
	ret = cli_want_args(cmd, argc, 2, "DEV or ID");
	if (ret)
		return ret;
	spec = argv[optind];
	if (cli_parse_u64(argv[optind + 1], &v) || !v || v > UINT32_MAX)
		return cli_usage_error(cmd, "'%s' is not a program id",
				       argv[optind + 1]);
	a.prog_id = (__u32)v;
	if (file && (have_lba || have_count))
		return cli_usage_error(cmd, "--file replaces --lba and --count: "
				       "give one or the other");
	if (file && (a.flags & URINGBLK_EXEC_F_ZONE_WP))
		return cli_usage_error(cmd, "--zone-wp does not apply to --file");
	if (!file && (!have_lba || !have_count))
		return cli_usage_error(cmd, "--lba and --count (or --file) are required");
	if (nfmt > 1)
		return cli_usage_error(cmd, "--hexdump, --u64s and --offsets "
				       "exclude each other");
	if (split && file)
		return cli_usage_error(cmd, "--split does not apply to --file (yet): "
				       "a file's extents are one EXEC");
	if (split && (a.flags & URINGBLK_EXEC_F_ZONE_WP))
		return cli_usage_error(cmd, "--split and --zone-wp exclude each other");
	if (pattern) {
		if (nargs)
			return cli_usage_error(cmd, "--pattern sets args[0..2]: "
					       "no --arg with it");
		if (count_pattern_args(a.args, pattern, strlen(pattern)))
			return cli_usage_error(cmd, "--pattern must be 1..%d bytes",
					       COUNT_PATTERN_MAX);
	}

	if (file) {
		if (cli_check_dev(cmd, spec))
			return CLI_USAGE;
		ret = cli_file_open(cmd, spec, file, &dev, &map, msg, sizeof(msg));
		if (ret == 1)
			return CLI_FAIL;
		if (ret) {
			uringblk_file_unmap(&map);
			return cli_file_fail(file, ret, msg);
		}
	} else {
		ret = cli_open(cmd, spec, &dev);
		if (ret)
			return ret;
	}
	/* the block size, for byte counts and --offsets */
	ret = uringblk_identify(dev, &id);
	if (ret) {
		ret = cli_fail(spec, ret);
		goto out;
	}
	if (!(id.features & URINGBLK_F_COMPUTE)) {
		ret = cli_fail(spec, -EOPNOTSUPP);
		fprintf(stderr, "  the drive does not announce URINGBLK_F_COMPUTE\n");
		goto out;
	}
	if (a.budget > id.max_insn_budget) {
		fprintf(stderr, "uringblk: %s: --budget %" PRIu64 " is above the "
			"drive's maximum %" PRIu64 "\n", cli_cmd_path,
			(uint64_t)a.budget, (uint64_t)id.max_insn_budget);
		ret = CLI_USAGE;
		goto out;
	}
	if (out_size) {
		out = malloc(out_size);
		if (!out) {
			ret = cli_fail(spec, -ENOMEM);
			goto out;
		}
	}

	if (file) {
		cli_file_test_hook();
		cli_progress_call(&pg, "in the drive", map.version.size);
		ret = uringblk_file_exec(dev, &map, &a, &res, out, out_size,
					 msg, sizeof(msg));
		cli_progress_end(&pg);
		/* refused, or ran over blocks that are no longer the file's */
		if (ret == -ESTALE || (ret && res.abort_code == URINGBLK_PROG_OK &&
				       !res.error)) {
			ret = cli_file_fail(file, ret, msg);
			goto out;
		}
	} else {
		cli_progress_call(&pg, "in the drive",
				  a.lba_count * id.logical_block_size);
		if (!split) {
			ret = uringblk_exec(dev, &a, &res, out, out_size);
			cli_progress_end(&pg);
		} else {
			memset(&res, 0, sizeof(res));
			ret = uringblk_exec_split(dev, &a, (unsigned int)pieces, &res, out,
						  out_size);
			cli_progress_end(&pg);
			if (ret == -EOPNOTSUPP) {
				fprintf(stderr, "uringblk: %s: program %u declares no combine "
					"rule (URINGBLK_COMBINE() in its source), so it cannot "
					"be split; run it without --split (errno EOPNOTSUPP)\n",
					cli_cmd_path, a.prog_id);
				ret = CLI_FAIL;
				goto out;
			}
			if (ret == -ENOSPC) {
				fprintf(stderr, "uringblk: %s: program %u combines more output "
					"than --out-size %" PRIu64 " (errno ENOSPC)\n",
					cli_cmd_path, a.prog_id, (uint64_t)out_size);
				ret = CLI_FAIL;
				goto out;
			}
		}
		/* refused before running: no result to show */
		if (ret && res.abort_code == URINGBLK_PROG_OK && !res.error) {
			ret = cli_fail_dev(dev, spec, ret);
			goto out;
		}
	}
	if (json) {
		print_result_json(&a, &res, id.logical_block_size, ret, out, fmt,
				  file, &map);
	} else {
		print_result_text(&a, &res, id.logical_block_size, ret, file,
				  &map);
		if (res.out_len)
			print_output_text(out, res.out_len, fmt, file ? NULL : &a,
					  id.logical_block_size);
	}
	ret = ret ? CLI_FAIL : CLI_OK;
out:
	free(out);
	uringblk_file_unmap(&map);
	uringblk_close(dev);
	return ret;
}

const struct cli_cmd cli_cmd_exec = {
	.name		= "exec",
	.args		= "DEV ID --lba START --count N|--file PATH [--budget B] [--arg V]... "
			  "[--pattern STR] [--out-size BYTES] [--json] "
			  "[--hexdump|--u64s|--offsets] [--zone-wp] [--split N]",
	.summary	= "Run program ID over blocks [START, START + N) in the drive, "
			  "or over a file on it.",
	.help		=
	"  -l, --lba START        first logical block of the range\n"
	"  -c, --count N          number of logical blocks (> 0)\n"
	"  -f, --file PATH        instead of --lba/--count: a file on a filesystem\n"
	"                         on the drive, seen as one stream of its bytes\n"
	"                         (holes as zeroes, up to its size); refused with\n"
	"                         the reason if it cannot be (see 'file map'), and\n"
	"                         ESTALE if it changed while the program ran\n"
	"  -z, --zone-wp          zoned drive: the range lies in one zone and\n"
	"                         the program sees only its written part, up to\n"
	"                         the write pointer\n"
	"  -b, --budget B         instruction budget (default: the drive's;\n"
	"                         see 'uringblk info' for the maximum)\n"
	"  -a, --arg V            ctx->args[0], then [1], then [2]; decimal or 0x\n"
	"  -p, --pattern STR      search pattern for count_pattern/grep: STR's\n"
	"                         bytes (1..16, taken literally) in args[0..1],\n"
	"                         its length in args[2]\n"
	"  -o, --out-size BYTES   output capacity offered to the program (K/M\n"
	"                         suffixes; default 4096, at most 1M)\n"
	"  -j, --json             one JSON object (output as hex or u64 array)\n"
	"  -x, --hexdump          output as a hex dump (the default)\n"
	"  -u, --u64s             output as little-endian u64 values\n"
	"  -O, --offsets          output as u64 byte offsets from the range start,\n"
	"                         with their LBA (grep.bpf.o); in the file, with\n"
	"                         --file\n"
	"  -S, --split N          run the scan as N concurrent EXECs over pieces\n"
	"                         of the range and combine their results (0: the\n"
	"                         drive's compute units, else the CPUs); only for\n"
	"                         programs that declare how their results combine\n"
	"                         (URINGBLK_COMBINE()); insns and bytes_scanned\n"
	"                         are then the sums over all EXECs\n"
	"Prints r0, how the run ended (an abort by name, with the insn), the\n"
	"budget units used, the bytes the program scanned and its output.\n"
	"Exit status 1 if the run stopped early or the drive refused it.\n",
	.run		= exec_run,
};

/* execute: the run's head, then the same lines as exec's */
static void print_execute_text(const struct uringblk_execute_args *a,
			       const struct uringblk_exec_result *res, int ret,
			       const char *file,
			       const struct uringblk_file_map *map, __u64 slm_off)
{
	printf("%-14s%u\n", "pind", a->pind);
	if (file)
		printf("%-14s%s (%" PRIu64 " bytes, %u extents) copied to SLM "
		       "at %" PRIu64 "\n", "file", file,
		       (uint64_t)map->version.size, map->nr, (uint64_t)slm_off);
	else
		printf("%-14s%u\n", "range set", a->rsid);
	print_run_text(res, ret);
}

static void print_execute_json(const struct uringblk_execute_args *a,
			       const struct uringblk_exec_result *res, int ret,
			       const unsigned char *out, enum out_fmt fmt,
			       const char *file,
			       const struct uringblk_file_map *map, __u64 slm_off)
{
	if (file) {
		printf("{\"pind\": %u, \"file\": ", a->pind);
		uringblk_fprint_json_string(stdout, file, strlen(file));
		printf(", \"bytes\": %" PRIu64 ", \"extents\": %u, \"slm_off\": %"
		       PRIu64 ",\n", (uint64_t)map->version.size, map->nr,
		       (uint64_t)slm_off);
	} else {
		printf("{\"pind\": %u, \"rsid\": %u,\n", a->pind, a->rsid);
	}
	print_run_json(res, ret, out, fmt);
}

static int execute_run(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cparam1",	required_argument,	NULL, '1' },
		{ "cparam2",	required_argument,	NULL, '2' },
		{ "arg2",	required_argument,	NULL, '3' },
		{ "budget",	required_argument,	NULL, 'b' },
		{ "out-size",	required_argument,	NULL, 'o' },
		{ "pattern",	required_argument,	NULL, 'p' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "hexdump",	no_argument,		NULL, 'x' },
		{ "u64s",	no_argument,		NULL, 'u' },
		{ "file",	required_argument,	NULL, 'f' },
		{ "slm-off",	required_argument,	NULL, 's' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 },
	};
	struct uringblk_file_map map = { .fd = -1 };
	const char *file = NULL;
	char msg[512] = "";
	__u64 slm_off = 0;
	bool have_slm_off = false;
	struct uringblk_execute_args a = { 0 };
	struct uringblk_exec_result res;
	const char *spec, *pattern = NULL;
	__u64 out_size = EXEC_OUT_DEFAULT, v;
	enum out_fmt fmt = OUT_HEX;
	unsigned int nfmt = 0;
	bool json = false, have_args = false;
	struct cli_progress pg;
	struct uringblk_dev *dev;
	unsigned char *out = NULL;
	int c, ret;

	while ((c = cli_getopt(cmd, argc, argv, "1:2:3:b:o:p:jxuf:s:h", opts)) != -1) {
		switch (c) {
		case 'f':
			file = optarg;
			break;
		case 's':
			if (cli_parse_size(optarg, &slm_off))
				return cli_usage_error(cmd, "--slm-off '%s' is not a size",
						       optarg);
			have_slm_off = true;
			break;
		case '1':
		case '2':
		case '3':
			if (cli_parse_u64(optarg, &v))
				return cli_usage_error(cmd, "--%s '%s' is not an unsigned number",
						       c == '3' ? "arg2" : c == '1' ?
						       "cparam1" : "cparam2", optarg);
			if (c == '3')
				a.arg2 = v;
			else
				a.cparam[c - '1'] = v;
			have_args = true;
			break;
		case 'b':
			if (cli_parse_u64(optarg, &a.budget))
				return cli_usage_error(cmd, "--budget '%s' is not a number", optarg);
			break;
		case 'o':
			if (cli_parse_size(optarg, &out_size) ||
			    out_size > URINGBLK_MAX_EXEC_OUT)
				return cli_usage_error(cmd, "--out-size '%s' is not a size up to %u bytes",
						       optarg, URINGBLK_MAX_EXEC_OUT);
			break;
		case 'p':
			pattern = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'x':
			fmt = OUT_HEX;
			nfmt++;
			break;
		case 'u':
			fmt = OUT_U64S;
			nfmt++;
			break;
		case 'h':
			return CLI_OK;
		default:
			return CLI_USAGE;
		}
	}
	if (file && argc - optind == 3)
		return cli_usage_error(cmd, "--file makes its own range set: "
				       "no RSID with it");
	if (have_slm_off && !file)
		return cli_usage_error(cmd, "--slm-off goes with --file");
	ret = cli_want_args(cmd, argc, file ? 2 : 3,
			    file ? "DEV or PIND" : "DEV, PIND or RSID");
	if (ret)
		return ret;
	spec = argv[optind];
	if (cli_parse_u64(argv[optind + 1], &v) || !v || v > UINT32_MAX)
		return cli_usage_error(cmd, "'%s' is not a program index",
				       argv[optind + 1]);
	a.pind = (__u32)v;
	if (!file) {
		if (cli_parse_u64(argv[optind + 2], &v) || !v || v > UINT32_MAX)
			return cli_usage_error(cmd, "'%s' is not a range set id",
					       argv[optind + 2]);
		a.rsid = (__u32)v;
	}
	if (nfmt > 1)
		return cli_usage_error(cmd, "--hexdump and --u64s exclude each other");
	if (pattern) {
		struct uringblk_exec_args pa = { 0 };

		if (have_args)
			return cli_usage_error(cmd, "--pattern sets cparam1, cparam2 "
					       "and arg2: no --cparam/--arg2 with it");
		if (count_pattern_args(pa.args, pattern, strlen(pattern)))
			return cli_usage_error(cmd, "--pattern must be 1..%d bytes",
					       COUNT_PATTERN_MAX);
		a.cparam[0] = pa.args[0];
		a.cparam[1] = pa.args[1];
		a.arg2 = pa.args[2];
	}

	if (file) {
		if (cli_check_dev(cmd, spec))
			return CLI_USAGE;
		ret = cli_file_open(cmd, spec, file, &dev, &map, msg, sizeof(msg));
		if (ret == 1)
			return CLI_FAIL;
		if (ret) {
			uringblk_file_unmap(&map);
			return cli_file_fail(file, ret, msg);
		}
	} else {
		ret = cli_open(cmd, spec, &dev);
		if (ret)
			return ret;
	}
	if (out_size) {
		out = malloc(out_size);
		if (!out) {
			ret = cli_fail(spec, -ENOMEM);
			goto out;
		}
	}
	if (file) {
		cli_file_test_hook();
		cli_progress_call(&pg, "copied into SLM and run in the drive",
				  map.version.size);
		ret = uringblk_file_execute(dev, &map, slm_off, &a, &res, out,
					    out_size, msg, sizeof(msg));
		cli_progress_end(&pg);
		if (ret == -ESTALE || (ret && res.abort_code == URINGBLK_PROG_OK &&
				       !res.error)) {
			ret = cli_file_fail(file, ret, msg);
			goto out;
		}
	} else {
		cli_progress_call(&pg, "running in the drive", 0);
		ret = uringblk_execute(dev, &a, &res, out, out_size);
		cli_progress_end(&pg);
		/* refused before running: no result to show */
		if (ret && res.abort_code == URINGBLK_PROG_OK && !res.error) {
			ret = cli_fail_dev(dev, spec, ret);
			goto out;
		}
	}
	if (json) {
		print_execute_json(&a, &res, ret, out, fmt, file, &map, slm_off);
	} else {
		print_execute_text(&a, &res, ret, file, &map, slm_off);
		if (res.out_len)
			print_output_text(out, res.out_len, fmt, NULL, 1);
	}
	ret = ret ? CLI_FAIL : CLI_OK;
out:
	free(out);
	uringblk_file_unmap(&map);
	uringblk_close(dev);
	return ret;
}

const struct cli_cmd cli_cmd_execute = {
	.name		= "execute",
	.args		= "DEV PIND RSID|--file PATH [--slm-off OFF] [--cparam1 V] [--cparam2 V] [--arg2 V] "
			  "[--pattern STR] [--budget B] [--out-size BYTES] [--json] "
			  "[--hexdump|--u64s]",
	.summary	= "Run the active program in slot PIND over memory range set "
			  "RSID, or over a file copied into SLM.",
	.help		=
	"  -f, --file PATH        instead of RSID: copy the file's blocks (holes\n"
	"                         as zeroes) into SLM inside the drive, make a range\n"
	"                         set of them, run over the file's size, delete the\n"
	"                         set; ESTALE if the file changed meanwhile\n"
	"  -s, --slm-off OFF      with --file: where in SLM (default 0; a multiple\n"
	"                         of the SLM granularity; overwritten)\n"
	"  -1, --cparam1 V        ctx->args[0] (the standard's CPARAM1)\n"
	"  -2, --cparam2 V        ctx->args[1] (CPARAM2)\n"
	"  -3, --arg2 V           ctx->args[2]\n"
	"  -p, --pattern STR      search pattern for count_pattern/grep, packed as\n"
	"                         exec --pattern does\n"
	"  -b, --budget B         instruction budget (default: the drive's)\n"
	"  -o, --out-size BYTES   output capacity (default 4096, at most 1M)\n"
	"  -j, --json             one JSON object\n"
	"  -x, --hexdump          output as a hex dump (the default)\n"
	"  -u, --u64s             output as little-endian u64 values\n"
	"The program sees the set's ranges end to end as its memory (ctx->mem)\n"
	"and as the data its helpers scan.  Needs the command device open for\n"
	"writing.  Exit status 1 if the run stopped early or the drive refused it.\n",
	.run		= execute_run,
};
