// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * vm_run(): the drive's validator and interpreter, built from the driver's
 * own sources, with the native tests' memory-buffer embedder (memenv.h).
 * Every run is also made twice with yields, which must not change it
 * (yieldcheck.h).
 */
#include <stdlib.h>

#include "../unit/yieldcheck.h"
#include "vm.h"

static struct {
	const uint8_t	*image;
	uint32_t	rodata_len, data_len, bss_len;
	uint8_t		*rw;
} glob;

void vm_set_globals(const void *image, uint32_t rodata_len,
		    uint32_t data_len, uint32_t bss_len)
{
	free(glob.rw);
	glob.image = image;
	/* a program with only .bss has no image (uringblk_prog_read_obj()) */
	glob.rodata_len = image ? rodata_len : 0;
	glob.data_len = image ? data_len : 0;
	glob.bss_len = bss_len;
	/* dirty: the VM must reset it at every run */
	glob.rw = glob.data_len + glob.bss_len ?
		  malloc(glob.data_len + glob.bss_len) : NULL;
	if (glob.rw)
		memset(glob.rw, 0x5a, glob.data_len + glob.bss_len);
}

int vm_run(const struct bpf_insn *insns, unsigned int cnt, const void *data,
	   uint64_t len, uint64_t chunk, const uint64_t args[3], void *out,
	   uint32_t out_len, uint64_t budget, struct vm_result *res,
	   char *msg, size_t msg_len)
{
	static struct uringblk_prog_state *st;
	struct uringblk_prog_env env;
	struct uringblk_prog_result r;
	struct memenv m;
	int ret;

	ret = uringblk_prog_verify(insns, cnt, msg, msg_len);
	if (ret)
		return ret;
	if (!st)
		st = malloc(sizeof(*st));
	if (!st)
		return -ENOMEM;
	memenv_init(&m, &env, data, len, out, out_len, budget);
	m.chunk = chunk;
	env.ctx.args[0] = args[0];
	env.ctx.args[1] = args[1];
	env.ctx.args[2] = args[2];
	if (glob.rodata_len) {
		env.rodata = glob.image;
		env.rodata_len = glob.rodata_len;
	}
	if (glob.rw) {
		env.data = glob.image + glob.rodata_len;
		env.data_len = glob.data_len;
		env.globals_rw = glob.rw;
		env.rw_len = glob.data_len + glob.bss_len;
	}
	/* the outcome, abort or not, is all in r */
	yield_check_run(st, insns, &env, &m, &r, &res->yield_error);
	res->r0 = r.ret;
	res->error = r.err;
	res->abort_code = r.abort_code;
	res->abort_pc = r.abort_pc;
	res->out_len = r.out_used;
	res->insns = r.insns;
	res->bytes_scanned = r.bytes_scanned;
	res->map_units = (uint64_t)m.maps * URINGBLK_PROG_MAP_COST;
	res->helper_work = st->work - (uint64_t)m.maps * st->map_cost *
				       URINGBLK_PROG_MAX_WORK_PER_UNIT;
	res->work_bounded = st->work <= URINGBLK_PROG_MAX_WORK_PER_UNIT *
					r.insns + URINGBLK_PROG_WORK_SLACK;
	return 0;
}

void vm_yield_stats(int *compared, long *yields)
{
	*compared = yield_stats.compared;
	*yields = yield_stats.yields;
}
