// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The program commands of the computational storage model the SNIA layer
 * needs (PROG_ACTIVATE, EXECUTE, PROG_LOAD into a given slot, a lookup by
 * name), on a handle's private ring.  Kept here, under cs_ names, because
 * the library's own calls for them (branch `slots`) were not written when
 * this layer was; cs_ops.c is their only user and can switch to them.
 */
#include <errno.h>
#include <stdlib.h>

#include "cs_private.h"

int cs_prog_activate(struct uringblk_dev *dev, __u32 pind, bool activate)
{
	struct uringblk_cmd cmd;
	int ret;

	uringblk_cmd_init(&cmd, 0, NULL, 0);
	cmd.prog_activate.pind = pind;
	cmd.prog_activate.action = activate ? URINGBLK_PROG_ACT_ACTIVATE :
					      URINGBLK_PROG_ACT_DEACTIVATE;
	ret = uringblk_submit_cmd(dev, URINGBLK_CMD_PROG_ACTIVATE, &cmd, NULL,
				  NULL);
	return ret < 0 ? ret : 0;
}

int cs_execute(struct uringblk_dev *dev, const struct cs_execute *a,
	       struct uringblk_exec_result *res)
{
	struct uringblk_cmd cmd;
	int ret;

	memset(res, 0, sizeof(*res));
	uringblk_cmd_init(&cmd, 0, res, sizeof(*res));
	cmd.execute.pind = a->pind;
	cmd.execute.rsid = a->rsid;
	cmd.execute.insn_budget = a->budget;
	cmd.execute.cparam[0] = a->cparam[0];
	cmd.execute.cparam[1] = a->cparam[1];
	cmd.execute.arg2 = a->arg2;
	ret = uringblk_submit_cmd(dev, URINGBLK_CMD_EXECUTE, &cmd, NULL, NULL);
	if (ret >= 0)
		return 0;
	/* completed, but r0 does not fit cqe->res: the struct has it */
	if (ret == -EOVERFLOW && !res->error &&
	    res->abort_code == URINGBLK_PROG_OK)
		return 0;
	return ret;
}

/* The drive's programs: downloaded slots and device-defined ones. */
#define CS_MAX_LISTED	(URINGBLK_MAX_PROGS + 256)

int cs_prog_list(struct uringblk_dev *dev, struct uringblk_prog_info **out)
{
	struct uringblk_prog_info *p;
	int n;

	p = calloc(CS_MAX_LISTED, sizeof(*p));
	if (!p)
		return -ENOMEM;
	n = uringblk_prog_list(dev, p, CS_MAX_LISTED);
	if (n < 0) {
		free(p);
		return n;
	}
	*out = p;
	return n;
}

/*
 * By name: a downloaded program before a device-defined one of the same
 * name (the user's download is what the user means), the lowest slot
 * first.
 */
int cs_prog_find(struct uringblk_dev *dev, const char *name, __u32 pind,
		 struct uringblk_prog_info *out)
{
	struct uringblk_prog_info *p;
	int n, i, best = -1;

	n = cs_prog_list(dev, &p);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		if (name ? strncmp(p[i].name, name, URINGBLK_PROG_NAME_LEN) :
			   p[i].pind != pind)
			continue;
		if (best < 0 || p[i].pind < p[best].pind)
			best = i;
	}
	if (best >= 0)
		*out = p[best];
	free(p);
	return best < 0 ? -ENOENT : 0;
}

int cs_prog_load_slot(struct uringblk_dev *dev, const char *path, __u32 pind,
		      char *log, size_t log_len)
{
	char name[URINGBLK_PROG_NAME_LEN + 1];
	struct uringblk_cmd cmd;
	struct bpf_insn *insns;
	unsigned int cnt;
	int ret;

	ret = uringblk_prog_read_file(path, NULL, &insns, &cnt, name, log,
				      log_len);
	if (ret)
		return ret;
	ret = uringblk_prog_load_cmd(&cmd, insns, cnt, name, log, log_len);
	if (!ret) {
		cmd.prog_load.pind = pind;
		ret = uringblk_submit_cmd(dev, URINGBLK_CMD_PROG_LOAD, &cmd,
					  NULL, NULL);
	}
	free(insns);
	return ret;
}
