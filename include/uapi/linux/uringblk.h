/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * uringblk - an emulated computational storage drive.
 *
 * This header is the one contract between the driver, liburingblk, the
 * CLI and the tests.  Everything that crosses the user/kernel boundary is
 * defined here and nowhere else, except what a running program sees (its
 * context, regions, helpers and abort codes): that is the program ABI,
 * in uringblk_prog.h, which this header includes.
 *
 * Device nodes (N = device index):
 *   /dev/uringblkN    the block device (read/write/flush/discard/...)
 *   /dev/uringblkcN   the command device: takes io_uring IORING_OP_URING_CMD
 *
 * Command transport
 * -----------------
 * Every command is an IORING_OP_URING_CMD SQE on /dev/uringblkcN with
 *   sqe->cmd_op = one of the URINGBLK_CMD_* values below, and
 *   sqe->cmd    = a struct uringblk_cmd (80 bytes).
 * 80 payload bytes only exist in 128-byte SQEs, so the ring MUST be set up
 * with IORING_SETUP_SQE128; without it every command fails with
 * -EOPNOTSUPP before any payload byte is read.  IORING_SETUP_CQE32 is
 * optional: when present, cqe->big_cqe[0] carries a second 64-bit result
 * (documented per command; 0 where none is defined) on success, and the
 * command's status on failure ("Command statuses" below).
 * IORING_SETUP_IOPOLL rings are refused by io_uring itself (-EOPNOTSUPP):
 * the command device has no uring_cmd_iopoll.
 *
 * cqe->res is >= 0 on success (meaning per command) or a negative errno.
 * A failed command also has a status (ABI 1.9, identify.features &
 * URINGBLK_F_STATUS): with IORING_SETUP_CQE32, cqe->big_cqe[0] holds it
 * (URINGBLK_SC_*, below), so that a client can tell apart failures that
 * share an errno.
 *
 * Compatibility rules
 * -------------------
 * - abi_major must equal URINGBLK_ABI_MAJOR, else -EPROTO.  A major bump
 *   means an incompatible change.  abi_minor is the client's minor; the
 *   driver accepts any value and reports its own in IDENTIFY.
 * - Reserved fields and unknown flag bits must be zero, else -EINVAL, so
 *   that they can be given a meaning later without breaking old clients.
 * - Replies are extensible structs (like statx/clone3): the client passes
 *   a buffer of len bytes; len above URINGBLK_MAX_REPLY_LEN is -E2BIG,
 *   len below the reply's version-0 size (URINGBLK_*_SIZE_VER0 below: so
 *   far each struct's whole size) is -EINVAL.  The driver writes
 *   min(len, its struct size) bytes, zero-fills the rest of the buffer and
 *   returns the number of bytes it filled in cqe->res.  Fields a newer
 *   client knows but this driver does not therefore read as zero.
 * - Array replies (PROG_LIST, REPORT_ZONES) are not extensible structs:
 *   len is a non-zero multiple of the entry size (else -EINVAL), for at
 *   most the command's own limit of entries (else -E2BIG, checked first),
 *   which bounds the work of one command.
 * - A command that takes no buffer (PROG_UNLOAD, ZONE_MGMT) needs addr and
 *   len zero, like every unused field (else -EINVAL, at the gate).
 * - Features a client may rely on are announced in identify.features.
 */
#ifndef _UAPI_LINUX_URINGBLK_H
#define _UAPI_LINUX_URINGBLK_H

#include <linux/types.h>
#include <linux/ioctl.h>

#include "uringblk_prog.h"	/* the program ABI: EXEC reports its abort codes */

#define URINGBLK_ABI_MAJOR	1
#define URINGBLK_ABI_MINOR	12

#define URINGBLK_BLKDEV_NAME	"uringblk"	/* /dev/uringblkN */
#define URINGBLK_CHRDEV_NAME	"uringblkc"	/* /dev/uringblkcN */

/* Largest reply buffer a struct reply (IDENTIFY, GET_STATS) accepts. */
#define URINGBLK_MAX_REPLY_LEN	4096
/* Smallest len each struct reply accepts: its size in ABI 1.0 (1.1 for latency). */
#define URINGBLK_IDENTIFY_SIZE_VER0		256
#define URINGBLK_STATS_SIZE_VER0		256
#define URINGBLK_LATENCY_STATS_SIZE_VER0	3808

/*
 * Command words
 * -------------
 * Each command that takes arguments besides flags and addr/len has a named
 * view of the command words, cdw[] below: one struct per command, member
 * of the union in struct uringblk_cmd, so that c.exec.lba_start and
 * c.cdw[1] are the same bytes.  The views are the ABI as much as the word
 * numbers are: a field never moves to another word.  Every view starts at
 * cdw[0] and covers whole words; the words past a command's view (all
 * seven for IDENTIFY and GET_STATS, which have none) must be zero, and the
 * driver's gate derives which words those are from the view's size.  The
 * rules for each value are with its command below.
 */
#define URINGBLK_PROG_NAME_LEN	32

/* PROG_LOAD: cdw[0..5] */
struct uringblk_prog_load_cdw {
	__u64	log_addr;	/* cdw[0]: validator log buffer, 0 = none */
	__u64	log_len;	/* cdw[1]: its length, at most 4096 */
	char	name[URINGBLK_PROG_NAME_LEN];	/* cdw[2..5]: NUL-padded */
	__u64	pind;		/* cdw[6]: program index (slot); 0 = lowest free (ABI 1.3) */
};

/* PROG_UNLOAD: cdw[0] */
struct uringblk_prog_unload_cdw {
	__u64	prog_id;	/* cdw[0]: high 32 bits zero */
};

/* PROG_LIST: cdw[0] */
struct uringblk_prog_list_cdw {
	__u64	after_id;	/* cdw[0]: list ids above this one; 0 = all */
};

/* EXEC: cdw[0..6] */
struct uringblk_exec_cdw {
	__u64	prog_id;	/* cdw[0]: high 32 bits zero */
	__u64	lba_start;	/* cdw[1]: first LBA of the range */
	__u64	lba_count;	/* cdw[2]: LBAs in the range */
	__u64	insn_budget;	/* cdw[3]: 0 = the device default */
	__u64	args[3];	/* cdw[4..6]: ctx->args[0..2] */
};

/* EXEC with URINGBLK_EXEC_F_EXTENTS (ABI 1.4): cdw[0..6] */
struct uringblk_exec_ext_cdw {
	__u64	prog_id;	/* cdw[0]: as EXEC's */
	__u64	ext_addr;	/* cdw[1]: user address of struct uringblk_extent[] */
	__u64	nr_ext;		/* cdw[2]: its entries, 1..identify.max_exec_extents */
	__u64	insn_budget;	/* cdw[3]: as EXEC's */
	__u64	args[3];	/* cdw[4..6]: as EXEC's */
};

/* REPORT_ZONES: cdw[0] */
struct uringblk_report_zones_cdw {
	__u64	lba;		/* cdw[0]: report from the zone holding it */
};

/* ZONE_MGMT: cdw[0..1] */
struct uringblk_zone_mgmt_cdw {
	__u64	zone_lba;	/* cdw[0]: first LBA of the zone */
	__u64	action;		/* cdw[1]: URINGBLK_ZONE_ACTION_* */
};

/* ZONE_APPEND: cdw[0..1] */
struct uringblk_zone_append_cdw {
	__u64	zone_lba;	/* cdw[0]: first LBA of the zone */
	__u64	lba_out_addr;	/* cdw[1]: user __u64 for the LBA, 0 = none */
};

/* MEM_READ, MEM_WRITE: cdw[0] */
struct uringblk_mem_rw_cdw {
	__u64	slm_off;	/* cdw[0]: byte offset in the drive's SLM */
};

/* MEM_COPY: cdw[0..1] */
struct uringblk_mem_copy_cdw {
	__u64	slm_off;	/* cdw[0]: where the first range lands in SLM */
	__u64	nr_ranges;	/* cdw[1]: struct uringblk_copy_range entries at addr */
};

/* RANGE_SET_DELETE: cdw[0] */
struct uringblk_range_set_cdw {
	__u64	rsid;		/* cdw[0]: memory range set id (high 32 bits zero) */
};

/* PROG_ACTIVATE: cdw[0..1] */
struct uringblk_prog_activate_cdw {
	__u64	pind;		/* cdw[0]: program index (slot) */
	__u64	action;		/* cdw[1]: URINGBLK_PROG_ACT_* */
};

/* EXECUTE: cdw[0..5] */
struct uringblk_execute_cdw {
	__u64	pind;		/* cdw[0]: program index (slot), high 32 bits zero */
	__u64	rsid;		/* cdw[1]: memory range set id, high 32 bits zero */
	__u64	insn_budget;	/* cdw[2]: 0 = the device default */
	__u64	cparam[2];	/* cdw[3..4]: the standard's two parameters: ctx->args[0..1] */
	__u64	arg2;		/* cdw[5]: ctx->args[2] (uringblk extension, as EXEC's) */
	__u64	data_len;	/* cdw[6]: 0 = the whole set, else only its first data_len bytes (ABI 1.4) */
};

/**
 * struct uringblk_cmd - the payload of every uringblk URING_CMD (sqe->cmd)
 * @abi_major:	must be URINGBLK_ABI_MAJOR
 * @abi_minor:	client's minor version (informational)
 * @flags:	per-command flags (URINGBLK_*_F_*); unknown bits -> -EINVAL
 * @addr:	user address of the command's data buffer
 * @len:	length of that buffer in bytes
 * @rsvd0:	must be zero
 * @cdw:	command-specific words; every word a command does not define
 *		must be zero
 * @prog_load, @prog_unload, @prog_list, @exec, @exec_ext, @report_zones, @zone_mgmt,
 * @zone_append, @mem_rw, @mem_copy, @range_set, @prog_activate, @execute:
 *		the same words as the named view of that command (see
 *		"Command words" above)
 *
 * The union is anonymous, as in struct io_uring_sqe: standard C11 and C++
 * (C++98 on), a GCC and clang extension in C89/C99 (-pedantic notes it).
 * Its members are of types declared outside it, which C++ requires of an
 * anonymous union.
 *
 * The driver reads the SQE payload exactly once, so a client rewriting
 * the SQE while the command is in flight cannot change what is validated.
 */
struct uringblk_cmd {
	__u16	abi_major;
	__u16	abi_minor;
	__u32	flags;
	__u64	addr;
	__u32	len;
	__u32	rsvd0;
	union {
		__u64	cdw[7];
		struct uringblk_prog_load_cdw		prog_load;
		struct uringblk_prog_unload_cdw		prog_unload;
		struct uringblk_prog_list_cdw		prog_list;
		struct uringblk_exec_cdw		exec;
		struct uringblk_exec_ext_cdw		exec_ext;
		struct uringblk_report_zones_cdw	report_zones;
		struct uringblk_zone_mgmt_cdw		zone_mgmt;
		struct uringblk_zone_append_cdw		zone_append;
		struct uringblk_mem_rw_cdw		mem_rw;
		struct uringblk_mem_copy_cdw		mem_copy;
		struct uringblk_range_set_cdw		range_set;
		struct uringblk_prog_activate_cdw	prog_activate;
		struct uringblk_execute_cdw		execute;
	};
};	/* 80 bytes */

#define URINGBLK_IOC_MAGIC	'U'

/*
 * IDENTIFY: fill a struct uringblk_identify at addr/len
 *   (URINGBLK_IDENTIFY_SIZE_VER0..URINGBLK_MAX_REPLY_LEN bytes).
 *   flags, cdw[]: must be zero.
 *   res: bytes filled.
 */
#define URINGBLK_CMD_IDENTIFY	_IOWR(URINGBLK_IOC_MAGIC, 0x01, struct uringblk_cmd)

/*
 * GET_STATS: fill a struct uringblk_stats at addr/len
 *   (URINGBLK_STATS_SIZE_VER0..URINGBLK_MAX_REPLY_LEN bytes).
 *   flags: URINGBLK_STATS_F_RESET also zeroes the counters and the latency
 *          histograms after the snapshot (needs CAP_SYS_ADMIN, else
 *          -EPERM).
 *          URINGBLK_STATS_F_LATENCY (ABI 1.1, identify.features &
 *          URINGBLK_F_LATENCY): fill a struct uringblk_latency_stats
 *          instead; the length rules then apply to that struct.  A driver
 *          without it answers -EINVAL (unknown flag).
 *   cdw[]: must be zero.
 *   res: bytes filled.
 */
#define URINGBLK_CMD_GET_STATS	_IOWR(URINGBLK_IOC_MAGIC, 0x02, struct uringblk_cmd)
#define URINGBLK_STATS_F_RESET	(1U << 0)
#define URINGBLK_STATS_F_LATENCY (1U << 1)

/*
 * Programs (0x10-0x1f).  See uringblk_prog.h for what a program is and
 * sees.  Loading and unloading need CAP_SYS_ADMIN (a program reads any LBA
 * range an EXEC grants it, and runs in the kernel); listing and running
 * need only an open command device, like reading the block device does.
 *
 * PROG_LOAD: validate and store a program.
 *   addr/len: the instructions (struct bpf_insn[], len a multiple of 8,
 *             1..URINGBLK_PROG_MAX_INSNS instructions)
 *   prog_load.log_addr (cdw[0]): user address of a log buffer for the
 *             validator's message (0 = none)
 *   prog_load.log_len (cdw[1]): its length (up to 4096, else -EINVAL)
 *   prog_load.name (cdw[2..5]): 32 bytes, NUL-padded (need not be
 *             NUL-terminated)
 *   res: the program id (> 0).  A program the validator rejects gives
 *        -EINVAL (opcode, register, jump, helper, r1-r5 read after a
 *        call...), -E2BIG (too long) or -EOPNOTSUPP (map references,
 *        kfunc calls, may_goto...: things a real BPF program may use that
 *        the drive cannot provide), with "<reason> at insn N" in the log
 *        buffer; -ENOMEM; -ENOSPC when the device already holds
 *        URINGBLK_MAX_PROGS programs.
 *   prog_load.pind (cdw[6], ABI 1.3): the slot, 1..URINGBLK_MAX_PROGS, or
 *        0 for the lowest free one; -EBUSY if taken (Program In Use), -EPERM for a
 *        device-defined slot, -ERANGE for no slot at all.  The program is
 *        loaded inactive (PROG_ACTIVATE).
 *   flags URINGBLK_PROG_LOAD_F_IMAGE (ABI 1.3): addr/len is a struct
 *        uringblk_prog_image (len its size) naming the instructions and the
 *        program's global data (uringblk_prog.h, "globals"): at most
 *        identify.max_globals bytes, of which identify.max_rw_globals
 *        writable, else -E2BIG.
 *   flags URINGBLK_PROG_LOAD_F_BPF_FD (ABI 1.6, identify.engines &
 *        URINGBLK_ENGINE_KBPF): addr/len is a struct uringblk_prog_kbpf
 *        (len its size, else -EINVAL) naming a kernel BPF program fd: a
 *        BPF_PROG_TYPE_SYSCALL program the kernel verified and JIT-compiled
 *        (loaded by libbpf from a SEC("syscall") object), which calls the
 *        drive's kfuncs (uringblk_prog.h, "Kernel-BPF programs").  The drive
 *        takes its own reference: the fd may be closed afterwards.  Not
 *        with F_IMAGE (-EINVAL).  Refusals, with the reason in the log:
 *        -EOPNOTSUPP: the engine is not available (identify.engines
 *        lacks URINGBLK_ENGINE_KBPF: the module has no usable BTF; the
 *        kernel log said why at load), the program is not JIT-compiled,
 *        or it uses what the drive cannot bound or run from its worker:
 *        a callback (bpf_loop(), bpf_for_each_map_elem()...) that does not
 *        begin with URINGBLK_LOOP_TICK() (bpf/uringblk_kbpf.h; ticked
 *        callbacks are taken), a tail call, bpf_sys_bpf(), bpf_sys_close()
 *        or bpf_btf_find_by_name_kind(), or a function an freplace
 *        program could replace after the drive's checks (a global
 *        function: make it static), or an freplace program is attached
 *        (uringblk_prog.h says why);
 *        -EBADF: not an open fd; -EINVAL: not a BPF_PROG_TYPE_SYSCALL
 *        program, or it reads or writes its context beyond struct
 *        uringblk_prog_ctx; -E2BIG: the verifier walked more instructions
 *        than the module parameter kbpf_max_verified allows (default
 *        262144: that many may run between two reschedule points); and
 *        the slot errors above.  The program is
 *        listed with type URINGBLK_PROG_TYPE_KBPF, insn_cnt its
 *        translated instructions and bpf_id the kernel's program id
 *        (bpftool prog show id N).  While the drive holds kernel-BPF
 *        programs the module cannot be unloaded (rmmod: in use); and
 *        every loaded BPF program that calls a uringblk kfunc holds a
 *        module reference of its own, through the module's BTF, held or
 *        not by a drive, until the kernel frees it: after its last fd
 *        and link are closed and an RCU-tasks-trace grace period (syscall
 *        programs are sleepable), so rmmod may need to wait a moment
 *        after the programs' owner exits (/sys/kernel/debug/uringblk/holders).
 */
#define URINGBLK_CMD_PROG_LOAD	_IOWR(URINGBLK_IOC_MAGIC, 0x10, struct uringblk_cmd)
#define URINGBLK_PROG_LOAD_F_IMAGE	(1U << 0)
#define URINGBLK_PROG_LOAD_F_BPF_FD	(1U << 1)

/**
 * struct uringblk_prog_kbpf - a kernel BPF program (PROG_LOAD F_BPF_FD)
 * @prog_fd:	fd of a loaded BPF_PROG_TYPE_SYSCALL program
 * @type:	URINGBLK_PROG_TYPE_KBPF, or 0 meaning it
 * @rsvd:	zero
 */
struct uringblk_prog_kbpf {
	__u32	prog_fd;
	__u32	type;
	__u64	rsvd[3];
};	/* 32 bytes */

/**
 * struct uringblk_prog_image - a program with global data (PROG_LOAD F_IMAGE)
 * @insns:	user address of the instructions (struct bpf_insn[])
 * @insn_cnt:	how many, 1..URINGBLK_PROG_MAX_INSNS
 * @type:	URINGBLK_PROG_TYPE_EBPF (0 means it too: a downloaded program
 *		cannot be device-defined)
 * @globals:	user address of the initial global data: @rodata_len bytes
 *		of .rodata then @data_len bytes of .data (0 if both are 0)
 * @rodata_len:	bytes of .rodata (read-only), a multiple of 8
 * @data_len:	bytes of .data, a multiple of 8
 * @bss_len:	bytes of .bss (zeroed, not in @globals), a multiple of 8
 * @combine:	how the program's results combine (ABI 1.5, uringblk_prog.h);
 *		all zero: it does not declare.  A bad declaration is -EINVAL
 *		with the reason in the log
 * @rsvd:	zero
 *
 * The global region is .rodata at URINGBLK_PROG_GLOBAL_ADDR, .data right
 * after, .bss after that.
 */
struct uringblk_prog_image {
	__u64	insns;
	__u32	insn_cnt;
	__u32	type;
	__u64	globals;
	__u32	rodata_len;
	__u32	data_len;
	__u32	bss_len;
	__u32	rsvd0;
	struct uringblk_prog_combine combine;	/* ABI 1.5 (was rsvd[0..1]) */
	__u64	rsvd[1];
};	/* 64 bytes */
/*
 * PROG_UNLOAD: prog_unload.prog_id (cdw[0]) = program id (high 32 bits
 * zero, else -EINVAL).  addr/len: zero.  res: 0; the slot is free and new
 * EXECs of the id get -ENOENT.  -ENOENT: no such program; -EPERM: a
 * device-defined one; -EBUSY (Program In Use, ABI 1.3): the program is
 * active, or a run of it (EXEC or EXECUTE) is in flight: deactivate it,
 * wait for the runs to complete, and unload again.
 */
#define URINGBLK_CMD_PROG_UNLOAD _IOWR(URINGBLK_IOC_MAGIC, 0x11, struct uringblk_cmd)
/*
 * PROG_LIST: fill addr/len with struct uringblk_prog_info[] for the loaded
 * programs, in id order, starting after id prog_list.after_id (cdw[0]: 0 =
 * from the first; high 32 bits zero, else -EINVAL), as many as fit (len a
 * multiple of the struct size, else -EINVAL, for 1..URINGBLK_MAX_PROGS of
 * them, more is -E2BIG).  res: number of entries written (0 = no more).
 * The device-defined programs are listed too, after the downloaded ones
 * (their ids are URINGBLK_DD_ID_BASE + n), with insn_cnt 0, type
 * URINGBLK_PROG_TYPE_DEVICE and flag URINGBLK_PROG_INFO_F_DEVICE (ABI 1.3).
 */
#define URINGBLK_CMD_PROG_LIST	_IOWR(URINGBLK_IOC_MAGIC, 0x12, struct uringblk_cmd)
/*
 * EXEC: run a program over an LBA range of the drive.
 *   flags:  URINGBLK_EXEC_F_ZONE_WP (zoned drives): grant only the written
 *           part of a zone.  The range must lie inside one zone (else
 *           -EINVAL; -EOPNOTSUPP on a drive that is not zoned) and is cut
 *           at that zone's write pointer as it is when the EXEC is
 *           submitted: ctx->lba_count = min(lba_count, wp - lba_start),
 *           which may be 0 (nothing written there yet; data_len is then 0
 *           and every helper access is out of range).  Data below a write
 *           pointer never change until the zone is reset, so the program
 *           sees exactly what was written before it was submitted.  A
 *           conventional zone is granted whole.  Without the flag, a range
 *           over zones is granted whole and unwritten blocks read as
 *           zeroes.
 *   exec.prog_id (cdw[0]): program id (high 32 bits zero, else -EINVAL)
 *   exec.lba_start (cdw[1]), exec.lba_count (cdw[2]): logical blocks (the
 *           range must lie inside the device and be non-empty, else
 *           -ERANGE)
 *   exec.insn_budget (cdw[3]): 0 = the device default; above the device
 *           maximum: -EINVAL (both in IDENTIFY)
 *   exec.args[0..2] (cdw[4..6]): ctx->args[0..2] (ctx->args[3] is zero)
 *   addr/len: the reply buffer: a struct uringblk_exec_result, then the
 *           program's output buffer (len - sizeof(result) bytes, at most
 *           URINGBLK_MAX_EXEC_OUT).  len below sizeof(result): -EINVAL.
 *   res: r0 if the run completed and r0 <= INT32_MAX; -EOVERFLOW if it
 *        completed with a larger r0 (the result struct has it); or the
 *        -errno that stopped the run (see enum uringblk_prog_abort).  With
 *        IORING_SETUP_CQE32, big_cqe[0] = r0, or the status if the run
 *        stopped or was refused (ABI 1.9; 0 before).
 *   The result struct and the output are written in both cases.
 * Where it runs: a short run (up to the module parameter exec_inline_units
 * budget units, default 16384) ends in the task that issued the EXEC, and
 * its CQE is posted from the issue, as a read's is; a longer one (or one
 * that must wait for the backend: a file-backed drive's data) continues on
 * a kernel worker, so the submitter is never blocked on a scan.  Both
 * paths give the same reply, insns included; stats prog_runs_inline and
 * prog_runs_worker count where runs ended (ABI 1.2).
 * A run goes on when the thread that submitted it (or the io-wq worker
 * that issued it) exits; it stops with -EINTR when the whole process is
 * killed or exits (also the res another process holding the ring reaps:
 * the reply could not be written), and with -ENODEV when the drive is
 * removed.
 * Limits (EXEC and EXECUTE alike): at most max_execs in flight on a drive
 * and max_execs_per_file on one open file of the command device (module
 * parameters and configfs attributes, defaults 256 and 128, at most
 * 4096); one more is -EBUSY, after the words, the reply buffer and the
 * program were checked and before anything is allocated; it may be sent
 * again once a CQE came.  A run's memory (its state, output buffer, writable globals
 * and extent list: up to about 2.6 MiB) is charged to the submitter's
 * memory cgroup: over its memory.max the EXEC is -ENOMEM (the OOM killer
 * is not woken).
 * It sees every write that completed before it was submitted; a write
 * racing with it may be seen in full, in part or not at all.
 */
#define URINGBLK_CMD_EXEC	_IOWR(URINGBLK_IOC_MAGIC, 0x13, struct uringblk_cmd)
#define URINGBLK_EXEC_F_ZONE_WP	(1U << 0)
/*
 * URINGBLK_EXEC_F_EXTENTS (ABI 1.4, identify.features &
 *   URINGBLK_F_EXTENTS): the grant is a list of extents instead of one LBA
 *   range, read through the exec_ext view of the words: exec_ext.ext_addr
 *   (cdw[1]) and exec_ext.nr_ext (cdw[2]) name a struct uringblk_extent[]
 *   (1..identify.max_exec_extents entries, else -EINVAL; more: -E2BIG).
 *   The program sees the extents end to end, in list order, as one
 *   stream of data_len = the sum of their lengths bytes (a file's bytes in
 *   file order, when the library built the list from the file's mapping):
 *   a helper read at stream offset o reads the extent holding o, and a
 *   read that crosses an extent's end continues in the next one, so a
 *   pattern across two extents is found.  lba_start and lba_count in ctx
 *   are 0; block_size is the drive's.  Each extent: len > 0; flags 0 or
 *   URINGBLK_EXTENT_F_ZERO (reads as zeroes: a hole or an unwritten
 *   extent; lba must then be 0); else [lba * block_size, + len) inside the
 *   drive; a bad extent is -ERANGE (out of the drive) or -EINVAL (the
 *   others), and nothing runs.  The stream's length must fit in a __u64
 *   (-EINVAL).  Extents may overlap or repeat (the
 *   program only reads).  Not with URINGBLK_EXEC_F_ZONE_WP (-EINVAL).
 *   Every read follows the read policy of block READs, as EXEC's (an
 *   injected fault is chosen once per EXEC, for the blocks from its
 *   lowest extent to its highest).  Errnos in order: the words and the
 *   list's size, the reply buffer, the program (-ENOENT), then the list:
 *   -EFAULT, or the first bad extent's errno.
 */
#define URINGBLK_EXEC_F_EXTENTS	(1U << 1)

/*
 * PROG_ACTIVATE: the standard's Program Activation Management.
 *   prog_activate.pind (cdw[0]), prog_activate.action (cdw[1]):
 *   URINGBLK_PROG_ACT_ACTIVATE or _DEACTIVATE.  Activating an active
 *   program or deactivating an inactive one succeeds (res 0).  -EDQUOT:
 *   identify.max_active_progs are active; -EBUSY: deactivating while an
 *   EXECUTE of it runs.
 */
#define URINGBLK_CMD_PROG_ACTIVATE _IOWR(URINGBLK_IOC_MAGIC, 0x14, struct uringblk_cmd)
#define URINGBLK_PROG_ACT_DEACTIVATE	0
#define URINGBLK_PROG_ACT_ACTIVATE	1
/*
 * EXECUTE: the standard's Execute Program: run the active program in slot
 *   execute.pind (cdw[0]) over memory range set execute.rsid (cdw[1]).
 *   The program addresses the set directly as memory, read-write: ctx->mem
 *   and ctx->mem_len; its helpers' "granted range" is the same window
 *   (data_len = mem_len; lba_start, lba_count, block_size are 0), so a
 *   program written for EXEC runs unchanged over SLM.
 *   execute.insn_budget (cdw[2]): as EXEC's.
 *   execute.cparam[0..1] (cdw[3..4]): the standard's parameters,
 *   ctx->args[0..1]; execute.arg2 (cdw[5]): ctx->args[2].
 *   execute.data_len (cdw[6], ABI 1.4, URINGBLK_F_EXTENTS): 0 = the whole
 *   set; else 1..set length (else -ERANGE): the window (ctx->mem_len and
 *   data_len) is the set's first data_len bytes, so a file copied into a
 *   set of whole blocks is seen up to its size and not past it.
 *   addr/len: the reply, as EXEC's (struct uringblk_exec_result, then the
 *   output buffer); results larger than the output stay in SLM, where
 *   the program stored them, for a MEM_READ.
 *   res, big_cqe[0]: as EXEC's.  It runs on EXEC's path (inline when
 *   short) and is counted as a run (prog_runs) and in executes.
 */
#define URINGBLK_CMD_EXECUTE	_IOWR(URINGBLK_IOC_MAGIC, 0x15, struct uringblk_cmd)

/*
 * The computational storage model (ABI 1.3)
 * -----------------------------------------
 * The model of NVMe's Computational Programs command set (TP4091) and
 * Subsystem Local Memory command set (SLM, TP4131), with the standard's
 * names; Documentation/uapi/standard-model.md ("What could not be
 * confirmed") says where a detail of the standard could not be confirmed
 * from public sources.
 *
 * Program slots.  Programs live in numbered slots, the standard's program
 * indexes (pind): 1..URINGBLK_MAX_PROGS take downloaded programs
 * (PROG_LOAD), URINGBLK_DD_PIND_BASE.. hold the drive's device-defined
 * programs (identify.nr_dd_progs of them), fixed: loading into or
 * unloading them is -EPERM (Program Index Not Downloadable); they are
 * active when the drive is created and count towards the activation
 * limit (a user may deactivate them).  Every
 * program also has a unique id (struct uringblk_prog_info.id), never
 * reused while the drive exists; EXEC and PROG_UNLOAD name programs by id,
 * PROG_ACTIVATE and EXECUTE by pind.  A program is loaded inactive;
 * EXECUTE runs only active programs (EXEC, the shortcut, runs any).
 *
 * Subsystem local memory (SLM).  identify.slm_size bytes of byte-
 * addressable device memory per drive (configfs slm_size, module
 * parameter slm_size_mb), sparse: a page costs memory once written or
 * mapped by a range set, and reads as zeroes before.  Its contents live as
 * long as the drive (not across power-off of a memory-backed drive).
 *
 * Memory range sets.  A set is a list of (SLM offset, length) ranges,
 * each a non-zero multiple of identify.slm_granularity at a multiple of
 * it, inside SLM, not overlapping each other (sets may overlap each
 * other).  A program run by EXECUTE sees its set as one contiguous window
 * of memory, the ranges end to end in list order (uringblk_prog.h,
 * "ctx->mem").  At most identify.max_range_sets sets per drive and
 * identify.max_set_ranges ranges per set.  Creating a set allocates the
 * SLM pages it covers.
 *
 * Who may: PROG_ACTIVATE needs CAP_SYS_ADMIN, as PROG_LOAD does;
 * MEM_WRITE, MEM_COPY, RANGE_SET_CREATE/DELETE and EXECUTE change device
 * memory and need a command device opened for writing (else -EBADF);
 * MEM_READ needs an open command device, as reading the block device does.
 *
 * Statuses: each refusal has the standard's status (NVMe command specific
 * status values, SCT 1h: Invalid Program Index 8Fh, No Program 96h,
 * Program In Use 99h, ...) in big_cqe[0] and the errno driver/status.c
 * gives it in cqe->res: "Command statuses" below, and
 * Documentation/uapi/statuses.md for the list.
 * The standard's opcodes, for reference: Load Program 85h, Program
 * Activation Management 88h, Memory Range Set Management 89h (admin);
 * Execute Program 01h (Computational Programs I/O); Memory Copy 01h,
 * Memory Read 02h, Memory Write 05h (SLM I/O; these four known from one
 * open implementation only, see Documentation/uapi/standard-model.md).
 */

/*
 * Command statuses (ABI 1.9)
 * --------------------------
 * A failed command (cqe->res < 0) on a ring set up with IORING_SETUP_CQE32
 * has its status in cqe->big_cqe[0]: an NVMe status as the Linux NVMe
 * passthrough interface reports one, Status Code Type in bits 10:8 and
 * Status Code in bits 7:0 (the CQE's Status Field without the phase, DNR
 * and More bits).  cqe->res is the errno the driver gives that status
 * (one table, driver/status.c; Documentation/uapi/statuses.md lists it).
 * A failure no standard names a status for has the generic status of its
 * errno (-EINVAL Invalid Field in Command, -EFAULT Data Transfer Error,
 * -ENOMEM Internal Error, ...).
 * enum uringblk_status names every status the drive sends on either face:
 * the NVMe face (Documentation/dev/nvme-passthrough.md) answers these
 * values in its CQEs, those marked "NVMe front end only" never reach the
 * command device.  Values are those of the kernel's <linux/nvme.h>
 * (NVME_SC_*) where it has them; tests/docs/check-nvme-statuses.sh fails
 * when the driver can send a status this enum does not name.  One exception: EXEC's and EXECUTE's
 * -EOVERFLOW (the run completed, r0 above INT32_MAX) keeps r0 in
 * big_cqe[0].  Status 0 on failure: a driver before ABI 1.9.
 */
#define URINGBLK_SCT_GENERIC	0x0
#define URINGBLK_SCT_CMD	0x1	/* command specific */
#define URINGBLK_SCT_MEDIA	0x2	/* media and data integrity errors */
#define URINGBLK_SCT_VENDOR	0x7	/* vendor specific */
#define URINGBLK_SC_SCT(st)	(((st) >> 8) & 0x7)
#define URINGBLK_SC_SC(st)	((st) & 0xff)

enum uringblk_status {
	/* generic (SCT 0h) */
	URINGBLK_SC_SUCCESS			= 0x000,
	URINGBLK_SC_INVALID_OPCODE		= 0x001,
	URINGBLK_SC_INVALID_FIELD		= 0x002,
	URINGBLK_SC_DATA_XFER_ERROR		= 0x004,
	URINGBLK_SC_INTERNAL			= 0x006,
	URINGBLK_SC_ABORT_REQ			= 0x007,
	URINGBLK_SC_INVALID_NS			= 0x00b,	/* NVMe front end only */
	URINGBLK_SC_CMD_SEQ_ERROR		= 0x00c,	/* NVMe front end only */
	URINGBLK_SC_SGL_INVALID_DATA		= 0x00f,	/* NVMe front end only */
	URINGBLK_SC_NS_WRITE_PROTECTED		= 0x020,
	URINGBLK_SC_INVALID_IO_CMD_SET		= 0x02c,	/* NVMe front end only */
	/*
	 * generic (SCT 0h), codes 80h-BFh: the command set's own.  NVM and
	 * ZNS (and the command device) use these ...
	 */
	URINGBLK_SC_LBA_RANGE			= 0x080,
	URINGBLK_SC_CAP_EXCEEDED		= 0x081,	/* NVMe front end only */
	URINGBLK_SC_NS_NOT_READY		= 0x082,
	/* ... and the Key Value command set these (NVMe front end only) */
	URINGBLK_SC_KV_INVALID_VALUE_SIZE	= 0x085,
	URINGBLK_SC_KV_INVALID_KEY_SIZE		= 0x086,
	URINGBLK_SC_KV_KEY_NOT_EXIST		= 0x087,
	URINGBLK_SC_KV_UNRECOVERED		= 0x088,
	URINGBLK_SC_KV_KEY_EXISTS		= 0x089,
	/* command specific (SCT 1h): admin commands (NVMe front end only) */
	URINGBLK_SC_ASYNC_LIMIT			= 0x105,
	URINGBLK_SC_INVALID_LOG_PAGE		= 0x109,
	URINGBLK_SC_FEATURE_NOT_SAVEABLE	= 0x10d,
	URINGBLK_SC_FEATURE_NOT_CHANGEABLE	= 0x10e,
	/* command specific (SCT 1h): Computational Programs and SLM */
	URINGBLK_SC_CMD_SIZE_LIMIT		= 0x183,
	URINGBLK_SC_FAST_COPY_NOT_POSSIBLE	= 0x186,	/* NVMe front end only */
	URINGBLK_SC_INSUFFICIENT_PROG_RES	= 0x18a,
	URINGBLK_SC_INVALID_MEM_NS		= 0x18b,	/* NVMe front end only */
	URINGBLK_SC_INVALID_MEM_RANGE_SET	= 0x18c,
	URINGBLK_SC_INVALID_MEM_RANGE_SET_ID	= 0x18d,
	URINGBLK_SC_INVALID_PROG_DATA		= 0x18e,	/* NVMe front end only */
	URINGBLK_SC_INVALID_PROG_INDEX		= 0x18f,
	URINGBLK_SC_INVALID_PROG_TYPE		= 0x190,	/* NVMe front end only */
	URINGBLK_SC_MAX_MEM_RANGES		= 0x191,
	URINGBLK_SC_MAX_MEM_RANGE_SETS		= 0x192,
	URINGBLK_SC_MAX_PROGS_ACTIVATED		= 0x193,
	URINGBLK_SC_MEM_RANGE_SET_IN_USE	= 0x195,
	URINGBLK_SC_NO_PROGRAM			= 0x196,
	URINGBLK_SC_OVERLAPPING_MEM_RANGES	= 0x197,
	URINGBLK_SC_PROG_NOT_ACTIVATED		= 0x198,
	URINGBLK_SC_PROG_IN_USE			= 0x199,
	URINGBLK_SC_PROG_NOT_DOWNLOADABLE	= 0x19a,
	URINGBLK_SC_PROG_TOO_BIG		= 0x19b,
	/* command specific (SCT 1h): Zoned Namespaces */
	URINGBLK_SC_ZONE_BOUNDARY_ERROR		= 0x1b8,
	URINGBLK_SC_ZONE_FULL			= 0x1b9,
	URINGBLK_SC_ZONE_READ_ONLY		= 0x1ba,
	URINGBLK_SC_ZONE_OFFLINE		= 0x1bb,
	URINGBLK_SC_ZONE_INVALID_WRITE		= 0x1bc,
	URINGBLK_SC_ZONE_TOO_MANY_ACTIVE	= 0x1bd,
	URINGBLK_SC_ZONE_TOO_MANY_OPEN		= 0x1be,
	URINGBLK_SC_ZONE_INVALID_TRANSITION	= 0x1bf,
	/* media and data integrity (SCT 2h) */
	URINGBLK_SC_WRITE_FAULT			= 0x280,	/* NVMe front end only */
	URINGBLK_SC_READ_ERROR			= 0x281,
	URINGBLK_SC_COMPARE_FAILED		= 0x285,	/* NVMe front end only */
	URINGBLK_SC_ACCESS_DENIED		= 0x286,
	/*
	 * vendor specific (SCT 7h): a program's run stopped (EXEC, EXECUTE):
	 * 0x7c0 | its enum uringblk_prog_abort code
	 */
	URINGBLK_SC_PROG_ABORT_BUDGET		= 0x7c1,
	URINGBLK_SC_PROG_ABORT_MEM		= 0x7c2,
	URINGBLK_SC_PROG_ABORT_RANGE		= 0x7c3,
	URINGBLK_SC_PROG_ABORT_ARG		= 0x7c4,
	URINGBLK_SC_PROG_ABORT_DEPTH		= 0x7c5,
	/* vendor specific: runs in flight at the drive's or the file's limit */
	URINGBLK_SC_RUNS_LIMIT			= 0x7d0,
};

/*
 * MEM_READ: copy SLM -> host.  mem_rw.slm_off (cdw[0]); addr/len: the
 *   host buffer, 1..identify.max_mem_xfer bytes; [slm_off, +len) inside
 *   SLM.  res: len.  Counted in slm_bytes_to_host (and bytes_to_host).
 * MEM_WRITE: copy host -> SLM, the same words.  Counted in
 *   slm_bytes_from_host.
 */
#define URINGBLK_CMD_MEM_READ	_IOWR(URINGBLK_IOC_MAGIC, 0x30, struct uringblk_cmd)
#define URINGBLK_CMD_MEM_WRITE	_IOWR(URINGBLK_IOC_MAGIC, 0x31, struct uringblk_cmd)
/*
 * MEM_COPY: copy LBA ranges of the drive into SLM, end to end from
 *   mem_copy.slm_off (cdw[0]).  addr/len: mem_copy.nr_ranges (cdw[1],
 *   1..identify.max_set_ranges) struct uringblk_copy_range, len exactly
 *   nr_ranges * sizeof; each range non-empty and inside the drive (a
 *   URINGBLK_COPY_F_ZERO range: slba 0, below); the bytes in all, at most
 *   identify.max_mem_xfer, must fit in SLM from slm_off.  Reads follow
 *   the block device's read policy: unwritten blocks and blocks past a
 *   zone's write pointer read as zeroes, OFFLINE
 *   zones and injected read faults fail the copy with -EIO (SLM then holds
 *   the ranges before the failing one).  res: bytes copied (zero ranges
 *   included: every byte that landed in SLM).  Counted in
 *   slm_bytes_from_media (zero ranges not), never in bytes_to_host: the
 *   data stayed inside the drive.
 */
#define URINGBLK_CMD_MEM_COPY	_IOWR(URINGBLK_IOC_MAGIC, 0x32, struct uringblk_cmd)
/*
 * RANGE_SET_CREATE: addr/len: struct uringblk_mem_range[] (len a non-zero
 *   multiple of its size, at most identify.max_set_ranges of them).
 *   res: the set id (> 0, never reused while the drive exists).
 * RANGE_SET_DELETE: range_set.rsid (cdw[0]); addr/len zero.  res: 0.
 */
#define URINGBLK_CMD_RANGE_SET_CREATE _IOWR(URINGBLK_IOC_MAGIC, 0x33, struct uringblk_cmd)
#define URINGBLK_CMD_RANGE_SET_DELETE _IOWR(URINGBLK_IOC_MAGIC, 0x34, struct uringblk_cmd)

/* one source range of MEM_COPY: the layout of NVMe Copy's format 0 */
struct uringblk_copy_range {
	__u64	slba;		/* first LBA; 0 with URINGBLK_COPY_F_ZERO */
	__u32	nlb;		/* LBAs (not 0's-based as in NVMe: 0 is -EINVAL) */
	__u32	flags;		/* 0 or URINGBLK_COPY_F_ZERO; was rsvd (zero) before ABI 1.4 */
};

/*
 * URINGBLK_COPY_F_ZERO (ABI 1.4): nlb blocks of zeroes instead of a read
 * (a file's hole or unwritten extent): SLM gets zeroes, nothing is read,
 * nothing counts in slm_bytes_from_media.  Other flag bits: -EINVAL.
 */
#define URINGBLK_COPY_F_ZERO	(1U << 0)

/*
 * one extent of an EXEC with URINGBLK_EXEC_F_EXTENTS: len bytes from
 * LBA lba (or zeroes, with URINGBLK_EXTENT_F_ZERO)
 */
struct uringblk_extent {
	__u64	lba;		/* first LBA; 0 with URINGBLK_EXTENT_F_ZERO */
	__u64	len;		/* bytes, > 0; need not be a multiple of the block size */
	__u32	flags;		/* 0 or URINGBLK_EXTENT_F_ZERO */
	__u32	rsvd;		/* zero */
};	/* 24 bytes */
#define URINGBLK_EXTENT_F_ZERO	(1U << 0)

/* one range of a memory range set */
struct uringblk_mem_range {
	__u64	slm_off;	/* multiple of identify.slm_granularity */
	__u64	len;		/* non-zero multiple of identify.slm_granularity */
};

/*
 * Zones (0x20-0x2f)
 * -----------------
 * A zoned drive (identify.features & URINGBLK_F_ZONED; the block device is
 * then a host-managed zoned block device) is cut into zones of
 * identify.zone_size bytes (the last one may be smaller).  The first
 * identify.nr_conv_zones are conventional (written anywhere); the others
 * must be written sequentially at their write pointer, up to their
 * capacity, and are reset to be rewritten.  The model and its rules are the
 * kernel's (null_blk zoned, NVMe ZNS): conditions EMPTY, IMPLICIT/EXPLICIT
 * OPEN, CLOSED, FULL (READ_ONLY and OFFLINE exist in the model: every
 * write-side command to them fails), at most identify.max_open_zones open
 * and identify.max_active_zones open or closed (0 = no limit), and a write
 * that needs to open a zone beyond the open limit first closes an
 * implicitly open zone, as ZBC and ZNS do.
 *
 * Units: every zone command position and length is in logical blocks
 * (LBAs of identify.logical_block_size bytes), like EXEC and NVMe ZNS -
 * not 512-byte sectors as the block device's zone ioctls (blkzone) use.
 *
 * Errors of the zone commands, after the common checks:
 *   -EOPNOTSUPP  the drive is not zoned
 *   -EBADF       ZONE_MGMT or ZONE_APPEND on a command device not opened
 *                for writing (as BLKRESETZONE on the block device)
 *   -ERANGE      the LBA is at or past the end of the drive
 *   -EINVAL      the LBA is not the first LBA of a zone (MGMT, APPEND); an
 *                unknown action; a data length that is zero or not a
 *                multiple of the block size; CLOSE of a zone that is not
 *                open (EMPTY or FULL) - an invalid state transition
 *   -EMEDIUMTYPE MGMT or APPEND on a conventional zone (it has no write
 *                pointer)
 *   -ENOSPC      APPEND to a FULL zone, or bigger than what is left of the
 *                zone's capacity; OPEN of a FULL zone
 *   -E2BIG       APPEND bigger than identify.max_zone_append
 *   -ETOOMANYREFS opening the zone (explicitly, or implicitly by APPEND)
 *                would exceed max_open_zones and no implicitly open zone
 *                can be closed to make room
 *   -EOVERFLOW   activating the zone (EMPTY -> open) would exceed
 *                max_active_zones
 *                (the block layer maps BLK_STS_ZONE_OPEN_RESOURCE and
 *                BLK_STS_ZONE_ACTIVE_RESOURCE to these two as well)
 *   -EROFS       MGMT or APPEND on a READ_ONLY zone
 *   -EIO         any command on an OFFLINE zone
 *   -EFAULT      a user buffer faults
 *   -EBUSY       APPEND while the drive's commands in flight hold its
 *                max_cmd_kb of data buffers (module parameter, configfs)
 *   -ENOMEM      APPEND's buffer over the caller's memory cgroup limit
 * With URINGBLK_F_STATUS, big_cqe[0] tells the zone failures apart by
 * their NVMe ZNS status (Documentation/uapi/statuses.md): Invalid Zone
 * State Transition (CLOSE), Zone Is Offline (-EIO), Zone Boundary Error
 * (EXEC's ZONE_WP range), Zone Is Full, Read Only, Too Many Open/Active
 * Zones; a bad LBA or action is Invalid Field.
 *
 * REPORT_ZONES: describe zones, in LBA order.
 *   report_zones.lba (cdw[0]): the report starts with the zone holding
 *           this LBA (any LBA of the zone will do, as with BLKREPORTZONE)
 *   addr/len: struct uringblk_zone[], len a non-zero multiple of its size,
 *           for at most URINGBLK_MAX_REPORT_ZONES zones (4 MiB; else -E2BIG)
 *   res: number of zones filled: min(len / size, zones from lba on);
 *        0 if lba is at or past the end of the drive (so a loop that
 *        continues at the end of the last zone reported stops there).
 *   Each zone is a consistent snapshot; zones changing during the report
 *   may be seen before or after the change.
 */
#define URINGBLK_CMD_REPORT_ZONES _IOWR(URINGBLK_IOC_MAGIC, 0x20, struct uringblk_cmd)
#define URINGBLK_MAX_REPORT_ZONES	65536	/* zones one REPORT_ZONES may ask for */
/*
 * ZONE_MGMT: change a zone's condition.
 *   zone_mgmt.zone_lba (cdw[0]): first LBA of the zone; 0 for RESET_ALL
 *   zone_mgmt.action (cdw[1]): URINGBLK_ZONE_ACTION_*
 *   addr/len: zero
 *   res: 0.  Resetting an EMPTY zone, opening an EXPLICIT_OPEN one,
 *   closing a CLOSED one and finishing a FULL one succeed and change
 *   nothing.  RESET drops the zone's data (it reads as zeroes); FINISH
 *   keeps what was written and the rest of the zone reads as zeroes.
 *   RESET_ALL resets every non-empty sequential zone that is not READ_ONLY
 *   or OFFLINE.  Blocks at or past a write pointer always read as zeroes.
 */
#define URINGBLK_CMD_ZONE_MGMT	_IOWR(URINGBLK_IOC_MAGIC, 0x21, struct uringblk_cmd)
#define URINGBLK_ZONE_ACTION_RESET	1	/* wp to zone start, EMPTY */
#define URINGBLK_ZONE_ACTION_OPEN	2	/* EXPLICIT_OPEN */
#define URINGBLK_ZONE_ACTION_CLOSE	3	/* CLOSED (EMPTY if nothing written) */
#define URINGBLK_ZONE_ACTION_FINISH	4	/* FULL, wp to zone end */
#define URINGBLK_ZONE_ACTION_RESET_ALL	5	/* every sequential zone */
/*
 * ZONE_APPEND: write data at a zone's write pointer; the drive picks the
 * LBA and says where the data went.
 *   zone_append.zone_lba (cdw[0]): first LBA of the zone
 *   zone_append.lba_out_addr (cdw[1]): user address of a __u64 that
 *           receives the LBA the data was written at (0 = none; then use
 *           CQE32)
 *   addr/len: the data, a non-zero multiple of the block size, at most
 *           identify.max_zone_append bytes
 *   res: 0; with IORING_SETUP_CQE32, big_cqe[0] = the LBA written at.
 *   Appends to one zone from many submitters each land whole at distinct
 *   LBAs, in some order.  The data are copied before the command
 *   completes; like a write on the block device, they are durable after a
 *   flush.  A failed append writes nothing and moves no write pointer.
 */
#define URINGBLK_CMD_ZONE_APPEND _IOWR(URINGBLK_IOC_MAGIC, 0x22, struct uringblk_cmd)

/* struct uringblk_zone.type: the values of enum blk_zone_type */
#define URINGBLK_ZONE_TYPE_CONVENTIONAL	0x1
#define URINGBLK_ZONE_TYPE_SEQWRITE_REQ	0x2

/* struct uringblk_zone.cond: the values of enum blk_zone_cond */
#define URINGBLK_ZONE_COND_NOT_WP	0x0	/* conventional zone */
#define URINGBLK_ZONE_COND_EMPTY	0x1
#define URINGBLK_ZONE_COND_IMP_OPEN	0x2	/* opened by a write */
#define URINGBLK_ZONE_COND_EXP_OPEN	0x3	/* opened by ZONE_MGMT OPEN */
#define URINGBLK_ZONE_COND_CLOSED	0x4
#define URINGBLK_ZONE_COND_READONLY	0xd
#define URINGBLK_ZONE_COND_FULL		0xe
#define URINGBLK_ZONE_COND_OFFLINE	0xf

/**
 * struct uringblk_zone - one zone (REPORT_ZONES)
 * @start:	first LBA
 * @len:	LBAs in the zone
 * @capacity:	LBAs that can be written, from @start (<= @len)
 * @wp:		write pointer: the next LBA a write must use; @start + @len
 *		for conventional and FULL zones, ~0 for READ_ONLY and
 *		OFFLINE ones
 * @type:	URINGBLK_ZONE_TYPE_*
 * @cond:	URINGBLK_ZONE_COND_*
 * @rsvd0:	zero
 * @write_ops:	writes and appends that landed in the zone since the drive
 *		was created
 * @reset_ops:	RESETs and RESET_ALLs that found the zone not EMPTY: how
 *		often its data were erased
 * @rsvd1:	zero
 */
struct uringblk_zone {
	__u64	start;
	__u64	len;
	__u64	capacity;
	__u64	wp;
	__u8	type;
	__u8	cond;
	__u8	rsvd0[6];
	__u64	write_ops;
	__u64	reset_ops;
	__u64	rsvd1;
};	/* 64 bytes */

#define URINGBLK_MAX_PROGS	64		/* programs per device */
#define URINGBLK_MAX_EXEC_OUT	(1U << 20)	/* program output bytes per EXEC */
#define URINGBLK_MAX_EXEC_EXTENTS (1U << 16)	/* extents per EXEC with F_EXTENTS */

/**
 * struct uringblk_prog_info - one loaded program (PROG_LIST)
 */
struct uringblk_prog_info {
	__u32	id;
	__u32	insn_cnt;		/* 0 for a device-defined program */
	char	name[URINGBLK_PROG_NAME_LEN];
	__u64	runs;			/* EXECs and EXECUTEs started */
	__u32	pind;			/* program index (slot) (ABI 1.3) */
	__u16	type;			/* URINGBLK_PROG_TYPE_* */
	__u16	flags;			/* URINGBLK_PROG_INFO_F_* */
	__u32	globals_len;		/* bytes of global data (.rodata + .data + .bss) */
	__u32	bpf_id;			/* URINGBLK_PROG_TYPE_KBPF: the kernel's BPF program id, else 0 (ABI 1.6) */
	struct uringblk_prog_combine combine;	/* how its results combine (ABI 1.5; was rsvd[2]) */
};

#define URINGBLK_PROG_INFO_F_ACTIVE	(1U << 0)
#define URINGBLK_PROG_INFO_F_DEVICE	(1U << 1)	/* device-defined, fixed */

/*
 * struct uringblk_prog_info.type: the standard's program type (PTYPE).
 * 00h is device-defined; C0h-FFh are vendor specific, and eBPF has no
 * standard code that we could confirm, so uringblk uses C0h for it as
 * the open SPDK implementation of TP4091 does.
 */
#define URINGBLK_PROG_TYPE_DEVICE	0x00	/* device-defined, native code */
#define URINGBLK_PROG_TYPE_EBPF		0xc0	/* eBPF in the drive's interpreter */
/*
 * A kernel BPF program (ABI 1.6): verified and JIT-compiled by the host
 * kernel, run by the drive, calling the drive's kfuncs.  C1h is the next
 * vendor-specific code: no standard or other implementation names one.
 */
#define URINGBLK_PROG_TYPE_KBPF		0xc1

#define URINGBLK_DD_PIND_BASE	0x100		/* first device-defined slot */
#define URINGBLK_MAX_ACTIVE_PROGS 16
#define URINGBLK_DD_ID_BASE	0xffffff00U	/* device-defined ids: BASE + n */

/**
 * struct uringblk_exec_result - how an EXEC went (head of its reply buffer)
 * @r0:		the program's return value (0 if the run stopped early)
 * @error:	0, or the negative errno that stopped the run
 * @abort_code:	enum uringblk_prog_abort
 * @abort_pc:	instruction index where the run stopped (0 if it did not)
 * @out_len:	bytes of program output written after this struct
 * @insns:	budget units the run used (an upper bound of instructions
 *		executed, plus the helpers' work: see "Helpers" in uringblk_prog.h)
 * @bytes_scanned: device bytes the program's helpers read or examined
 */
struct uringblk_exec_result {
	__u64	r0;
	__s32	error;
	__u32	abort_code;
	__u32	abort_pc;
	__u32	rsvd0;
	__u64	out_len;
	__u64	insns;
	__u64	bytes_scanned;
	__u64	rsvd[2];
};

/* identify.features */
#define URINGBLK_F_FLUSH	(1ULL << 0)	/* volatile cache: REQ_OP_FLUSH honoured */
#define URINGBLK_F_FUA		(1ULL << 1)	/* REQ_FUA honoured */
#define URINGBLK_F_DISCARD	(1ULL << 2)	/* discarded blocks read back as zeroes */
#define URINGBLK_F_WRITE_ZEROES	(1ULL << 3)
#define URINGBLK_F_POLL		(1ULL << 4)	/* has poll queues (IOPOLL on the block device) */
#define URINGBLK_F_STATS_RESET	(1ULL << 5)	/* GET_STATS honours URINGBLK_STATS_F_RESET */
#define URINGBLK_F_ZONED	(1ULL << 6)	/* host-managed zoned: zone commands, identify zone_* */
#define URINGBLK_F_COMPUTE	(1ULL << 7)	/* PROG_* and EXEC commands */
#define URINGBLK_F_LATENCY	(1ULL << 8)	/* latency histograms (GET_STATS F_LATENCY) */
#define URINGBLK_F_SLM		(1ULL << 9)	/* SLM, range sets, PROG_ACTIVATE, EXECUTE (ABI 1.3) */
#define URINGBLK_F_EXTENTS	(1ULL << 10)	/* EXEC F_EXTENTS, MEM_COPY F_ZERO, execute.data_len (ABI 1.4) */
#define URINGBLK_F_TIMING	(1ULL << 11)	/* the timing model is on: identify.timing_* (ABI 1.5) */
#define URINGBLK_F_KBPF		(1ULL << 12)	/* kernel-BPF programs: PROG_LOAD F_BPF_FD works now (ABI 1.6; identify.engines) */
#define URINGBLK_F_RECORDS	(1ULL << 13)	/* program helpers 7..9: record split, number parse (ABI 1.7) */
#define URINGBLK_F_VEC_I8	(1ULL << 14)	/* helpers dot_i8, l2sq_i8 (ABI 1.7) */
#define URINGBLK_F_STATUS	(1ULL << 15)	/* a failure's status in big_cqe[0] (ABI 1.9) */
#define URINGBLK_F_BIO		(1ULL << 16)	/* bio-based drive (queue_mode=bio): no blk-mq queues, nr_hw_queues/queue_depth 0 (ABI 1.10) */
#define URINGBLK_F_REC_FILTER	(1ULL << 17)	/* uringblk_rec_parse() flags and conditions (ABI 1.11) */
#define URINGBLK_F_SSD		(1ULL << 18)	/* an SSD model: GET_STATS ssd_* (ABI 1.12) */

/*
 * identify.engines (ABI 1.6): what can run programs on this drive now.  A
 * driver before ABI 1.6 leaves the word zero.
 */
#define URINGBLK_ENGINE_INTERP	(1U << 0)	/* the drive's eBPF interpreter (URINGBLK_PROG_TYPE_EBPF) */
#define URINGBLK_ENGINE_NATIVE	(1U << 1)	/* device-defined native programs (URINGBLK_PROG_TYPE_DEVICE) */
/*
 * the kernel's verifier and JIT (URINGBLK_PROG_TYPE_KBPF): the module's BTF
 * was accepted and its kfuncs are registered
 */
#define URINGBLK_ENGINE_KBPF	(1U << 2)

/* identify.backing */
#define URINGBLK_BACKING_MEM	0	/* sparse in-memory page store */
#define URINGBLK_BACKING_FILE	1	/* a regular file (persistent) */

/**
 * struct uringblk_identify - who the drive is and what it can do
 *
 * All sizes are in bytes unless the name says otherwise; sector = 512 B.
 */
struct uringblk_identify {
	__u16	abi_major;		/* driver's URINGBLK_ABI_MAJOR */
	__u16	abi_minor;		/* driver's URINGBLK_ABI_MINOR */
	__u32	dev_index;		/* N in /dev/uringblkN */
	__u64	features;		/* URINGBLK_F_* */
	__u64	capacity;		/* bytes */
	__u32	logical_block_size;
	__u32	physical_block_size;
	__u32	nr_hw_queues;		/* all hardware queues, poll ones included */
	__u32	nr_poll_queues;		/* of which polled (HCTX_TYPE_POLL) */
	__u32	queue_depth;		/* tags per hardware queue */
	__u32	backing;		/* URINGBLK_BACKING_* */
	__u32	max_hw_sectors;		/* largest read/write, 512 B sectors */
	__u32	max_discard_sectors;
	__u32	max_write_zeroes_sectors;
	__u32	max_reply_len;		/* URINGBLK_MAX_REPLY_LEN (struct replies) */
	char	model[32];		/* NUL-padded ASCII */
	char	firmware_rev[16];	/* driver version, NUL-padded */
	/* programs (all zero if !(features & URINGBLK_F_COMPUTE)) */
	__u32	max_progs;		/* URINGBLK_MAX_PROGS */
	__u32	max_prog_insns;		/* URINGBLK_PROG_MAX_INSNS */
	__u32	max_exec_out;		/* URINGBLK_MAX_EXEC_OUT */
	__u32	prog_stack_size;	/* per frame, URINGBLK_PROG_STACK_SIZE */
	__u64	default_insn_budget;	/* EXEC budget when exec.insn_budget == 0 */
	__u64	max_insn_budget;	/* largest exec.insn_budget accepted */
	/* zones (all zero if !(features & URINGBLK_F_ZONED)) */
	__u64	zone_size;		/* bytes per zone (the last may be smaller) */
	__u64	zone_capacity;		/* writable bytes per sequential zone */
	__u32	nr_zones;		/* all zones, conventional ones included */
	__u32	nr_conv_zones;		/* the first nr_conv_zones are conventional */
	__u32	max_open_zones;		/* 0 = no limit */
	__u32	max_active_zones;	/* 0 = no limit */
	__u32	max_zone_append;	/* largest ZONE_APPEND, bytes */
	__u32	rsvd0;
	/* the computational storage model (ABI 1.3; zero without SLM) */
	__u64	slm_size;		/* bytes of SLM */
	__u32	slm_granularity;	/* range set offsets and lengths: multiples (MRSG) */
	__u32	max_range_sets;		/* per drive (MAXMEMRS) */
	__u32	max_set_ranges;		/* ranges per set, and per MEM_COPY (MAXMEMR) */
	__u32	max_mem_xfer;		/* bytes per MEM_READ/WRITE/COPY */
	__u32	max_active_progs;	/* URINGBLK_MAX_ACTIVE_PROGS (MAXACT) */
	__u32	nr_dd_progs;		/* device-defined programs, pind from URINGBLK_DD_PIND_BASE */
	__u32	max_globals;		/* bytes of a program's global data */
	__u32	max_rw_globals;		/* of which writable (.data + .bss) */
	__u32	max_exec_extents;	/* extents per EXEC with F_EXTENTS (ABI 1.4) */
	__u32	engines;		/* URINGBLK_ENGINE_* available now (ABI 1.6) */
	__u64	rsvd[3];		/* zero; future limits */
	/*
	 * the timing model (ABI 1.5, "The timing model" below): all zero
	 * unless features & URINGBLK_F_TIMING; a parameter of 0 is not
	 * modelled (costs nothing)
	 */
	__u32	timing_link_mbps;	/* host link, per direction, MB/s (10^6 B/s) */
	__u32	timing_link_lat_ns;	/* host link latency, per command */
	__u32	timing_media_read_mbps;	/* media read bandwidth, MB/s */
	__u32	timing_media_write_mbps; /* media write bandwidth, MB/s */
	__u32	timing_media_read_lat_ns; /* per media read */
	__u32	timing_media_write_lat_ns; /* per media write */
	__u32	timing_fw_overhead_ns;	/* firmware overhead, per command */
	__u32	timing_compute_units;	/* programs running at once; 0 = compute not modelled */
	__u32	timing_compute_factor_pct; /* modelled run time = measured x this / 100 */
	__u32	timing_timer_advance_ns; /* held block requests' timers armed up to this early (ABI 1.8) */
};

/**
 * struct uringblk_stats - the drive's counters (also in sysfs)
 *
 * Counters are exact: each completed request is counted once, at
 * completion, by its type (successful ones only; failures count in errors).
 * bytes_to_host counts data the drive moved into host memory on the data
 * path: READ payloads, EXEC and EXECUTE replies (result struct + output)
 * and MEM_READ payloads; the
 * control-plane replies of IDENTIFY/GET_STATS are not counted, so reading
 * the counters does not change them.  in_flight and backing_bytes are
 * gauges, not counters: a reset leaves them alone.
 */
struct uringblk_stats {
	__u64	read_ops;
	__u64	read_bytes;
	__u64	write_ops;
	__u64	write_bytes;
	__u64	flush_ops;
	__u64	discard_ops;
	__u64	discard_bytes;
	__u64	write_zeroes_ops;
	__u64	write_zeroes_bytes;
	__u64	fua_ops;		/* writes carrying REQ_FUA (also in write_ops) */
	__u64	errors;			/* requests completed with an error */
	__u64	in_flight;		/* requests started, not yet completed */
	__u64	bytes_to_host;
	__u64	backing_bytes;		/* memory/file space holding data now (a gauge) */
	/* programs */
	__u64	prog_loads;		/* PROG_LOADs that stored a program */
	__u64	prog_runs;		/* EXECs that started running */
	__u64	prog_aborts_budget;	/* runs stopped: budget used up */
	__u64	prog_aborts_bounds;	/* runs stopped: memory or LBA-range violation */
	__u64	prog_aborts_fault;	/* runs stopped otherwise: bad helper argument, depth, I/O, stopped; or reply unwritable */
	__u64	prog_insns;		/* budget units used by all runs */
	__u64	prog_bytes_scanned;	/* device bytes programs read or examined */
	__u64	prog_bytes_to_host;	/* EXEC replies copied to the host (also in bytes_to_host) */
	/*
	 * zones: operations from the block device and the command device
	 * alike; appends also count in write_ops and write_bytes
	 */
	__u64	zone_resets;		/* RESET and RESET_ALL operations */
	__u64	zone_opens;		/* explicit OPENs */
	__u64	zone_closes;
	__u64	zone_finishes;
	__u64	zone_appends;
	__u64	zone_append_bytes;
	/* fault injection (ABI 1.1; sysfs /sys/block/uringblkN/fault/) */
	__u64	faults_injected;	/* requests and EXECs failed on purpose (also in errors / prog_aborts_fault) */
	__u64	delays_injected;	/* requests delayed on purpose */
	/* where EXECs ran (ABI 1.2): prog_runs = prog_runs_inline + prog_runs_worker */
	__u64	prog_runs_inline;	/* runs that ended in the task that issued the EXEC */
	__u64	prog_runs_worker;	/* runs the driver's worker started, resumed or stopped */
	/* the computational storage model (ABI 1.3) */
	__u64	executes;		/* EXECUTEs that started running (also in prog_runs) */
	__u64	mem_reads;		/* MEM_READs */
	__u64	mem_writes;		/* MEM_WRITEs */
	__u64	mem_copies;		/* MEM_COPYs */
	__u64	slm_bytes_to_host;	/* MEM_READ payloads (also in bytes_to_host) */
	__u64	slm_bytes_from_host;	/* MEM_WRITE payloads */
	__u64	slm_bytes_from_media;	/* MEM_COPY: media -> SLM inside the drive */
	__u64	slm_bytes;		/* SLM memory allocated now (a gauge) */
	/*
	 * the timing model's timers (ABI 1.8): how far from its deadline each
	 * block request held on a timer ended (interrupt queues: poll queues
	 * and commands are not counted), summed
	 */
	__u64	timing_timer_late_ns;	/* after it: the host's timer fired late */
	__u64	timing_early_ns;	/* before it: only with timer_advance_ns */
	/* the timing model (ABI 1.5; all zero while it is off) */
	__u64	timing_held;		/* completions the model held back to their deadline */
	__u64	timing_late;		/* completions whose real work ended after their deadline */
	__u64	timing_late_ns;		/* by how much, summed: the model asks more than the host gives */
	__u64	timing_hurried;		/* completions sent before their deadline: the drive was removed, or the submitter exited */
	__u64	timing_link_wait_ns;	/* time transfers waited for the shared host link */
	__u64	timing_media_wait_ns;	/* time media transfers waited for the media */
	__u64	timing_cu_waits;	/* runs that waited for a free compute unit */
	__u64	timing_cu_wait_ns;	/* how long they waited, summed */
	__u64	timing_cu_run_ns;	/* measured run time of the runs on compute units */
	__u64	timing_cu_model_ns;	/* their modelled run time (measured x compute_factor_pct / 100) */
	/* the KV namespace (ABI 1.10; a kv drive's NVMe Key Value commands, Documentation/dev/nvme-kv.md) */
	__u64	kv_cmds;		/* KV commands the drive decoded */
	__u64	kv_bytes_to_host;	/* Retrieve and List payloads (also in bytes_to_host) */
	__u64	kv_bytes_from_host;	/* values stored */
	/*
	 * the SSD model (ABI 1.12; identify.features & URINGBLK_F_SSD, else
	 * zero; Documentation/dev/ssd-model.md, "Counters"): what the model
	 * did since the drive was made, pages of 4 KiB; resets (F_RESET,
	 * reset_stats) leave them, as the NVMe logs' wear figures read them
	 */
	__u64	ssd_host_pages_written;
	__u64	ssd_host_pages_read;
	__u64	ssd_internal_pages_read;	/* read by the drive itself: EXEC, MEM_COPY */
	__u64	ssd_host_pages_trimmed;		/* deallocated while mapped */
	__u64	ssd_buffer_read_hits;		/* reads served by the write buffer or unmapped */
	/* host pages and GC moves: WAF = ssd_nand_pages_written / ssd_host_pages_written */
	__u64	ssd_nand_pages_written;
	__u64	ssd_nand_pages_padded;		/* slots a FLUSH or FUA programmed without data */
	__u64	ssd_nand_reads;			/* NAND read operations */
	__u64	ssd_nand_programs;		/* NAND program operations (program units) */
	__u64	ssd_gc_runs;			/* lines GC collected */
	__u64	ssd_gc_forced_runs;		/* of those, with the host waiting */
	__u64	ssd_gc_pages_moved;		/* valid pages GC copied */
	__u64	ssd_erases;			/* NAND blocks erased */
	__u64	ssd_ctrl_busy_ns;		/* controller cores' time (ctrl_cores) */
	__u64	ssd_ctrl_compute_ns;		/* of which programs' runs */
	__u64	ssd_die_busy_ns_sum;		/* every die's busy time, summed */
	__u64	ssd_die_busy_ns_max;		/* the busiest die's */
};

/*
 * The timing model (ABI 1.5)
 * ---------------------------
 * Off by default: the drive then runs at whatever speed the host gives.
 * When it is on (identify.features & URINGBLK_F_TIMING), every operation
 * completes no earlier than its modelled deadline (but see Timers below),
 * computed from the parameters in identify.timing_* (configfs attributes
 * of the same names without "timing_", module parameter timing=;
 * Documentation/admin/timing-model.md).  The work itself is done as before; only the completion (the
 * block request's end, the command's CQE) waits, on a timer, never by
 * sleeping in the issue path.  An operation whose real work ends after
 * its deadline completes at once and counts in stats.timing_late: the
 * host could not keep up with the model.
 *
 * Resources.  Each direction of the host link (to the host, from the
 * host) is one transfer resource shared by all queues of the drive, and
 * so is the media: a transfer of b bytes over a resource of rate r
 * occupies it b / r, after the transfers reserved before it (first come,
 * first served: a token bucket in virtual-time form, without a burst).
 * Latencies are delays that overlap freely (many I/Os in flight each pay
 * them at once).  Times, with t the arrival:
 *   READ              t + fw + media_read_lat, then the media for b at
 *                     media_read_mbps, then the link to the host, + link_lat
 *   WRITE, ZONE_APPEND the link from the host, + fw + media_write_lat,
 *                     then the media at media_write_mbps, + link_lat
 *                     (the block layer's zone append and the command
 *                     ZONE_APPEND alike: the same arithmetic over the
 *                     same shared resources)
 *   FLUSH, DISCARD, WRITE_ZEROES, zone management (block requests and
 *                     the command ZONE_MGMT alike): t + fw + link_lat
 *   MEM_READ          t + fw, then the link to the host, + link_lat
 *   MEM_WRITE         the link from the host, + fw + link_lat
 *   MEM_COPY          as a READ of its bytes without the link
 *   EXEC, EXECUTE     t + fw, then a compute unit (below) for the run's
 *                     modelled time, overlapped with the media for the
 *                     bytes an EXEC's helpers read (bytes_scanned; an
 *                     EXECUTE reads SLM, no media), then the link to the
 *                     host for the reply (result struct and output),
 *                     + link_lat
 * Commands: the ones above hold their CQE to the deadline on a timer
 * (the submitter never sleeps in its issue); MEM_*, ZONE_APPEND and
 * ZONE_MGMT are charged only when they succeed (a refused one completes
 * at once).  Not modelled, completing at the host's speed: IDENTIFY,
 * GET_STATS, PROG_LOAD, PROG_UNLOAD, PROG_LIST, PROG_ACTIVATE,
 * RANGE_SET_CREATE/DELETE and REPORT_ZONES (administration and zone
 * metadata: they neither touch the media nor move its data).
 * Compute units.  With timing_compute_units = n > 0 at most n runs
 * (EXEC, EXECUTE) run at once; others wait, first come first served, for
 * a unit to free (so queueing shows in the exec latency histogram).  A
 * run's modelled time is its measured time x timing_compute_factor_pct /
 * 100, during which it holds its unit.  With n = 0 runs are not limited
 * and take the time they take.
 * Timers (ABI 1.8).  A held block request ends from an hrtimer, and a
 * host's timers fire late: in a TCG guest by 30 us to a few hundred us,
 * more the longer the wait (stats.timing_timer_late_ns).  With
 * timing_timer_advance_ns = A > 0 (0 by default) a block request's timer
 * is armed before its deadline by an advance that follows the lateness
 * measured at each firing (up by what it fired late, down by what it
 * fired early, at most 2 us per request, within 0..A), so that held
 * requests end on their deadline at the median rather than always after
 * it (KVM advances its guests' APIC timers the same way).  The price:
 * one may end up to A before its deadline (stats.timing_early_ns); with
 * A = 0 none ever does.  Commands (MEM_*, EXEC, EXECUTE) are never
 * advanced.
 * Changes: the model is part of the drive's configuration: it is set
 * while the drive is powered off, never on a running drive.
 * Removal: operations still waiting for their deadline complete at once;
 * so do the commands of a process that is killed or exits (checked every
 * 100 ms): its ring's teardown waits for them.
 */

/*
 * Latency histograms (ABI 1.1)
 * ----------------------------
 * For each operation type below the drive keeps a histogram of request
 * latencies in nanoseconds, measured by the driver:
 *   block device: from the driver receiving the request (queue_rq) to its
 *     completion (for a poll queue, when ->poll() reaps it);
 *   command device: EXEC from the command's issue to its completion
 *     (the CQE being posted); ZONE_MGMT and ZONE_APPEND over the issue that
 *     executes them (they complete in it), or, held by the timing model,
 *     from their issue to their CQE (the block device's include the model
 *     too).
 * Only successful operations are recorded, each once, so while recording
 * is on a histogram's total moves exactly as its counter in struct
 * uringblk_stats does: read_ops; write_ops - zone_appends; flush_ops;
 * discard_ops; write_zeroes_ops; zone_resets + zone_opens + zone_closes +
 * zone_finishes; zone_appends; prog_runs - prog_aborts_budget -
 * prog_aborts_bounds - prog_aborts_fault (EXECs whose program ran to its
 * end and whose reply was written: what is left of prog_runs, which counts
 * every run that started, once the aborted ones are taken away).
 * Recording is switched per device by
 * /sys/block/uringblkN/uringblk/latency_enable: 0 (off) unless the module
 * parameter latency=1 turned it on at creation.  An operation is
 * recorded if recording was on when the driver received it.  A reset
 * (GET_STATS F_RESET or reset_stats) zeroes the histograms with the
 * counters.
 *
 * Buckets (log-linear): bucket 0 holds [0, 2^MIN_SHIFT) ns; the last
 * bucket, URINGBLK_LAT_NR_BUCKETS - 1, holds [2^MAX_SHIFT ns, infinity);
 * in between, each power of two [2^k, 2^(k+1)) for MIN_SHIFT <= k <
 * MAX_SHIFT is cut into 2^SUB_BITS equal buckets.  For 0 < b < last, with
 * j = b - 1, k = MIN_SHIFT + (j >> SUB_BITS), s = j & (2^SUB_BITS - 1):
 *   lower(b) = (2^SUB_BITS + s) << (k - SUB_BITS)        (inclusive)
 *   upper(b) = lower(b) + (1 << (k - SUB_BITS))           (exclusive)
 * With SUB_BITS = 1 a bucket is at most 50% wider than its lower bound, so
 * a value read as its bucket's midpoint is off by at most 25%.  Clients
 * compute bounds from the fields of struct uringblk_latency_stats, not
 * from these constants.  sysfs shows the same histograms, one file per
 * operation (uringblk/latency_<name>, names below): one line per non-empty
 * bucket, "<lower_ns> <upper_ns> <count>", the last bucket's upper bound
 * printed as 18446744073709551615.
 */
enum uringblk_lat_op {
	URINGBLK_LAT_READ		= 0,	/* "read" */
	URINGBLK_LAT_WRITE		= 1,	/* "write" (not zone appends) */
	URINGBLK_LAT_FLUSH		= 2,	/* "flush" */
	URINGBLK_LAT_DISCARD		= 3,	/* "discard" */
	URINGBLK_LAT_WRITE_ZEROES	= 4,	/* "write_zeroes" */
	URINGBLK_LAT_ZONE_MGMT		= 5,	/* "zone_mgmt": reset, open, close, finish */
	URINGBLK_LAT_ZONE_APPEND	= 6,	/* "zone_append" */
	URINGBLK_LAT_EXEC		= 7,	/* "exec" */
	URINGBLK_LAT_NR_OPS		= 8,
};

#define URINGBLK_LAT_VERSION	1
#define URINGBLK_LAT_MIN_SHIFT	7	/* bucket 0: below 128 ns */
#define URINGBLK_LAT_MAX_SHIFT	35	/* last bucket: 2^35 ns (34.4 s) and more */
#define URINGBLK_LAT_SUB_BITS	1	/* 2 buckets per power of two */
#define URINGBLK_LAT_NR_BUCKETS	\
	(2 + ((URINGBLK_LAT_MAX_SHIFT - URINGBLK_LAT_MIN_SHIFT) << URINGBLK_LAT_SUB_BITS))

/**
 * struct uringblk_latency_stats - the latency histograms (GET_STATS with
 *	URINGBLK_STATS_F_LATENCY)
 * @version:	URINGBLK_LAT_VERSION; another value means another layout
 * @enabled:	1 if recording was on at the snapshot (latency_enable)
 * @nr_ops:	URINGBLK_LAT_NR_OPS: rows of @counts
 * @nr_buckets:	URINGBLK_LAT_NR_BUCKETS: columns of @counts
 * @min_shift:	URINGBLK_LAT_MIN_SHIFT
 * @max_shift:	URINGBLK_LAT_MAX_SHIFT
 * @sub_bits:	URINGBLK_LAT_SUB_BITS
 * @rsvd0:	zero
 * @rsvd1:	zero
 * @sum_ns:	per operation, the sum of all recorded latencies (for means)
 * @counts:	per operation and bucket, the operations recorded
 *
 * Like struct uringblk_stats, a snapshot summed over CPUs: exact for
 * operations that completed before the command was issued.
 */
struct uringblk_latency_stats {
	__u32	version;
	__u32	enabled;
	__u16	nr_ops;
	__u16	nr_buckets;
	__u8	min_shift;
	__u8	max_shift;
	__u8	sub_bits;
	__u8	rsvd0;
	__u64	rsvd1[2];
	__u64	sum_ns[URINGBLK_LAT_NR_OPS];
	__u64	counts[URINGBLK_LAT_NR_OPS][URINGBLK_LAT_NR_BUCKETS];
};	/* 3808 bytes */

#endif /* _UAPI_LINUX_URINGBLK_H */
