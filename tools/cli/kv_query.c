// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * uringblk kv query: a query (Documentation/examples/queries.md) over one
 * object's value: in the drive by default (Send Select / Retrieve Select,
 * only the result crosses to the host), --host retrieves the value and
 * runs the library's interpreter, --check does both and compares.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"

static char *result_text(const struct uringblk_query *q,
			 const struct uringblk_query_result *res)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	uringblk_query_fprint(f, q, res);
	fclose(f);
	return buf;
}

/* The value's first bytes by a short Retrieve, cli_first_line()'s reader */
struct kv_prefix {
	struct uringblk_dev	*dev;
	const void		*key;
	size_t			klen;
};

static ssize_t kv_prefix(void *ctx, void *buf, size_t len)
{
	const struct kv_prefix *kp = ctx;
	size_t full = 0;
	int ret = uringblk_kv_get(kp->dev, kp->key, kp->klen, buf, len, &full);

	if (ret)
		return ret;
	return full < len ? full : len;
}

/*
 * The value's first line, for a CSV header's names (cli_first_line()).
 * Return: 0 with *@line allocated, or a negative errno.
 */
static int kv_first_line(struct uringblk_dev *dev, const struct cli_kv_key *k, char **line)
{
	struct kv_prefix kp = { .dev = dev, .key = k->b, .klen = k->len };

	*line = cli_first_line(kv_prefix, &kp);
	return *line ? 0 : -errno;
}

int cli_kv_query(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "header",	no_argument,		NULL, 'H' },
		{ "sep",	required_argument,	NULL, 's' },
		{ "host",	no_argument,		NULL, 'o' },
		{ "check",	no_argument,		NULL, 'c' },
		{ "stats",	no_argument,		NULL, 'S' },
		{ "help",	no_argument,		NULL, 'h' },
		{ 0 }
	};
	struct uringblk_query_opts qo = { 0 };
	struct uringblk_query_result hres = { 0 }, dres = { 0 };
	struct uringblk_kv_select_stats ss = { 0 };
	struct uringblk_query *q = NULL;
	struct uringblk_dev *dev = NULL;
	bool host = false, check = false, stats = false;
	char err[2048] = "", *htext = NULL, *dtext = NULL, *header = NULL;
	struct cli_progress pg;
	struct cli_kv_key k;
	void *val = NULL;
	size_t vlen = 0;
	int c, ret;

	while ((c = cli_getopt(cmd, argc, argv, "Hs:ocSh", opts)) != -1) {
		switch (c) {
		case 'H': qo.has_header = 1; break;
		case 's':
			if (strlen(optarg) != 1)
				return cli_usage_error(cmd, "--sep takes one character");
			qo.sep = optarg[0];
			break;
		case 'o': host = true; break;
		case 'c': check = true; break;
		case 'S': stats = true; break;
		case 'h': return CLI_OK;
		default: return CLI_USAGE;
		}
	}
	if (host && check)
		return cli_usage_error(cmd, "--host and --check exclude each other");
	ret = cli_kv_open(cmd, argc, argv, 3, "DEV, KEY and QUERY", &dev, &k);
	if (ret)
		return ret;
	/*
	 * Names of a CSV header resolve at compile time from the value's
	 * first line, read with a short Retrieve (the drive path reads no
	 * more): with --header, or when the query compiles only with it
	 * (FROM csv(header) and names), as `uringblk query` reads a file's.
	 */
	if (qo.has_header) {
		ret = kv_first_line(dev, &k, &header);
		if (ret) {
			ret = cli_kv_fail(dev, argv[optind + 1], ret, NULL);
			goto out;
		}
		qo.header = header;
	}
	ret = uringblk_query_compile(argv[optind + 2], &qo, &q, err, sizeof(err));
	/* Refused without a header line: again with it, if the value has one. */
	if (ret == -EINVAL && !header && !kv_first_line(dev, &k, &header)) {
		qo.header = header;
		ret = uringblk_query_compile(argv[optind + 2], &qo, &q, err, sizeof(err));
	}
	if (ret) {
		fprintf(stderr, "uringblk: %s: %s\n", cli_cmd_path, err);
		ret = ret == -ENOMEM ? CLI_FAIL : CLI_USAGE;
		goto out;
	}
	if (host || check) {
		ret = uringblk_kv_get_alloc(dev, k.b, k.len, &val, &vlen);
		if (ret) {
			ret = cli_kv_fail(dev, argv[optind + 1], ret, NULL);
			goto out;
		}
		ret = cli_query_host(q, val, vlen, &hres, err, sizeof(err));
		if (ret) {
			ret = cli_kv_fail(NULL, "host", ret, err);
			goto out;
		}
		htext = result_text(q, &hres);
	}
	if (!host) {
		cli_progress_call(&pg, "running in the drive", 0);
		ret = uringblk_kv_select(dev, k.b, k.len, q, &dres, &ss);
		cli_progress_end(&pg);
		if (ret) {
			ret = cli_kv_fail(dev, argv[optind + 1], ret, NULL);
			goto out;
		}
		dtext = result_text(q, &dres);
	}
	if (!(host ? htext : dtext)) {
		ret = cli_fail("result", -ENOMEM);
		goto out;
	}
	fputs(host ? htext : dtext, stdout);
	if (stats && !host)
		fprintf(stderr, "# program %s, ran %" PRIu64 " units over %" PRIu64
			" bytes of a %" PRIu64 "-byte value; %" PRIu64
			" bytes to the host\n", uringblk_query_program(q),
			(uint64_t)ss.insns, (uint64_t)ss.bytes_scanned,
			(uint64_t)ss.value_len, (uint64_t)ss.bytes_to_host);
	if (stats && host)
		fprintf(stderr, "# retrieved %zu bytes, evaluated on the host\n", vlen);
	ret = CLI_OK;
	if (check) {
		if (!htext || strcmp(htext, dtext)) {
			fprintf(stderr, "uringblk: %s: the drive and the host differ; the host says:\n%s",
				cli_cmd_path, htext ? htext : "");
			ret = CLI_FAIL;
		} else {
			fprintf(stderr, "# the host agrees\n");
		}
	}
out:
	free(htext);
	free(dtext);
	free(val);
	free(header);
	uringblk_query_result_free(&hres);
	uringblk_query_result_free(&dres);
	uringblk_query_free(q);
	uringblk_close(dev);
	return ret;
}
