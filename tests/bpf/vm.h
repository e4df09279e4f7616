/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * The drive's program VM (driver/sandbox/prog_*.c) run natively on a memory
 * buffer, behind an interface free of the driver's headers, so that the
 * caller can include <linux/uringblk.h> and liburingblk.h.
 */
#ifndef URINGBLK_BPF_TEST_VM_H
#define URINGBLK_BPF_TEST_VM_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

/* What EXEC would report (struct uringblk_exec_result's fields). */
struct vm_result {
	uint64_t	r0;
	int32_t		error;
	uint32_t	abort_code;
	uint32_t	abort_pc;
	uint64_t	out_len;
	uint64_t	insns;
	uint64_t	bytes_scanned;
	/* not in EXEC's result: what the VM's work accounting saw */
	uint64_t	map_units;	/* map calls * their fixed cost */
	uint64_t	helper_work;	/* st->work but for the map calls' */
	int		work_bounded;	/* st->work within the charge */
	/* NULL, or how the run made with yields differed from it */
	const char	*yield_error;
};

/*
 * Validate @insns as PROG_LOAD would (0, or -errno with the reason in
 * @msg), then run them over @data (@len bytes, 512-byte blocks, delivered
 * in windows of @chunk bytes, 0 = all at once) with ctx->args[0..2] =
 * @args, an output buffer of @out_len bytes at @out and @budget units.
 */
int vm_run(const struct bpf_insn *insns, unsigned int cnt, const void *data,
	   uint64_t len, uint64_t chunk, const uint64_t args[3], void *out,
	   uint32_t out_len, uint64_t budget, struct vm_result *res,
	   char *msg, size_t msg_len);

/*
 * Global data for the following vm_run()s (NULL: none): @image is
 * @rodata_len bytes of .rodata then @data_len of .data, as
 * uringblk_prog_read_obj() gives them; @bss_len zeroes follow.  Each run
 * gets the writable part afresh, as on the drive.
 */
void vm_set_globals(const void *image, uint32_t rodata_len,
		    uint32_t data_len, uint32_t bss_len);

/* Runs made again with yields and compared (vm_run()), and their yields. */
void vm_yield_stats(int *compared, long *yields);

#endif
