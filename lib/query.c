// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Queries: compile (parse, check, generate), run the program on the drive
 * and read its output back.  The passes are query_parse.c, query_check.c
 * and query_gen.c; the host's own evaluator is query_host.c.
 */
#include <errno.h>
#include <stdlib.h>

#include "query.h"

size_t query_entry_size(const struct uringblk_query *q)
{
	return 16 + 8 * (size_t)q->naggs;
}

unsigned int query_slots(const struct uringblk_query *q)
{
	return q->key >= 0 ? QUERY_SLOTS : 1;
}

/* The header line's fields, split at the separator, for CSV names. */
static int split_header(struct uringblk_query *q, const char *line)
{
	size_t len = strcspn(line, "\n");
	const char *p = line, *end = line + len;

	while (len && (line[len - 1] == '\r'))
		end = line + --len;
	for (;;) {
		const char *e = memchr(p, q->sep, end - p);
		char **names;

		if (!e)
			e = end;
		names = realloc(q->names, (q->nnames + 1) * sizeof(*names));
		if (!names)
			return -ENOMEM;
		q->names = names;
		q->names[q->nnames] = strndup(p, e - p);
		if (!q->names[q->nnames])
			return -ENOMEM;
		q->nnames++;
		if (e == end)
			return 0;
		p = e + 1;
	}
}

int uringblk_query_compile(const char *text,
			   const struct uringblk_query_opts *opts,
			   struct uringblk_query **out, char *err, size_t errlen)
{
	struct uringblk_query *q;
	struct qctx c = { 0 };
	int ret;

	if (err && errlen)
		err[0] = '\0';
	if (!text || !out)
		return -EINVAL;
	*out = NULL;
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->text = strdup(text);
	if (!q->text) {
		free(q);
		return -ENOMEM;
	}
	q->sep = opts && opts->sep ? opts->sep : ',';
	q->has_header = opts ? !!opts->has_header : 0;
	q->engine = opts && opts->byte_loop ? QUERY_ENGINE_BYTES :
					      QUERY_ENGINE_REC;
	if (opts && opts->reclen) {
		q->binary = 1;
		q->reclen = opts->reclen;
		if (opts->reclen > URINGBLK_QUERY_MAX_RECLEN) {
			snprintf(err, errlen, "record length %u: at most %d bytes",
				 opts->reclen, URINGBLK_QUERY_MAX_RECLEN);
			ret = -EINVAL;
			goto fail;
		}
	}
	q->key = -1;
	c.q = q;
	c.err = err;
	c.errlen = errlen;
	ret = query_parse(&c);
	if (ret)
		goto fail;
	if (!q->binary && !q->json && (q->sep == '\n' || q->sep == '\r' || !q->sep)) {
		snprintf(err, errlen, "the separator cannot be a line end");
		ret = -EINVAL;
		goto fail;
	}
	if (!q->binary && !q->json && q->has_header && opts && opts->header) {
		ret = split_header(q, opts->header);
		if (ret)
			goto fail;
	}
	ret = query_check(&c);
	if (!ret)
		ret = query_gen(&c);
	if (ret)
		goto fail;
	*out = q;
	return 0;
fail:
	if (c.ret && ret == -EINVAL)
		ret = c.ret;	/* a pass saw only a NULL node */
	if (err && errlen && !err[0])
		snprintf(err, errlen, "%s", uringblk_strerror(ret));
	uringblk_query_free(q);
	return ret;
}

int query_for_drive(const struct uringblk_query *q, __u64 features,
		    struct uringblk_query **plain)
{
	struct uringblk_query *p;
	struct qctx c = { 0 };
	int ret;

	*plain = NULL;
	if (q->engine != QUERY_ENGINE_REC || q->rec_plain ||
	    (features & URINGBLK_F_REC_FILTER))
		return 0;
	/* a shallow copy: the tree's pointers stay into q->nodes */
	p = malloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	*p = *q;
	p->rec_plain = 1;
	p->insns = NULL;
	c.q = p;
	ret = query_gen(&c);
	if (ret) {
		free(p);
		return ret;
	}
	*plain = p;
	return 0;
}

int query_rec_conds(const struct uringblk_query *q)
{
	return q->rec_conds;
}

void query_plain_free(struct uringblk_query *plain)
{
	if (plain)
		free(plain->insns);
	free(plain);
}

void uringblk_query_free(struct uringblk_query *q)
{
	if (!q)
		return;
	for (int i = 0; i < q->nnames; i++)
		free(q->names[i]);
	free(q->names);
	free(q->insns);
	free(q->text);
	free(q);
}

const struct bpf_insn *uringblk_query_insns(const struct uringblk_query *q,
					    unsigned int *cnt)
{
	*cnt = q->ninsns;
	return q->insns;
}

void uringblk_query_image(const struct uringblk_query *q,
			  struct uringblk_prog_image *img)
{
	memset(img, 0, sizeof(*img));
	img->insns = (__u64)(uintptr_t)q->insns;
	img->insn_cnt = q->ninsns;
	img->type = URINGBLK_PROG_TYPE_EBPF;
	img->bss_len = q->bss_len;
}

const char *uringblk_query_program(const struct uringblk_query *q)
{
	switch (q->engine) {
	case QUERY_ENGINE_REC:		return "record helpers";
	case QUERY_ENGINE_BYTES:	return "byte loop";
	case QUERY_ENGINE_JSON:		return "JSON lines";
	default:			return "binary records";
	}
}

size_t uringblk_query_out_len(const struct uringblk_query *q)
{
	return QOUT_HDR + query_slots(q) * query_entry_size(q);
}

__u64 uringblk_query_budget(const struct uringblk_query *q, __u64 bytes)
{
	return uringblk_prog_budget(q->insns, q->ninsns, bytes);
}

/* The size of 1.10's struct uringblk_query_run_args, the first one. */
#define QUERY_RUN_ARGS_SIZE_1_10 \
	(offsetof(struct uringblk_query_run_args, errlen) + sizeof(size_t))

/* The caller's args into @a, which has every field this library knows. */
static int query_run_args(const struct uringblk_query_run_args *in,
			  struct uringblk_query_run_args *a)
{
	int ret = uringblk_args_in(in, QUERY_RUN_ARGS_SIZE_1_10, a, sizeof(*a));

	if (ret)
		return ret;
	if (a->flags || (!a->map && (a->from || a->len)))
		return -EINVAL;
	/* a range of an empty file: past its end */
	return a->map && !a->map->nr && (a->from || a->len) ? -ERANGE : 0;
}

int uringblk_query_run(struct uringblk_dev *dev, const struct uringblk_query *q,
		       const struct uringblk_query_run_args *args,
		       struct uringblk_query_result *res)
{
	struct uringblk_query_run_args ra;
	struct uringblk_exec_args a = { 0 };
	struct uringblk_exec_result r = { 0 };
	size_t out_len = uringblk_query_out_len(q);
	const struct uringblk_file_map *map;
	struct uringblk_exec_result *xres;
	struct uringblk_query *plain = NULL;
	char log[512] = "";
	size_t errlen;
	char *err;
	void *out;
	int id, ret;

	uringblk__begin(dev);
	ret = query_run_args(args, &ra);
	if (ret)
		return ret;
	map = ra.map;
	xres = ra.xres;
	err = ra.err;
	errlen = err ? ra.errlen : 0;
	a.budget = ra.budget;

	if (err && errlen)
		err[0] = '\0';
	memset(res, 0, sizeof(*res));
	if (xres)
		memset(xres, 0, sizeof(*xres));
	/*
	 * An empty file has no extents to run over; its answer is that of no
	 * records, the same as uringblk_query_host() over 0 bytes gives.
	 */
	if (map && !map->nr)
		return uringblk_query_host(q, "", 0, res, err, errlen);
	if (q->engine == QUERY_ENGINE_REC) {
		struct uringblk_identify ident;

		ret = uringblk_identify(dev, &ident);
		if (ret)
			return ret;
		if (!(ident.features & URINGBLK_F_RECORDS)) {
			snprintf(err, errlen, "the drive has no record helpers (ABI 1.7): compile the query with the byte loop (uringblk query --byte-loop)");
			return -EOPNOTSUPP;
		}
		ret = query_for_drive(q, ident.features, &plain);
		if (ret)
			return ret;
	}
	out = calloc(1, out_len);
	if (!out) {
		query_plain_free(plain);
		return -ENOMEM;
	}
	if (q->bss_len) {
		struct uringblk_prog_image img;

		uringblk_query_image(plain ? plain : q, &img);
		id = uringblk_prog_load_image(dev, &img, "query", log, sizeof(log));
	} else {
		id = uringblk_prog_load(dev, q->insns, q->ninsns, "query", log,
					sizeof(log));
	}
	query_plain_free(plain);
	if (id < 0) {
		snprintf(err, errlen, "loading the query's program: %s%s%s",
			 uringblk_strerror(id), log[0] ? ": " : "", log);
		free(out);
		return id;
	}
	a.prog_id = id;
	a.lba_start = ra.lba;
	a.lba_count = ra.count;
	a.args[0] = ra.limit;
	if (map) {
		const struct uringblk_file_exec_args fa = {
			.size = sizeof(fa), .map = map, .exec = &a, .out = out,
			.out_len = out_len, .msg = err, .msg_len = errlen,
			.from = ra.from, .len = ra.len,
		};

		ret = uringblk_file_exec_args(dev, &fa, &r);
	} else {
		ret = uringblk_exec(dev, &a, &r, out, out_len);
	}
	uringblk_prog_unload(dev, id);
	if (xres)
		*xres = r;
	if (ret) {
		if (err && errlen && !err[0])
			snprintf(err, errlen, "the query's program %s: %s%s%s",
				 r.abort_code ? "stopped" : "did not run",
				 uringblk_strerror(ret),
				 r.abort_code ? ", abort " : "",
				 r.abort_code ? uringblk_prog_abort_name(r.abort_code) : "");
		free(out);
		return ret;
	}
	ret = uringblk_query_decode(q, r.r0, out, r.out_len, res, err, errlen);
	free(out);
	return ret;
}

int uringblk_query_exec(struct uringblk_dev *dev, const struct uringblk_query *q,
			const struct uringblk_file_map *map, __u64 lba,
			__u64 count, __u64 limit, __u64 budget,
			struct uringblk_query_result *res,
			struct uringblk_exec_result *xres, char *err,
			size_t errlen)
{
	const struct uringblk_query_run_args a = {
		.size = sizeof(a), .map = map, .lba = lba, .count = count,
		.limit = limit, .budget = budget, .xres = xres, .err = err,
		.errlen = errlen,
	};

	uringblk__begin(dev);
	return uringblk_query_run(dev, q, &a, res);
}
