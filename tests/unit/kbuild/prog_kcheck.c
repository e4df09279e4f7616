// SPDX-License-Identifier: GPL-2.0
/*
 * Dummy module for `make -C tests/unit kcheck`: proves the program VM, the
 * KV engine and the SSD model sources build with the kernel's flags, warning-free (W=1).
 * Never loaded.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include "driver/sandbox/prog_vm.h"
#include "driver/ssd/ssd.h"

static int __init prog_kcheck_init(void)
{
	static const struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .imm = 7 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct uringblk_prog_env env = { .budget = 100 };
	struct uringblk_prog_result res;
	struct uringblk_prog_state *st;
	char msg[64];
	int err;

	st = kvmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	err = uringblk_prog_verify(prog, ARRAY_SIZE(prog), msg, sizeof(msg));
	if (!err)
		err = uringblk_prog_run(st, prog, &env, &res);
	kvfree(st);
	if (!err)
		err = ssd_cfg_check(&ssd_preset_find("970pro")->cfg, msg, sizeof(msg));
	return err;
}

static void __exit prog_kcheck_exit(void)
{
}

module_init(prog_kcheck_init);
module_exit(prog_kcheck_exit);
MODULE_DESCRIPTION("uringblk kcheck: pure C built with the kernel's flags");
MODULE_LICENSE("GPL");
