// SPDX-License-Identifier: GPL-2.0
/*
 * The seed dialect on a KV drive's KV namespace (NSID 1): the opcodes of
 * the public QEMU NVMe KV emulator this product's users started from
 * (Documentation/dev/kv-select.md has the layouts, where they come from,
 * and what the public description leaves open):
 *
 *   Store 81h          CDW10 value size; CDW11 7:0 key length, 8 must
 *                      exist, 9 must not exist, 11 append; data: the value
 *   Retrieve 82h       CDW10 buffer size; CDW11 7:0 key length; CDW12 the
 *                      value offset; DW0 the value's full size
 *   Send Select 83h    CDW10 data size; CDW11 7:0 key length, 15:8
 *                      options, 23:16 input type, 31:24 output type; data:
 *                      struct uringblk_kv_select_prog and the program;
 *                      DW0 the result's ID
 *   Retrieve Select 84h CDW10 buffer size; CDW11 options (bit 0 keep the
 *                      result, bit 1 free it only if it all fits); CDW12
 *                      offset; CDW13 the ID; DW0 the result's full size
 *
 * The key: byte 0 is the most significant byte of CDW15, bytes 4-7 CDW14,
 * 8-11 CDW3, 12-15 CDW2 (big-endian within each dword).
 *
 * A select runs the program (checked by the drive's validator) over a
 * snapshot of the object's value, copied from the media under the
 * engine's read lock into drive memory: no store or delete can change
 * what it reads, and nothing but the result reaches the host.
 */
#include <linux/nvme.h>
#include <linux/nvme_ioctl.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <uapi/linux/uringblk_kv.h>

#include "cmd_mem.h"
#include "kv_ns.h"
#include "nvme.h"
#include "sandbox/prog_vm.h"
#include "stats.h"
#include "uringblk.h"

#define SEL_OPT_KEEP		(1U << 0)
#define SEL_OPT_FREE_IF_FITS	(1U << 1)

u32 uringblk_nvme_kv_seed_effects(u8 opcode)
{
	switch (opcode) {
	case URINGBLK_KV_SEED_STORE:
		return NVME_CMD_EFFECTS_CSUPP | NVME_CMD_EFFECTS_LBCC;
	case URINGBLK_KV_SEED_RETRIEVE:
	case URINGBLK_KV_SEED_SEND_SELECT:
	case URINGBLK_KV_SEED_RETRIEVE_SELECT:
		return NVME_CMD_EFFECTS_CSUPP;
	default:
		return 0;
	}
}

static void seed_key(const struct nvme_passthru_cmd64 *c, u8 key[KV_MAX_KEY_LEN])
{
	const u32 dw[4] = { c->cdw15, c->cdw14, c->cdw3, c->cdw2 };
	int i;

	for (i = 0; i < KV_MAX_KEY_LEN; i++)
		key[i] = dw[i / 4] >> (24 - 8 * (i % 4));
}

/* value bytes into the snapshot (kv_copy_fn) */
static int seed_copy_out(void *arg, u64 off, void *buf, u32 len)
{
	memcpy((u8 *)arg + off, buf, len);
	return 0;
}

struct seed_run {
	const u8	*val;
	u64		len;
};

static long seed_map(void *priv, u64 off, u64 len, const void **win)
{
	struct seed_run *r = priv;

	*win = r->val + off;
	return len;
}

static int seed_resched(void *priv)
{
	cond_resched();
	return fatal_signal_pending(current) ? -EINTR : 0;
}

static const struct uringblk_prog_env_ops seed_ops = {
	.map		= seed_map,
	.resched	= seed_resched,
};

/* Keep @buf (@len bytes, a result) and return its ID; takes @buf */
static int seed_keep(struct uringblk_kv_sel *s, void *buf, u32 len, u32 *id)
{
	int i, slot = 0;

	mutex_lock(&s->lock);
	if (s->closed) {
		mutex_unlock(&s->lock);
		kvfree(buf);
		return -ENODEV;
	}
	/* a free slot, else the oldest result is evicted */
	for (i = 0; i < URINGBLK_KV_SELECT_SLOTS; i++) {
		if (!s->res[i].buf) {
			slot = i;
			break;
		}
		if (s->res[i].id < s->res[slot].id)
			slot = i;
	}
	kvfree(s->res[slot].buf);
	s->res[slot].buf = buf;
	s->res[slot].len = len;
	s->res[slot].id = s->next_id++;
	if (!s->next_id)
		s->next_id = 1;
	*id = s->res[slot].id;
	mutex_unlock(&s->lock);
	return 0;
}

static int seed_send_select(struct uringblk_dev *dev,
			    const struct nvme_passthru_cmd64 *c,
			    struct iov_iter *iter, u64 *result)
{
	struct uringblk_kv_select_prog hdr;
	struct uringblk_kv_select_result *res;
	struct uringblk_prog_result pr = {};
	struct uringblk_prog_env env = {};
	struct uringblk_prog_state *st = NULL;
	u32 klen = c->cdw11 & 0xff, in_type = (c->cdw11 >> 16) & 0xff;
	u32 out_type = c->cdw11 >> 24, size = c->cdw10, id;
	struct bpf_insn *insns = NULL;
	struct seed_run run = {};
	void *rw = NULL, *val = NULL;
	u8 key[KV_MAX_KEY_LEN];
	struct kv_engine *e;
	u64 vlen = 0, copied;
	size_t vsize = 0;	/* val's, counted against max_cmd_kb */
	u8 *out = NULL;
	char msg[128];
	int ret;

	/* input CSV 0 or JSON 1 (the program knows which); output: the program's */
	if (in_type > 1 || out_type > 1 || ((c->cdw11 >> 8) & 0xfc))
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	if (size < sizeof(hdr) || uringblk_nvme_xfer_len(c) < size)
		return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
	if (copy_from_iter(&hdr, sizeof(hdr), iter) != sizeof(hdr))
		return -EFAULT;
	if (hdr.magic != URINGBLK_KV_SELECT_MAGIC || !hdr.insn_cnt ||
	    hdr.insn_cnt > URINGBLK_PROG_MAX_INSNS ||
	    size != sizeof(hdr) + (u64)hdr.insn_cnt * sizeof(struct bpf_insn) ||
	    hdr.bss_len > URINGBLK_KV_SELECT_MAX_BSS || hdr.bss_len % 8 ||
	    !hdr.out_len || hdr.out_len > URINGBLK_KV_SELECT_MAX_OUT ||
	    hdr.budget > URINGBLK_MAX_BUDGET || hdr.rsvd[0] || hdr.rsvd[1])
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	insns = kvmalloc_array(hdr.insn_cnt, sizeof(*insns), GFP_KERNEL_ACCOUNT);
	if (!insns)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_iter(insns, hdr.insn_cnt * sizeof(*insns), iter) !=
	    hdr.insn_cnt * sizeof(*insns))
		goto out;
	/* the drive's validator, as for any program loaded */
	ret = uringblk_prog_verify(insns, hdr.insn_cnt, msg, sizeof(msg));
	if (ret) {
		ret = NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
		goto out;
	}

	/* the value, whole, under the read lock: a snapshot */
	seed_key(c, key);
	e = uringblk_kv_get(dev, false);
	if (IS_ERR(e)) {
		ret = PTR_ERR(e);
		goto out;
	}
	ret = kv_retrieve(e, key, klen, 0, 0, seed_copy_out, NULL, &vlen, &copied);
	if (ret == KV_OK && vlen) {
		/* whole blocks: the media's are read straight into it */
		vsize = round_up(vlen, dev->cfg.block_size);
		val = uringblk_cmd_buf(dev, vsize, 0);
		if (IS_ERR(val)) {
			ret = PTR_ERR(val);
			val = NULL;
		} else {
			ret = kv_retrieve_buf(e, key, klen, 0, vlen, val, &vlen, &copied);
		}
		if (ret == KV_OK && copied != vlen)
			ret = KV_INTERNAL;
	}
	uringblk_kv_put(dev, false);
	if (ret) {
		ret = ret < 0 ? ret : uringblk_kv_nvme_status(ret);
		goto out;
	}

	ret = -ENOMEM;
	st = kvmalloc(sizeof(*st), GFP_KERNEL_ACCOUNT);
	out = kvzalloc(sizeof(*res) + hdr.out_len, GFP_KERNEL_ACCOUNT);
	if (hdr.bss_len)
		rw = kzalloc(hdr.bss_len, GFP_KERNEL_ACCOUNT);
	if (!st || !out || (hdr.bss_len && !rw))
		goto out;
	run.val = val;
	run.len = vlen;
	env.ops = &seed_ops;
	env.priv = &run;
	env.ctx.data_len = vlen;
	env.ctx.block_size = dev->cfg.block_size;
	env.ctx.args[0] = hdr.limit;
	env.out = out + sizeof(*res);
	env.out_len = hdr.out_len;
	env.budget = hdr.budget ? hdr.budget : URINGBLK_MAX_BUDGET;
	env.globals_rw = rw;
	env.rw_len = hdr.bss_len;
	ret = uringblk_prog_run(st, insns, &env, &pr);
	if (!ret)
		ret = pr.err;
	if (ret)
		goto out;	/* -ETIME: the budget; -EINTR: a signal */
	res = (void *)out;
	res->r0 = pr.ret;
	res->insns = pr.insns;
	res->bytes_scanned = pr.bytes_scanned;
	res->value_len = vlen;
	res->out_len = min_t(u64, pr.out_used, hdr.out_len);
	ret = seed_keep(&dev->kv->sel, out, sizeof(*res) + res->out_len, &id);
	out = NULL;
	if (!ret)
		*result = id;
out:
	kvfree(out);
	kfree(rw);
	kvfree(st);
	uringblk_cmd_buf_free(dev, val, vsize);
	kvfree(insns);
	return ret;
}

/*
 * The result's bytes go through a bounce buffer filled under s->lock and
 * copied to the client after it: no client memory is touched under a
 * lock that removal (uringblk_kv_sel_exit()) takes.  A result freed by
 * this command is gone even if that copy then fails (-EFAULT).
 */
static int seed_retrieve_select(struct uringblk_dev *dev,
				const struct nvme_passthru_cmd64 *c,
				struct iov_iter *iter, u64 *result)
{
	struct uringblk_kv_sel *s = &dev->kv->sel;
	u32 opts = c->cdw11, off = c->cdw12, id = c->cdw13, buflen = c->cdw10;
	void *bounce = NULL, *drop = NULL;
	u32 n = 0;
	int i, ret = 0;

	if (opts & ~(SEL_OPT_KEEP | SEL_OPT_FREE_IF_FITS) || !id)
		return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
	if (uringblk_nvme_xfer_len(c) < buflen)
		return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
	mutex_lock(&s->lock);
	for (i = 0; i < URINGBLK_KV_SELECT_SLOTS; i++)
		if (s->res[i].buf && s->res[i].id == id)
			break;
	if (i == URINGBLK_KV_SELECT_SLOTS) {
		/* never made, retrieved, evicted: the seed's "not found" */
		mutex_unlock(&s->lock);
		return uringblk_kv_nvme_status(KV_KEY_NOT_EXIST);
	}
	if (off < s->res[i].len)
		n = min(buflen, s->res[i].len - off);
	if (n) {
		bounce = kvmalloc(n, GFP_KERNEL_ACCOUNT);
		if (!bounce) {
			mutex_unlock(&s->lock);
			return -ENOMEM;
		}
		memcpy(bounce, (u8 *)s->res[i].buf + off, n);
	}
	*result = s->res[i].len;
	if (!(opts & SEL_OPT_KEEP) &&
	    (!(opts & SEL_OPT_FREE_IF_FITS) || (u64)off + buflen >= s->res[i].len)) {
		drop = s->res[i].buf;
		s->res[i].buf = NULL;
		s->res[i].id = 0;
	}
	mutex_unlock(&s->lock);
	if (n && copy_to_iter(bounce, n, iter) != n)
		ret = -EFAULT;
	if (!ret && n) {
		this_cpu_add(dev->stats->kv_bytes_to_host, n);
		this_cpu_add(dev->stats->bytes_to_host, n);
	}
	kvfree(bounce);
	kvfree(drop);
	return ret;
}

/**
 * uringblk_nvme_kv_seed_exec() - a seed-dialect command on the KV namespace
 * @dev:	a KV drive
 * @c:		the command, its opcode one uringblk_nvme_kv_seed_effects() has
 * @iter:	its data buffer
 * @result:	DW0
 *
 * Process context; sleeps.  Return: 0, an NVMe status or -errno.
 */
int uringblk_nvme_kv_seed_exec(struct uringblk_dev *dev,
			       const struct nvme_passthru_cmd64 *c,
			       struct iov_iter *iter, u64 *result)
{
	u32 klen = c->cdw11 & 0xff, xfer = uringblk_nvme_xfer_len(c);
	u8 key[KV_MAX_KEY_LEN];
	u64 vlen, copied;
	int ret;

	/* kv_cmds: counted by uringblk_nvme_kv_exec(), which calls here */
	seed_key(c, key);
	switch (c->opcode) {
	case URINGBLK_KV_SEED_STORE: {
		u32 opts = (c->cdw11 >> 8) & 0xff;

		/* bits 8, 9, 11 (KV_STORE_*): else Invalid Field */
		if (opts & ~KV_STORE_OPTS || (c->cdw11 >> 16))
			return NVME_SC_INVALID_FIELD | URINGBLK_NVME_DNR;
		if (xfer < c->cdw10)
			return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
		ret = uringblk_kv_store_iter(dev, key, klen, iter, c->cdw10, opts);
		if (ret == KV_OK)
			this_cpu_add(dev->stats->kv_bytes_from_host, c->cdw10);
		return ret < 0 ? ret : uringblk_kv_nvme_status(ret);
	}
	case URINGBLK_KV_SEED_RETRIEVE:
		if (xfer < c->cdw10)
			return NVME_SC_SGL_INVALID_DATA | URINGBLK_NVME_DNR;
		ret = uringblk_kv_retrieve_iter(dev, key, klen, c->cdw12, c->cdw10,
						iter, &vlen, &copied);
		if (ret == KV_OK) {
			*result = vlen;
			this_cpu_add(dev->stats->kv_bytes_to_host, copied);
			this_cpu_add(dev->stats->bytes_to_host, copied);
		}
		return ret < 0 ? ret : uringblk_kv_nvme_status(ret);
	case URINGBLK_KV_SEED_SEND_SELECT:
		return seed_send_select(dev, c, iter, result);
	case URINGBLK_KV_SEED_RETRIEVE_SELECT:
		return seed_retrieve_select(dev, c, iter, result);
	default:
		return NVME_SC_INVALID_OPCODE | URINGBLK_NVME_DNR;
	}
}
