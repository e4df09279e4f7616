// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * vm_run(): the drive's validator and interpreter, built from the driver's
 * own sources, with a memory-buffer embedder.
 */
#include <stdlib.h>

#include "prog_vm.h"
#include "vm.h"

struct memdata {
	const u8	*data;
	u64		len;
	u64		chunk;
	u64		maps;
};

static long mem_map(void *priv, u64 off, u64 len, const void **win)
{
	struct memdata *m = priv;
	u64 n = len;

	if (off >= m->len || len > m->len - off)
		return -EFAULT;
	if (m->chunk && n > m->chunk - off % m->chunk)
		n = m->chunk - off % m->chunk;
	*win = m->data + off;
	m->maps++;
	return (long)n;
}

static const struct uringblk_prog_env_ops mem_ops = {
	.map = mem_map,
};

int vm_run(const struct bpf_insn *insns, unsigned int cnt, const void *data,
	   uint64_t len, uint64_t chunk, const uint64_t args[3], void *out,
	   uint32_t out_len, uint64_t budget, struct vm_result *res,
	   char *msg, size_t msg_len)
{
	static struct uringblk_prog_state *st;
	struct memdata m = { .data = data, .len = len, .chunk = chunk };
	struct uringblk_prog_env env = {
		.ops = &mem_ops,
		.priv = &m,
		.out = out,
		.out_len = out_len,
		.budget = budget,
	};
	struct uringblk_prog_result r;
	int ret;

	ret = uringblk_prog_verify(insns, cnt, msg, msg_len);
	if (ret)
		return ret;
	if (!st)
		st = malloc(sizeof(*st));
	if (!st)
		return -ENOMEM;
	env.ctx.data_len = len;
	env.ctx.block_size = 512;
	env.ctx.lba_count = len / 512;
	env.ctx.args[0] = args[0];
	env.ctx.args[1] = args[1];
	env.ctx.args[2] = args[2];
	/* the outcome, abort or not, is all in r */
	uringblk_prog_run(st, insns, cnt, &env, &r);
	res->r0 = r.ret;
	res->error = r.err;
	res->abort_code = r.abort_code;
	res->abort_pc = r.abort_pc;
	res->out_len = r.out_used;
	res->insns = r.insns;
	res->bytes_scanned = r.bytes_scanned;
	res->map_units = m.maps * URINGBLK_PROG_MAP_COST;
	res->work_bounded = st->work <= URINGBLK_PROG_MAX_WORK_PER_UNIT *
					r.insns + URINGBLK_PROG_WORK_SLACK;
	return 0;
}
