// SPDX-License-Identifier: GPL-2.0
/*
 * Programs the kernel's verifier accepts and the drive refuses
 * (prog_kbpf.c), one per function:
 *   no_tick:	a bpf_loop() callback without URINGBLK_LOOP_TICK()
 *   late_tick:	the tick, but after a branch
 *   ignore_tick: the tick, but the callback goes on when it says stop
 *   tail_call:	a tail call (which the kernel refuses first)
 *   sys_bpf:	bpf_sys_bpf()
 *   big_ctx:	reads its context beyond struct uringblk_prog_ctx
 *   tick_ok:	the same loop done right (accepted)
 *   not_syscall: another program type (XDP)
 */
#include <linux/bpf.h>
#include "uringblk_kbpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} jumps SEC(".maps");

static long cb_no_tick(__u64 i, void *arg)
{
	(*(__u64 *)arg)++;
	return 0;
}

static long cb_late_tick(__u64 i, void *arg)
{
	if (*(__u64 *)arg > 5)
		return 1;
	URINGBLK_LOOP_TICK();
	(*(__u64 *)arg)++;
	return 0;
}

static long cb_ignore_tick(__u64 i, void *arg)
{
	*(__u64 *)arg += uringblk_kf_tick();
	return 0;
}

static long cb_tick(__u64 i, void *arg)
{
	URINGBLK_LOOP_TICK();
	(*(__u64 *)arg)++;
	return 0;
}

SEC(URINGBLK_KBPF_SEC)
int no_tick(struct uringblk_prog_ctx *ctx)
{
	__u64 n = 0;

	bpf_loop(ctx->args[0] & 1023, cb_no_tick, &n, 0);
	return n;
}

SEC(URINGBLK_KBPF_SEC)
int late_tick(struct uringblk_prog_ctx *ctx)
{
	__u64 n = 0;

	bpf_loop(ctx->args[0] & 1023, cb_late_tick, &n, 0);
	return n;
}

SEC(URINGBLK_KBPF_SEC)
int ignore_tick(struct uringblk_prog_ctx *ctx)
{
	__u64 n = 0;

	bpf_loop(ctx->args[0] & 1023, cb_ignore_tick, &n, 0);
	return n;
}

SEC(URINGBLK_KBPF_SEC)
int tick_ok(struct uringblk_prog_ctx *ctx)
{
	__u64 n = 0;

	bpf_loop(ctx->args[0] & 1023, cb_tick, &n, 0);
	uringblk_kf_result(n);
	return n;
}

/*
 * On 6.1 the kernel itself refuses it: syscall programs must be
 * sleepable, and a sleepable program may use no prog array.  The drive
 * would refuse it too (kbpf_check_insns()), should a kernel allow it.
 */
SEC(URINGBLK_KBPF_SEC)
int tail_call(struct uringblk_prog_ctx *ctx)
{
	bpf_tail_call(ctx, &jumps, 0);
	return 7;
}

SEC(URINGBLK_KBPF_SEC)
int sys_bpf(struct uringblk_prog_ctx *ctx)
{
	union bpf_attr attr = {};

	return bpf_sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
}

SEC(URINGBLK_KBPF_SEC)
int big_ctx(struct uringblk_prog_ctx *ctx)
{
	return *(__u64 *)((char *)ctx + 200);
}

SEC("xdp")
int not_syscall(void *ctx)
{
	return 2;
}

char LICENSE[] SEC("license") = "GPL";
