// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The query tests' shared harness (query_run.h): one place for the run of
 * a compiled query in the VM against the host, so that the CSV, binary and
 * JSON Lines programs are held to the same checks.
 */
#include <stdlib.h>
#include <string.h>

#include "query_run.h"
#include "vm.h"

int passed, failed;
int check_reports = 40;
unsigned long long rng;

unsigned int rnd(unsigned int n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned int)(rng % n);
}

char *print_result(const struct uringblk_query *q,
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

static const uint64_t chunks[] = { 0, 1, 7, 13, 64, 4096 };

void query_run_windows(const char *text, const char *prog,
		       const struct uringblk_query *q, const void *data,
		       size_t len, uint64_t limit, const char *hs, int hret,
		       double *unit)
{
	struct uringblk_query_result dres;
	const struct bpf_insn *insns;
	size_t out_len = uringblk_query_out_len(q);
	unsigned int cnt;
	char msg[512];
	void *out = malloc(out_len);
	int ret;

	insns = uringblk_query_insns(q, &cnt);
	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		uint64_t args[3] = { limit, 0, 0 };
		struct vm_result r;
		char vmsg[256] = "";
		char *ds;

		/* tiny windows over big data only cost time */
		if (chunks[c] && chunks[c] < 64 && len > 20000)
			continue;
		memset(out, 0, out_len);
		ret = vm_run(insns, cnt, data, len, chunks[c], args, out,
			     (uint32_t)out_len, 1ULL << 36, &r, vmsg, sizeof(vmsg));
		CHECK(!ret, "'%s' (%s): validator: %s", text, prog, vmsg);
		if (ret)
			break;
		CHECK(!r.error, "'%s' (%s) chunk %llu: run error %d abort %u at pc %u",
		      text, prog, (unsigned long long)chunks[c], r.error,
		      r.abort_code, r.abort_pc);
		CHECK(!r.yield_error, "'%s' (%s): yields: %s", text, prog,
		      r.yield_error ? r.yield_error : "");
		/* the default budget covers every real run (windows of 4 KiB up) */
		if (!chunks[c] || chunks[c] >= 4096)
			CHECK(r.insns <= uringblk_query_budget(q, len),
			      "'%s' (%s): %llu units over %zu bytes, budget %llu",
			      text, prog, (unsigned long long)r.insns, len,
			      (unsigned long long)uringblk_query_budget(q, len));
		if (unit && len > 10000 && (!chunks[c] || chunks[c] >= 4096)) {
			double u = (double)r.insns / (double)len;

			if (u > *unit)
				*unit = u;
		}
		ret = uringblk_query_decode(q, r.r0, out, r.out_len, &dres, msg,
					    sizeof(msg));
		CHECK(ret == hret, "'%s' (%s) chunk %llu: drive %d, host %d (%s)",
		      text, prog, (unsigned long long)chunks[c], ret, hret, msg);
		if (ret || hret) {
			if (!ret)
				uringblk_query_result_free(&dres);
			continue;
		}
		ds = print_result(q, &dres);
		CHECK(ds && hs && !strcmp(ds, hs),
		      "'%s' (%s) chunk %llu:\n--- drive\n%s--- host\n%s--- data\n%.*s",
		      text, prog, (unsigned long long)chunks[c], ds, hs,
		      (int)(len < 2000 ? len : 2000), (const char *)data);
		free(ds);
		uringblk_query_result_free(&dres);
	}
	free(out);
}
