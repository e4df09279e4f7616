/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * uringblk_kbpf.h - what a kernel-BPF program for the uringblk drive
 * includes (URINGBLK_PROG_TYPE_KBPF: the second engine).
 *
 * A kernel-BPF program is an ordinary SEC("syscall") BPF program: the
 * host kernel verifies and JIT-compiles it, and the drive runs it on EXEC
 * and EXECUTE.  Build it like any libbpf object:
 *   clang -O2 -g -target bpf -I<repo>/include/uapi -I<repo>/bpf \
 *         -I/usr/include/<multiarch> -c prog.bpf.c -o prog.bpf.o
 * and load it with `uringblk prog load --engine kernel DEV prog.bpf.o`
 * (libbpf loads it into the kernel, then the drive takes its fd).
 *
 * Its entry function gets a struct uringblk_prog_ctx * (the same context
 * as an interpreted program's, with out, mem and globals 0: there are no
 * program addresses here) and returns an int; uringblk_kf_result() sets
 * the run's full 64-bit r0.  Device data, SLM and the output buffer are
 * reached only through the kfuncs below (contracts in
 * <linux/uringblk_prog.h>, "Kernel-BPF programs").  The license must be
 * GPL-compatible (the kernel wants it of programs calling kfuncs).
 *
 * What the kernel offers besides (maps, global data, bounded loops,
 * bpf_loop(), bpf-to-bpf calls, BTF, bpftool) works, except what the
 * drive refuses at load because it cannot bound it: tail calls, and
 * callbacks that do not begin with URINGBLK_LOOP_TICK().
 */
#ifndef URINGBLK_KBPF_H
#define URINGBLK_KBPF_H

#include <linux/types.h>
#include <linux/uringblk_prog.h>
#include <bpf/bpf_helpers.h>

/* The ELF section libbpf loads as BPF_PROG_TYPE_SYSCALL (sleepable). */
#define URINGBLK_KBPF_SEC	"syscall"

extern long uringblk_kf_read(__u64 off, void *dst, __u32 dst__sz) __ksym;
extern long uringblk_kf_emit(const void *src, __u32 src__sz) __ksym;
extern __u64 uringblk_kf_count_pattern(__u64 off, __u64 len, const void *pat,
				       __u32 pat__sz) __ksym;
extern __s64 uringblk_kf_find(__u64 off, __u64 len, const void *pat,
			      __u32 pat__sz) __ksym;
extern __u64 uringblk_kf_sum_u32(__u64 off, __u64 len) __ksym;
extern long uringblk_kf_histogram(__u64 off, __u64 len, __u64 *hist,
				  __u32 hist__sz) __ksym;
extern __u8 *uringblk_kf_out(__u32 rdwr_buf_size) __ksym;
extern __u8 *uringblk_kf_mem(__u64 off, __u32 rdwr_buf_size) __ksym;
extern __u8 *uringblk_kf_scratch(__u32 rdwr_buf_size) __ksym;
extern void uringblk_kf_result(__u64 r0) __ksym;
extern int uringblk_kf_tick(void) __ksym;

/**
 * URINGBLK_LOOP_TICK() - the first statement of every callback
 *
 * bpf_loop() (and every other helper taking a callback) is accepted only
 * if each callback begins with this: the drive proves it at load from
 * the translated instructions, and refuses the program otherwise
 * (-EOPNOTSUPP).  The tick costs one budget unit, is a reschedule point,
 * and asks the loop to stop (the callback returns 1) once the run must
 * end: budget used up, drive removed, submitter killed, or a kfunc
 * refused an argument.  Keep the callback's own work per call modest (a
 * chunk of data, not a byte): each tick costs about as much as a dozen
 * instructions.
 */
#define URINGBLK_LOOP_TICK()				\
	do {						\
		if (uringblk_kf_tick())			\
			return 1;			\
	} while (0)

/**
 * uringblk_kf_abort_einval() - stop the run with -EINVAL
 *
 * The kernel-BPF form of bpf/uringblk_prog.h's uringblk_abort_einval():
 * a pattern of length 0 is a bad argument, so the run stops with -EINVAL
 * (URINGBLK_PROG_ABORT_ARG).  The program itself goes on until it
 * returns; every later kfunc call does nothing and returns -EINVAL.
 */
static __always_inline int uringblk_kf_abort_einval(void)
{
	char none = 0;

	uringblk_kf_count_pattern(0, 0, &none, 0);
	return 0;
}

#endif /* URINGBLK_KBPF_H */
