/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Select over a KV drive's objects: the data of the seed dialect's Send
 * Select (83h) and Retrieve Select (84h) on the KV namespace
 * (Documentation/dev/kv-select.md; driver/nvme_kv_seed.c, lib/kv_select.c).
 *
 * The drive cannot compile the query language (liburingblk does), so Send
 * Select carries the compiled program, which the drive's validator checks
 * as any loaded program, and runs over the object's value in the drive;
 * only the program's output reaches the host, through Retrieve Select.
 */
#ifndef _UAPI_LINUX_URINGBLK_KV_H
#define _UAPI_LINUX_URINGBLK_KV_H

#include <linux/types.h>

/* The seed dialect's opcodes (CDW layouts in kv-select.md) */
#define URINGBLK_KV_SEED_STORE		0x81
#define URINGBLK_KV_SEED_RETRIEVE	0x82
#define URINGBLK_KV_SEED_SEND_SELECT	0x83
#define URINGBLK_KV_SEED_RETRIEVE_SELECT	0x84

#define URINGBLK_KV_SELECT_MAGIC	0x3151564bU	/* "KVQ1" */
/* Most output bytes a select may ask for */
#define URINGBLK_KV_SELECT_MAX_OUT	(1U << 20)
/* Most .bss bytes (the drive's writable globals, ABI 1.3) */
#define URINGBLK_KV_SELECT_MAX_BSS	4096U
/* Results the drive keeps until retrieved; a new one evicts the oldest */
#define URINGBLK_KV_SELECT_SLOTS	16

/**
 * struct uringblk_kv_select_prog - Send Select's data (CDW10 bytes)
 * @magic:	URINGBLK_KV_SELECT_MAGIC
 * @insn_cnt:	instructions that follow, 1..URINGBLK_PROG_MAX_INSNS
 * @bss_len:	bytes of zeroed writable globals the program uses
 * @out_len:	bytes of output buffer, 1..URINGBLK_KV_SELECT_MAX_OUT
 * @budget:	instruction budget; 0: the drive's largest
 * @limit:	ctx.args[0]: 0, or stop the data there
 * @rsvd:	zero
 *
 * Then @insn_cnt struct bpf_insn, little-endian.
 */
struct uringblk_kv_select_prog {
	__u32	magic;
	__u32	insn_cnt;
	__u32	bss_len;
	__u32	out_len;
	__u64	budget;
	__u64	limit;
	__u64	rsvd[2];
};	/* 48 bytes */

/**
 * struct uringblk_kv_select_result - Retrieve Select's data from offset 0
 * @r0:		the program's r0
 * @insns:	budget units it used
 * @bytes_scanned: value bytes its helpers examined
 * @value_len:	the object's size when the select ran
 * @out_len:	output bytes that follow
 * @rsvd:	zero
 */
struct uringblk_kv_select_result {
	__u64	r0;
	__u64	insns;
	__u64	bytes_scanned;
	__u64	value_len;
	__u32	out_len;
	__u32	rsvd;
};	/* 40 bytes */

#endif /* _UAPI_LINUX_URINGBLK_KV_H */
