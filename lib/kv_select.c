// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Select over a KV drive's object (<liburingblk/kv.h>): the seed dialect's
 * Send Select (83h) with the query's compiled program
 * (<linux/uringblk_kv.h>), then Retrieve Select (84h) for the result,
 * decoded as any run of the query's program.  The key goes as the seed
 * lays it out: byte 0 the most significant byte of CDW15, down to byte 15
 * the least significant of CDW2.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/uringblk_kv.h>

#include "query.h"

int uringblk_kv_seed_key(struct nvme_passthru_cmd64 *c, const void *key,
			 size_t klen)
{
	__u8 k[URINGBLK_KV_MAX_KEY] = { 0 };
	__u32 dw[4];

	if (klen > URINGBLK_KV_MAX_KEY || (klen && !key))
		return -EINVAL;
	if (klen)
		memcpy(k, key, klen);
	for (int i = 0; i < 4; i++)
		dw[i] = (__u32)k[4 * i] << 24 | k[4 * i + 1] << 16 |
			k[4 * i + 2] << 8 | k[4 * i + 3];
	c->cdw15 = dw[0];
	c->cdw14 = dw[1];
	c->cdw3 = dw[2];
	c->cdw2 = dw[3];
	c->cdw11 = (c->cdw11 & ~0xffU) | (__u32)klen;
	return 0;
}

/* as kv.c's: the NVMe status kept, its errno returned */
static int sel_cmd(struct uringblk_dev *dev, struct nvme_passthru_cmd64 *c)
{
	int ret = ioctl(dev->fd, NVME_IOCTL_IO64_CMD, c);

	dev->last_cmd_op = 0;
	dev->last_status = 0;
	if (ret < 0) {
		ret = -errno;
	} else if (ret > 0) {
		dev->last_status = (__u16)(ret & 0x7ff);
		ret = uringblk_kv_status_errno((__u16)ret);
	}
	dev->last_res = ret;
	return ret;
}

int uringblk_kv_select(struct uringblk_dev *dev, const void *key, size_t klen,
		       const struct uringblk_query *q,
		       struct uringblk_query_result *res,
		       struct uringblk_kv_select_stats *stats)
{
	struct uringblk_kv_select_prog *p;
	struct uringblk_kv_select_result *r;
	struct uringblk_prog_image img;
	struct nvme_passthru_cmd64 c = { 0 };
	struct uringblk_query *plain = NULL;
	size_t out_len = uringblk_query_out_len(q), plen, rlen;
	const struct bpf_insn *insns;
	unsigned int cnt;
	__u32 id;
	int ret;

	memset(res, 0, sizeof(*res));
	uringblk__begin(dev);
	if (!dev || !key || klen < 1 || klen > URINGBLK_KV_MAX_KEY ||
	    out_len > URINGBLK_KV_SELECT_MAX_OUT)
		return -EINVAL;
	if (q->engine == QUERY_ENGINE_REC) {
		struct uringblk_identify ident;

		ret = uringblk_identify(dev, &ident);
		if (!ret)
			ret = query_for_drive(q, ident.features, &plain);
		if (ret)
			return ret;
	}
	insns = uringblk_query_insns(plain ? plain : q, &cnt);
	uringblk_query_image(plain ? plain : q, &img);
	plen = sizeof(*p) + (size_t)cnt * sizeof(*insns);
	p = calloc(1, plen);
	rlen = sizeof(*r) + out_len;
	r = calloc(1, rlen);
	if (!p || !r) {
		ret = -ENOMEM;
		goto out;
	}
	p->magic = URINGBLK_KV_SELECT_MAGIC;
	p->insn_cnt = cnt;
	p->bss_len = img.bss_len;
	p->out_len = (__u32)out_len;
	memcpy(p + 1, insns, (size_t)cnt * sizeof(*insns));

	c.opcode = URINGBLK_KV_SEED_SEND_SELECT;
	c.nsid = 1;
	c.addr = (__u64)(uintptr_t)p;
	c.data_len = (__u32)plen;
	c.cdw10 = (__u32)plen;
	/* input type: CSV 0, JSON 1 (the program knows; the seed's field) */
	c.cdw11 = (!strcmp(uringblk_query_program(q), "JSON lines") ? 1U : 0U) << 16;
	uringblk_kv_seed_key(&c, key, klen);
	ret = sel_cmd(dev, &c);
	if (ret)
		goto out;
	id = (__u32)c.result;

	memset(&c, 0, sizeof(c));
	c.opcode = URINGBLK_KV_SEED_RETRIEVE_SELECT;
	c.nsid = 1;
	c.addr = (__u64)(uintptr_t)r;
	c.data_len = (__u32)rlen;
	c.cdw10 = (__u32)rlen;
	c.cdw13 = id;
	ret = sel_cmd(dev, &c);
	if (ret)
		goto out;
	if (c.result < sizeof(*r) || c.result > rlen ||
	    r->out_len != c.result - sizeof(*r)) {
		ret = -EPROTO;
		goto out;
	}
	if (stats) {
		stats->insns = r->insns;
		stats->bytes_scanned = r->bytes_scanned;
		stats->value_len = r->value_len;
		stats->bytes_to_host = c.result;
	}
	ret = uringblk_query_decode(q, r->r0, r + 1, r->out_len, res, NULL, 0);
out:
	query_plain_free(plain);
	free(p);
	free(r);
	return ret;
}
