/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * liburingblk - userspace access to the uringblk emulated computational
 * storage drive.
 *
 * Two layers:
 *  - a device handle (struct uringblk_dev) with a private io_uring for
 *    synchronous control commands (IDENTIFY, GET_STATS, ...) and the sysfs
 *    counters;
 *  - inline prep helpers that put a uringblk command into an SQE of the
 *    caller's own ring, for asynchronous use next to ordinary I/O.
 *
 * Programs (since 1.1): load eBPF programs into the drive, from
 * instructions or from a clang-built object, list and unload them, and run
 * them over LBA ranges (EXEC).
 *
 * Zones (since 1.2): report zones, reset/open/close/finish them, and
 * append to them with the LBA coming back.
 *
 * Drives (since 1.3): create, remove and list drives at runtime through
 * the driver's configfs interface.
 *
 * Latency (since 1.3): the drive's per-operation latency histograms and
 * percentiles derived from them.
 *
 * Extents (since 1.6, drive ABI 1.4): run a program over a list of
 * extents seen end to end (a file's blocks in file order, holes as zero
 * extents), copy zeroes into SLM (MEM_COPY zero ranges), and cut an
 * EXECUTE's window to a length (a file's size).
 *
 * Kernel-BPF programs (since 1.8): SEC("syscall") programs the host
 * kernel verifies and JIT-compiles, loaded with libbpf and handed to the
 * drive by fd.
 *
 * Queries (since 1.9): a filter/aggregate in a small SQL-like language,
 * compiled into a program for the drive and run on the host too
 * (uringblk_query_*).
 *
 * Every function that can fail returns a negative errno (the liburing
 * convention); uringblk_strerror() explains it in terms of this ABI.
 * A handle is not thread-safe: use one per thread, or serialize calls.
 */
#ifndef LIBURINGBLK_H
#define LIBURINGBLK_H

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <liburing.h>
#include <linux/bpf.h>		/* struct bpf_insn */
#include <linux/uringblk.h>

#ifdef __cplusplus
extern "C" {
#endif

#define URINGBLK_LIB_VERSION_MAJOR	1
#define URINGBLK_LIB_VERSION_MINOR	9

/* Opaque device handle, see uringblk_open(). */
struct uringblk_dev;

/**
 * uringblk_parse_dev() - find the device index in a device name
 * @spec:	"/dev/uringblkN", "/dev/uringblkcN", "uringblkN", "uringblkcN"
 *		or a bare decimal "N"
 * @index:	receives N
 *
 * Pure string parsing: nothing is opened.  N is decimal without sign or
 * leading zeros, as the kernel names the nodes.
 *
 * Return: 0, or -EINVAL if @spec is not one of the forms above.
 */
int uringblk_parse_dev(const char *spec, int *index);

/**
 * uringblk_open() - open a uringblk device
 * @path:	any form uringblk_parse_dev() accepts, or the path of another
 *		node (e.g. a /dev/disk/by-* link) of a uringblk block or
 *		command device, which is resolved through /sys/dev
 * @out:	receives the new handle, to be released with uringblk_close()
 *
 * Opens the command device /dev/uringblkcN read-write (whichever node
 * @path names) and sets up a small private io_uring with
 * IORING_SETUP_SQE128 | IORING_SETUP_CQE32 for the synchronous commands.
 * The block device is not opened; see uringblk_blk_path().
 *
 * Return: 0; -EINVAL if @path is not a device name; -ENODEV if it is a
 * device node that is not uringblk; -ENOENT if a node does not exist;
 * -EACCES; -ENOMEM; or an io_uring setup error.
 */
int uringblk_open(const char *path, struct uringblk_dev **out);

/**
 * uringblk_open_index() - open uringblk device number @index
 * @index:	N of /dev/uringblkN
 * @out:	receives the new handle
 *
 * Return: as uringblk_open(); -EINVAL for a negative @index.
 */
int uringblk_open_index(int index, struct uringblk_dev **out);

/**
 * uringblk_close() - close the command device and free the handle
 * @dev:	handle from uringblk_open(), or NULL (no-op)
 */
void uringblk_close(struct uringblk_dev *dev);

/**
 * uringblk_index() - N of /dev/uringblkN
 * @dev:	open handle
 *
 * Return: the device index.
 */
int uringblk_index(const struct uringblk_dev *dev);

/**
 * uringblk_blk_path() - path of the block device node
 * @dev:	open handle
 *
 * Return: "/dev/uringblkN", valid until uringblk_close().
 */
const char *uringblk_blk_path(const struct uringblk_dev *dev);

/**
 * uringblk_chr_path() - path of the command (character) device node
 * @dev:	open handle
 *
 * Return: "/dev/uringblkcN", valid until uringblk_close().
 */
const char *uringblk_chr_path(const struct uringblk_dev *dev);

/**
 * uringblk_chr_fd() - file descriptor of the open command device
 * @dev:	open handle
 *
 * Use it with the prep helpers below on the caller's own ring.  It stays
 * owned by @dev: do not close it.
 *
 * Return: the descriptor (O_RDWR | O_CLOEXEC).
 */
int uringblk_chr_fd(const struct uringblk_dev *dev);

/**
 * uringblk_sysfs_dir() - the block device's sysfs directory
 * @dev:	open handle
 *
 * The driver's counters are in its "uringblk" subdirectory.
 *
 * Return: "/sys/block/uringblkN", valid until uringblk_close().
 */
const char *uringblk_sysfs_dir(const struct uringblk_dev *dev);

/**
 * uringblk_cmd_init() - fill a command payload
 * @cmd:	payload to fill; every field not set here is zeroed, as the
 *		driver requires of reserved fields and unused command words
 * @flags:	per-command URINGBLK_*_F_* flags
 * @addr:	the command's data buffer, or NULL
 * @len:	its length in bytes
 *
 * Sets abi_major/abi_minor to the version this program was compiled
 * against.  Commands that define command words set them afterwards, by
 * name (cmd->exec.lba_start...: the views in <linux/uringblk.h>).
 */
static inline void uringblk_cmd_init(struct uringblk_cmd *cmd, __u32 flags,
				     void *addr, __u32 len)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->abi_major = URINGBLK_ABI_MAJOR;
	cmd->abi_minor = URINGBLK_ABI_MINOR;
	cmd->flags = flags;
	cmd->addr = (__u64)(unsigned long)addr;
	cmd->len = len;
}

/**
 * uringblk_prep_cmd() - prepare an IORING_OP_URING_CMD SQE for uringblk
 * @sqe:	SQE from io_uring_get_sqe() on a ring set up with
 *		IORING_SETUP_SQE128
 * @fd:		the command device (uringblk_chr_fd()), or a registered
 *		file index if the caller then sets IOSQE_FIXED_FILE
 * @cmd_op:	URINGBLK_CMD_*
 * @cmd:	payload, copied into the SQE (80 bytes at sqe->cmd)
 *
 * The 48-byte SQE header is zeroed apart from opcode, fd and cmd_op, so
 * user_data and sqe->flags must be set after this call.  The payload only
 * fits in a 128-byte SQE: on a ring without IORING_SETUP_SQE128 this
 * overwrites the next SQE slot (and the driver would refuse the command
 * with -EOPNOTSUPP anyway).  liburing 2.3 has no io_uring_prep_uring_cmd(),
 * hence this helper.
 */
static inline void uringblk_prep_cmd(struct io_uring_sqe *sqe, int fd,
				     __u32 cmd_op,
				     const struct uringblk_cmd *cmd)
{
	/* Clears __pad1 and uring_cmd_flags, which io_uring checks too. */
	memset(sqe, 0, offsetof(struct io_uring_sqe, cmd));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = cmd_op;
	memcpy((char *)sqe + offsetof(struct io_uring_sqe, cmd), cmd,
	       sizeof(*cmd));
}

/**
 * uringblk_prep_identify() - prepare URINGBLK_CMD_IDENTIFY
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128
 * @fd:		the command device
 * @buf:	reply buffer; must stay valid until the CQE arrives
 *
 * cqe->res will be the number of bytes filled, or a negative errno.
 */
static inline void uringblk_prep_identify(struct io_uring_sqe *sqe, int fd,
					  struct uringblk_identify *buf)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, 0, buf, sizeof(*buf));
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_IDENTIFY, &cmd);
}

/**
 * uringblk_prep_get_stats() - prepare URINGBLK_CMD_GET_STATS
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128
 * @fd:		the command device
 * @buf:	reply buffer; must stay valid until the CQE arrives
 * @flags:	0 or URINGBLK_STATS_F_RESET (needs CAP_SYS_ADMIN)
 *
 * cqe->res will be the number of bytes filled, or a negative errno.
 */
static inline void uringblk_prep_get_stats(struct io_uring_sqe *sqe, int fd,
					   struct uringblk_stats *buf,
					   unsigned int flags)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, flags, buf, sizeof(*buf));
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_GET_STATS, &cmd);
}

/**
 * uringblk_submit_cmd() - run one command synchronously on @dev's ring
 * @dev:	open handle
 * @cmd_op:	URINGBLK_CMD_*
 * @cmd:	payload (see uringblk_cmd_init()); any buffer it points to
 *		is only accessed until this call returns
 * @res:	if not NULL, receives cqe->res once the command completed
 *		(left untouched if it never reached the driver)
 * @res2:	if not NULL, receives cqe->big_cqe[0], the command's second
 *		result (0 where the command defines none)
 *
 * Sleeps until the command completes; signals do not abort the wait.
 *
 * Return: cqe->res (>= 0, meaning per command) or a negative errno, from
 * the driver or from io_uring if the command could not be submitted.
 */
int uringblk_submit_cmd(struct uringblk_dev *dev, __u32 cmd_op,
			const struct uringblk_cmd *cmd, __s32 *res,
			__u64 *res2);

/**
 * uringblk_identify() - IDENTIFY the drive
 * @dev:	open handle
 * @out:	filled; fields this driver does not know read as zero
 *
 * Return: 0 or a negative errno.
 */
int uringblk_identify(struct uringblk_dev *dev, struct uringblk_identify *out);

/**
 * uringblk_get_stats() - snapshot the counters with GET_STATS
 * @dev:	open handle
 * @out:	filled with one consistent snapshot
 * @flags:	0 or URINGBLK_STATS_F_RESET to zero the counters atomically
 *		with the snapshot (-EPERM without CAP_SYS_ADMIN)
 *
 * Return: 0 or a negative errno.
 */
int uringblk_get_stats(struct uringblk_dev *dev, struct uringblk_stats *out,
		       unsigned int flags);

/**
 * uringblk_stats_sysfs() - read the counters from sysfs
 * @dev:	open handle
 * @out:	filled from <sysfs_dir>/uringblk/<field>
 *
 * Each file is read separately, so unlike uringblk_get_stats() the result
 * is not one atomic snapshot while I/O is running.  A counter whose file
 * does not exist (a driver older than this library) reads as zero.
 *
 * Return: 0; -ENOENT if the device has no uringblk sysfs directory;
 * -EBADMSG if a file does not hold a decimal number; or another negative
 * errno from reading.
 */
int uringblk_stats_sysfs(struct uringblk_dev *dev, struct uringblk_stats *out);

/**
 * uringblk_reset_stats_sysfs() - zero the counters through sysfs
 * @dev:	open handle
 *
 * Writes "1" to <sysfs_dir>/uringblk/reset_stats (root only).
 *
 * Return: 0 or a negative errno (-EACCES when not permitted).
 */
int uringblk_reset_stats_sysfs(struct uringblk_dev *dev);

/**
 * uringblk_stats_field_name() - name of the @i-th counter
 * @i:		0-based index in the order of struct uringblk_stats
 *
 * The names are the struct's field names and the sysfs file names.
 *
 * Return: the name, or NULL when @i is past the last counter.
 */
const char *uringblk_stats_field_name(unsigned int i);

/**
 * uringblk_stats_field() - value of the @i-th counter
 * @stats:	counters
 * @i:		index as for uringblk_stats_field_name()
 *
 * Return: the value, 0 when @i is past the last counter.
 */
__u64 uringblk_stats_field(const struct uringblk_stats *stats, unsigned int i);

/**
 * uringblk_feature_name() - short name of feature bit @bit
 * @bit:	bit number in identify.features (URINGBLK_F_FLUSH is bit 0)
 *
 * Return: e.g. "flush", or NULL for a bit this library does not know.
 */
const char *uringblk_feature_name(unsigned int bit);

/* uringblk_fprint_*() flags */
#define URINGBLK_PRINT_JSON	(1U << 0)	/* JSON object instead of text */

/**
 * uringblk_fprint_identify() - print an IDENTIFY reply
 * @f:		output stream
 * @id:		reply from uringblk_identify()
 * @flags:	0 for aligned "name  value" text, or URINGBLK_PRINT_JSON for
 *		one JSON object holding every field
 *
 * Return: 0, -EINVAL for unknown @flags, or -EIO if writing @f failed.
 */
int uringblk_fprint_identify(FILE *f, const struct uringblk_identify *id,
			     unsigned int flags);

/**
 * uringblk_fprint_stats() - print counters
 * @f:		output stream
 * @stats:	counters
 * @flags:	0 for aligned text (byte counters also in binary units), or
 *		URINGBLK_PRINT_JSON for one JSON object with every counter
 *
 * Return: 0, -EINVAL for unknown @flags, or -EIO if writing @f failed.
 */
int uringblk_fprint_stats(FILE *f, const struct uringblk_stats *stats,
			  unsigned int flags);

/**
 * uringblk_fprint_json_string() - print a string as a JSON string literal
 * @f:		output stream
 * @s:		the string: up to @max bytes, or to its first NUL
 * @max:	its size (the field size for a NUL-padded field such as
 *		identify.model or a program name)
 *
 * Writes the quotes too; a quote or a backslash gets a backslash before
 * it and every byte outside printable ASCII becomes a \u00XX escape, so a
 * corrupt field still makes valid JSON.  The escaping
 * uringblk_fprint_identify() uses (since 1.4).
 */
void uringblk_fprint_json_string(FILE *f, const char *s, size_t max);

/**
 * uringblk_strerror() - explain an error of this library or the driver
 * @err:	errno, negative (as returned) or positive
 *
 * The errnos the driver defines for this ABI get their ABI meaning (e.g.
 * -EPROTO is an ABI major mismatch, -E2BIG a reply length above
 * URINGBLK_MAX_REPLY_LEN); others fall back to strerror().
 *
 * Return: a static string; never NULL.
 */
const char *uringblk_strerror(int err);

/**
 * uringblk_strerror_cmd() - explain an error of one command (since 1.5)
 * @cmd_op:	the URINGBLK_CMD_* that failed
 * @err:	its errno, negative (as returned) or positive
 *
 * For the commands of the computational storage model the errno stands
 * for one status of the standard (uAPI "The computational storage model":
 * e.g. -EBADSLT from RANGE_SET_DELETE is "Invalid Memory Range Set
 * Identifier (8Dh)"); the answer names that status.  Other commands and
 * errnos fall back to uringblk_strerror().
 *
 * Return: a static string; never NULL.
 */
const char *uringblk_strerror_cmd(__u32 cmd_op, int err);

/*
 * Programs (liburingblk 1.1)
 * --------------------------
 * See <linux/uringblk_prog.h> (the program ABI) for what a program is
 * and bpf/README.md for how to write one.
 */

/**
 * uringblk_prog_load() - validate and store a program in the drive
 * @dev:	open handle
 * @insns:	the instructions, as they are to run (bpf-to-bpf calls
 *		already resolved, as uringblk_prog_read_file() leaves them)
 * @cnt:	number of 8-byte instruction slots, 1..URINGBLK_PROG_MAX_INSNS
 * @name:	name shown by PROG_LIST, at most URINGBLK_PROG_NAME_LEN bytes,
 *		or NULL for none
 * @log:	buffer for the drive's validator message ("<reason> at insn
 *		N"), or NULL; set to "" first, so it is a C string whenever
 *		@log_len > 0
 * @log_len:	its size; the drive writes at most 4096 bytes of it
 *
 * Needs CAP_SYS_ADMIN.
 *
 * Return: the program id (> 0); -EINVAL (the validator refused the
 * program: the reason is in @log) or -E2BIG (too long); -EOPNOTSUPP (valid
 * eBPF the drive does not run: maps, kfuncs); -ENOSPC (the drive holds
 * URINGBLK_MAX_PROGS programs); -ENAMETOOLONG (@name too long); -EPERM; or
 * another negative errno.
 */
int uringblk_prog_load(struct uringblk_dev *dev, const struct bpf_insn *insns,
		       unsigned int cnt, const char *name, char *log,
		       size_t log_len);

/**
 * uringblk_prog_budget() - an instruction budget that covers a program
 *	that does at most one loop iteration a byte, over @bytes of data
 * @insns:	the program
 * @cnt:	its instructions (slots)
 * @bytes:	the data's length
 *
 * The VM charges a segment of straight-line code at each taken backward
 * jump, call or exit, at most from its first slot to its last; the
 * budget is the program's longest such segment a byte, plus 8 units a
 * byte for the helpers' work and 1 M for the run's start and end.  For
 * a scan whose loop runs once a byte (or once a record: a record is a
 * byte at least) this covers any data; it is an upper bound, several
 * times what ordinary data take (tests/bpf/query.c checks both).
 *
 * Return: the budget (UINT64_MAX if it does not fit); cap it at
 * identify.max_insn_budget.
 */
__u64 uringblk_prog_budget(const struct bpf_insn *insns, unsigned int cnt,
			   __u64 bytes);

/**
 * uringblk_prog_read_file() - extract a program from a clang-built object
 * @obj_path:	ELF object from `clang -target bpf` (see bpf/README.md)
 * @prog_name:	the function to take among those in SEC("uringblk"), or
 *		NULL if the object has exactly one
 * @insns:	receives the instructions (malloc()ed: free() them)
 * @cnt:	receives their number
 * @name:	if not NULL, receives the function's name, NUL-terminated
 *		and cut to URINGBLK_PROG_NAME_LEN bytes
 * @log:	buffer for the reason of a refusal, or NULL
 * @log_len:	its size
 *
 * Nothing is loaded anywhere, no device is needed: libbpf opens the object
 * (bpf_object__open_file(), which involves no kernel), finds the entry
 * programs and their instructions, and libelf provides what libbpf only
 * applies when it loads into the kernel: the static __noinline functions
 * the program calls are appended after it, each once, and every
 * bpf-to-bpf call is pointed at its copy, as libbpf would do.
 *
 * Refused, with the reason in @log: references to maps, global or static
 * data (.data, .bss, .rodata: string literals and constant tables
 * included; uringblk_prog_read_obj() takes those), externs (kconfig,
 * ksyms), kfunc calls and function pointers (callbacks) - none of them
 * exists on the drive (-EOPNOTSUPP).  Helper
 * ids are not checked here: kernel BPF helpers use the same numbers, so
 * only the drive's validator can tell (it refuses unknown ids).  CO-RE
 * relocations (.BTF.ext) are not applied: uringblk programs have no use
 * for them.
 *
 * libbpf's own messages go to @log too: while this runs, libbpf's print
 * callback is replaced (libbpf_set_print() is process-wide), so do not
 * call it concurrently with other libbpf users.
 *
 * Return: 0; -ENOENT (no such file, or no program of that name);
 * -EINVAL (not a BPF object, no SEC("uringblk") program, several of them
 * and @prog_name NULL, or a malformed call); -EOPNOTSUPP (see above);
 * -ENOMEM; or another negative errno from opening the file.
 */
int uringblk_prog_read_file(const char *obj_path, const char *prog_name,
			    struct bpf_insn **insns, unsigned int *cnt,
			    char *name, char *log, size_t log_len);

/**
 * uringblk_prog_load_file() - load a program from a clang-built object
 * @dev:	open handle
 * @obj_path:	the object, see uringblk_prog_read_file()
 * @prog_name:	function to load, or NULL if the object has only one
 * @log:	reason of a refusal by this library or by the drive's
 *		validator, or NULL
 * @log_len:	its size
 *
 * uringblk_prog_read_obj() and uringblk_prog_load_obj() in one call: a
 * program with global data is loaded with PROG_LOAD F_IMAGE, one without
 * with a plain PROG_LOAD.  The program is named after its function.
 *
 * Return: the program id (> 0) or a negative errno of either.
 */
int uringblk_prog_load_file(struct uringblk_dev *dev, const char *obj_path,
			    const char *prog_name, char *log, size_t log_len);

/*
 * Programs with global data (liburingblk 1.5, ABI 1.3)
 * ----------------------------------------------------
 * A program's .rodata (constants, string literals), .data and .bss
 * become its "globals" region (<linux/uringblk_prog.h>): the loader lays
 * them out and relocates the instructions that use them, and the drive
 * gets the initial image with PROG_LOAD F_IMAGE.  .rodata is read-only;
 * .data and .bss are reset at every run.
 */

/**
 * struct uringblk_prog_obj - a program read from an object file
 * @insns:	the instructions, linked and relocated (malloc()ed)
 * @insn_cnt:	their number
 * @globals:	the initial global data: @rodata_len bytes of .rodata then
 *		@data_len bytes of .data (malloc()ed), NULL if both are 0
 * @rodata_len:	bytes of .rodata sections, laid out 8-byte aligned
 * @data_len:	bytes of .data sections, likewise
 * @bss_len:	bytes of .bss sections (zeroes, not in @globals)
 * @name:	the program's function name, cut to URINGBLK_PROG_NAME_LEN
 */
struct uringblk_prog_obj {
	struct bpf_insn	*insns;
	unsigned int	insn_cnt;
	void		*globals;
	__u32		rodata_len;
	__u32		data_len;
	__u32		bss_len;
	char		name[URINGBLK_PROG_NAME_LEN + 1];
};

/**
 * uringblk_prog_read_obj() - read a program and its global data
 * @obj_path:	ELF object from `clang -target bpf`
 * @prog_name:	the function to take, or NULL if there is only one
 * @po:		filled on success; free with uringblk_prog_obj_free()
 * @log:	buffer for the reason of a refusal, or NULL
 * @log_len:	its size
 *
 * As uringblk_prog_read_file(), but global data is taken: the .rodata*,
 * .data* and .bss* sections the program (and the functions it calls)
 * use are laid out in the globals region, .rodata ones first, then .data
 * ones, then .bss ones, each 8-byte aligned, and every 64-bit immediate
 * load of their addresses becomes URINGBLK_PROG_GLOBAL_ADDR + the place.
 * Still refused (-EOPNOTSUPP): maps (.maps, SEC("maps")), externs,
 * kfuncs, callbacks and global data holding pointers (a section with
 * relocations, e.g. an array of string pointers).
 *
 * Return: as uringblk_prog_read_file().
 */
int uringblk_prog_read_obj(const char *obj_path, const char *prog_name,
			   struct uringblk_prog_obj *po, char *log,
			   size_t log_len);

/**
 * uringblk_prog_obj_free() - free what uringblk_prog_read_obj() filled
 * @po:	the object (NULL is fine); its instructions and global data are
 *	freed and the pointers cleared, so a second call does nothing
 */
void uringblk_prog_obj_free(struct uringblk_prog_obj *po);

/**
 * uringblk_prog_obj_image() - describe @po as a PROG_LOAD F_IMAGE payload
 * @po:		a program read with uringblk_prog_read_obj()
 * @img:	filled; it points into @po, which must outlive its use
 */
void uringblk_prog_obj_image(const struct uringblk_prog_obj *po,
			     struct uringblk_prog_image *img);

/**
 * uringblk_prog_load_image() - load a program with global data
 * @dev:	open handle
 * @img:	instructions and initial global data (struct
 *		uringblk_prog_image in <linux/uringblk.h>)
 * @name:	as for uringblk_prog_load()
 * @log:	as for uringblk_prog_load()
 * @log_len:	its size
 *
 * PROG_LOAD with URINGBLK_PROG_LOAD_F_IMAGE: the drive copies the image;
 * identify.max_globals and max_rw_globals are its limits.
 *
 * Return: as uringblk_prog_load(); -E2BIG also for global data over the
 * drive's limits; -EINVAL from a drive without global data (ABI < 1.3).
 */
int uringblk_prog_load_image(struct uringblk_dev *dev,
			     const struct uringblk_prog_image *img,
			     const char *name, char *log, size_t log_len);

/**
 * uringblk_prog_load_obj() - load what uringblk_prog_read_obj() read
 * @dev:	open handle
 * @po:		the program
 * @log:	as for uringblk_prog_load()
 * @log_len:	its size
 *
 * A plain PROG_LOAD when @po has no global data (so older drives take
 * it), else uringblk_prog_load_image().
 *
 * Return: as uringblk_prog_load_image().
 */
int uringblk_prog_load_obj(struct uringblk_dev *dev,
			   const struct uringblk_prog_obj *po, char *log,
			   size_t log_len);

/**
 * uringblk_prog_load_obj_slot() - uringblk_prog_load_obj() into a chosen slot
 * @dev:	as for uringblk_prog_load_obj()
 * @po:		as for uringblk_prog_load_obj()
 * @log:	as for uringblk_prog_load_obj()
 * @log_len:	as for uringblk_prog_load_obj()
 * @pind:	program index 1..URINGBLK_MAX_PROGS, or 0 for the lowest free one
 *
 * Return: as uringblk_prog_load_slot().
 */
int uringblk_prog_load_obj_slot(struct uringblk_dev *dev,
				const struct uringblk_prog_obj *po, __u32 pind,
				char *log, size_t log_len);

/**
 * uringblk_prog_unload() - remove a program from the drive
 * @dev:	open handle
 * @id:		program id from uringblk_prog_load()
 *
 * Later EXECs of @id fail with -ENOENT.  Needs CAP_SYS_ADMIN.
 *
 * Return: 0, -ENOENT (no such program), -EPERM (no CAP_SYS_ADMIN, or a
 * device-defined program), -EBUSY (the program is active, or a run of it
 * is in flight: deactivate it, let the runs complete, try again) or
 * another negative errno.
 */
int uringblk_prog_unload(struct uringblk_dev *dev, __u32 id);

/**
 * uringblk_prog_list() - the loaded programs, in id order
 * @dev:	open handle
 * @out:	receives up to @max entries
 * @max:	capacity of @out (URINGBLK_MAX_PROGS always suffices)
 *
 * Pages through PROG_LIST (URINGBLK_MAX_PROGS entries per command) until
 * the drive has no more or @out is full.  Programs loaded or unloaded
 * meanwhile may or may not be listed; none is listed twice.
 *
 * Return: number of entries stored, or a negative errno.
 */
int uringblk_prog_list(struct uringblk_dev *dev,
		       struct uringblk_prog_info *out, unsigned int max);

/*
 * Kernel-BPF programs (liburingblk 1.8, ABI 1.6)
 * ----------------------------------------------
 * See PROG_LOAD F_BPF_FD in <linux/uringblk.h> and "Kernel-BPF programs"
 * in <linux/uringblk_prog.h>; bpf/uringblk_kbpf.h is the header for
 * program authors.  Once loaded, they are listed, activated, run (EXEC,
 * EXECUTE) and unloaded like any program.
 */

/**
 * uringblk_prog_load_kbpf() - hand a loaded kernel BPF program to the drive
 * @dev:	open handle
 * @prog_fd:	fd of a BPF_PROG_TYPE_SYSCALL program in the host kernel
 * @name:	name to store, at most URINGBLK_PROG_NAME_LEN bytes, or NULL
 * @pind:	program index 1..URINGBLK_MAX_PROGS, or 0 for the lowest free one
 * @log:	receives the drive's reason when it refuses (may be NULL)
 * @log_len:	its size
 *
 * The drive takes a reference of its own: @prog_fd may be closed after.
 * Needs CAP_SYS_ADMIN.
 *
 * Return: the program id (> 0); -EOPNOTSUPP (no kernel-BPF engine:
 * identify.engines says so; or the program is not JIT-compiled, or uses
 * a callback, a tail call or an fd helper); -EINVAL (not a syscall
 * program, or it reaches beyond the context); -EBADF; the slot errors of
 * uringblk_prog_load_slot(); or another negative errno.
 */
int uringblk_prog_load_kbpf(struct uringblk_dev *dev, int prog_fd,
			    const char *name, __u32 pind, char *log,
			    size_t log_len);

/**
 * uringblk_prog_load_kbpf_file() - load a SEC("syscall") program from an
 *	object into the kernel with libbpf, then into the drive
 * @dev:	open handle
 * @obj_path:	a clang-built BPF object (bpf/kbpf/ has examples)
 * @prog_name:	the function to load, or NULL if the object has only one
 *		SEC("syscall") program
 * @name:	name to store, or NULL for the function's name
 * @pind:	as for uringblk_prog_load_kbpf()
 * @log:	receives the verifier's log when the kernel refuses the
 *		program, or the drive's reason when the drive does
 * @log_len:	its size
 *
 * The object's maps and global data are created by libbpf as usual and
 * live as long as the program.  Needs CAP_BPF and CAP_SYS_ADMIN (libbpf
 * reads the module's BTF to resolve the kfuncs).
 *
 * Return: the program id (> 0); -ENOENT (no such program); -EINVAL (no
 * or several SEC("syscall") programs); libbpf's errno when the kernel
 * refuses it (-EACCES, -EINVAL, -ESRCH for a kfunc it cannot find...);
 * or as uringblk_prog_load_kbpf().
 */
int uringblk_prog_load_kbpf_file(struct uringblk_dev *dev, const char *obj_path,
				 const char *prog_name, const char *name,
				 __u32 pind, char *log, size_t log_len);

/*
 * Program slots and EXECUTE (liburingblk 1.5, ABI 1.3)
 * ----------------------------------------------------
 * See "The computational storage model" in <linux/uringblk.h>.
 */

/**
 * uringblk_prog_load_slot() - uringblk_prog_load() into a chosen slot
 * @dev:	as for uringblk_prog_load()
 * @insns:	as for uringblk_prog_load()
 * @cnt:	as for uringblk_prog_load()
 * @name:	as for uringblk_prog_load()
 * @log:	as for uringblk_prog_load()
 * @log_len:	as for uringblk_prog_load()
 * @pind:	program index, 1..URINGBLK_MAX_PROGS, or 0 for the lowest
 *		free one (what uringblk_prog_load() does)
 *
 * The program is loaded inactive (uringblk_prog_activate()).
 *
 * Return: as uringblk_prog_load(), and -EBUSY (slot taken), -EPERM (a
 * device-defined slot) or -ERANGE (no such slot).
 */
int uringblk_prog_load_slot(struct uringblk_dev *dev, const struct bpf_insn *insns,
			    unsigned int cnt, const char *name, __u32 pind,
			    char *log, size_t log_len);

/**
 * uringblk_prog_find() - look a program up by name
 * @dev:	open handle
 * @name:	the name PROG_LIST shows (device-defined programs included)
 * @out:	receives its entry (pind, id, type, flags...)
 *
 * The first program in id order with that name.
 *
 * Return: 0, -ENOENT (no program of that name), -ENAMETOOLONG, or the
 * errno of PROG_LIST.
 */
int uringblk_prog_find(struct uringblk_dev *dev, const char *name,
		       struct uringblk_prog_info *out);

/**
 * uringblk_prep_prog_activate() - prepare URINGBLK_CMD_PROG_ACTIVATE
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128
 * @fd:		the command device
 * @pind:	program index
 * @action:	URINGBLK_PROG_ACT_ACTIVATE or URINGBLK_PROG_ACT_DEACTIVATE
 */
static inline void uringblk_prep_prog_activate(struct io_uring_sqe *sqe, int fd,
					       __u32 pind, int action)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, 0, NULL, 0);
	cmd.prog_activate.pind = pind;
	cmd.prog_activate.action = (__u64)(__s64)action;
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_PROG_ACTIVATE, &cmd);
}

/**
 * uringblk_prog_activate() - activate or deactivate the program in a slot
 * @dev:	open handle
 * @pind:	program index
 * @activate:	non-zero to activate, 0 to deactivate
 *
 * Needs CAP_SYS_ADMIN.  Activating an active program, or deactivating an
 * inactive one, succeeds.
 *
 * Return: 0; -ERANGE (no such slot), -ENOENT (empty slot), -EDQUOT
 * (identify.max_active_progs are active), -EBUSY (deactivating while an
 * EXECUTE runs it), -EPERM, or another negative errno.
 */
int uringblk_prog_activate(struct uringblk_dev *dev, __u32 pind, int activate);

/**
 * struct uringblk_execute_args - what EXECUTE runs over what (a library
 * struct; the driver sees struct uringblk_execute_cdw)
 * @pind:	program index of an active program
 * @rsid:	memory range set id
 * @budget:	instruction budget, as for EXEC (0 = the default)
 * @cparam:	the standard's two parameters: ctx->args[0..1]
 * @arg2:	ctx->args[2]
 * @data_len:	(since 1.6; drive ABI 1.4, URINGBLK_F_EXTENTS) 0 = the whole
 *		set, else the window is the set's first @data_len bytes
 *		(1..the set's length, else -ERANGE): a file copied into a
 *		set of whole blocks, seen up to its size.  A drive before
 *		ABI 1.4 refuses a non-zero one (-EINVAL)
 *
 * The struct grew in 1.6: a program built against 1.5 headers calls
 * uringblk_execute@LIBURINGBLK_1.5, which reads the 1.5 layout.
 */
struct uringblk_execute_args {
	__u32	pind;
	__u32	rsid;
	__u64	budget;
	__u64	cparam[2];
	__u64	arg2;
	__u64	data_len;
};

/* Fill an EXECUTE command payload from @a. */
static inline void uringblk_execute_cmd_init(struct uringblk_cmd *cmd,
					     const struct uringblk_execute_args *a,
					     void *reply, __u32 reply_len)
{
	uringblk_cmd_init(cmd, 0, reply, reply_len);
	cmd->execute.pind = a->pind;
	cmd->execute.rsid = a->rsid;
	cmd->execute.insn_budget = a->budget;
	cmd->execute.cparam[0] = a->cparam[0];
	cmd->execute.cparam[1] = a->cparam[1];
	cmd->execute.arg2 = a->arg2;
	cmd->execute.data_len = a->data_len;
}

/**
 * uringblk_prep_execute() - prepare URINGBLK_CMD_EXECUTE on the caller's ring
 * @sqe:	as for uringblk_prep_exec()
 * @fd:		as for uringblk_prep_exec()
 * @reply:	as for uringblk_prep_exec()
 * @reply_len:	as for uringblk_prep_exec()
 * @a:		what to run over what (copied)
 *
 * The command device must be open for writing.  cqe->res as EXEC's.
 */
static inline void uringblk_prep_execute(struct io_uring_sqe *sqe, int fd,
					 const struct uringblk_execute_args *a,
					 void *reply, __u32 reply_len)
{
	struct uringblk_cmd cmd;

	uringblk_execute_cmd_init(&cmd, a, reply, reply_len);
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_EXECUTE, &cmd);
}

/**
 * uringblk_execute() - run an active program over a memory range set,
 *	synchronously
 * @dev:	as for uringblk_exec()
 * @res:	as for uringblk_exec()
 * @out:	as for uringblk_exec()
 * @out_len:	as for uringblk_exec()
 * @a:		what to run over what
 *
 * Return: as uringblk_exec(); refusals: -EBADF (the handle is read-only),
 * -ERANGE (no such slot, or @a->data_len past the set), -ENOENT (empty
 * slot), -ENOEXEC (not active), -EBADSLT (no such set), -EINVAL, -ENOMEM.
 */
int uringblk_execute(struct uringblk_dev *dev, const struct uringblk_execute_args *a,
		     struct uringblk_exec_result *res, void *out, size_t out_len);

/**
 * struct uringblk_exec_args - what to run where (a library struct; the
 * driver sees the words uringblk_exec_cmd_init() makes of it, struct
 * uringblk_exec_cdw)
 * @prog_id:	program id from uringblk_prog_load()
 * @flags:	0, or URINGBLK_EXEC_F_ZONE_WP (zoned drives): the range lies
 *		in one zone and the program sees only its written part, up
 *		to the write pointer (ctx->lba_count may become 0).  The
 *		drive refuses unknown bits with -EINVAL
 * @lba_start:	first logical block of the range the program may read
 * @lba_count:	number of logical blocks (> 0, inside the device)
 * @budget:	instruction budget; 0 = identify.default_insn_budget, at most
 *		identify.max_insn_budget.  Each instruction slot costs a unit
 *		and helpers units for the work they do (the program ABI
 *		header's "Helpers"): a 1 GiB uringblk_count_pattern() needs 60 M
 *		(first pattern byte absent) to 2 G units (data that nearly
 *		match everywhere), about 140 M over English-like text, and
 *		256 M more on a file-backed drive
 * @args:	ctx->args[0..2] (ctx->args[3] is always 0)
 */
struct uringblk_exec_args {
	__u32	prog_id;
	__u32	flags;
	__u64	lba_start;
	__u64	lba_count;
	__u64	budget;
	__u64	args[3];
};

/*
 * The bpf/ programs that search for a pattern (count_pattern, grep) take
 * it in args[0..1] as bytes in memory order and its length in args[2].
 */
#define URINGBLK_EXEC_PATTERN_MAX	16

/**
 * uringblk_exec_args_pattern() - pack a search pattern into @a->args
 * @a:		arguments to fill; args[0..2] are overwritten
 * @pat:	pattern bytes
 * @len:	1..URINGBLK_EXEC_PATTERN_MAX
 *
 * The convention of bpf/count_pattern.bpf.c and bpf/grep.bpf.c: byte i of
 * the pattern is byte i of &args[0] (the program reads it in place from
 * its ctx), the rest zero, and args[2] = @len.
 *
 * Return: 0, or -EINVAL for a @len outside 1..URINGBLK_EXEC_PATTERN_MAX.
 */
static inline int uringblk_exec_args_pattern(struct uringblk_exec_args *a,
					     const void *pat, size_t len)
{
	if (!len || len > URINGBLK_EXEC_PATTERN_MAX)
		return -EINVAL;
	memset(a->args, 0, sizeof(a->args));
	memcpy(a->args, pat, len);
	a->args[2] = len;
	return 0;
}

/**
 * uringblk_exec_cmd_init() - fill an EXEC command payload
 * @cmd:	payload to fill
 * @a:		what to run where
 * @reply:	reply buffer: a struct uringblk_exec_result followed by the
 *		program's output space
 * @reply_len:	its size: sizeof(struct uringblk_exec_result) +
 *		output capacity (at most URINGBLK_MAX_EXEC_OUT)
 */
static inline void uringblk_exec_cmd_init(struct uringblk_cmd *cmd,
					  const struct uringblk_exec_args *a,
					  void *reply, __u32 reply_len)
{
	uringblk_cmd_init(cmd, a->flags, reply, reply_len);
	cmd->exec.prog_id = a->prog_id;
	cmd->exec.lba_start = a->lba_start;
	cmd->exec.lba_count = a->lba_count;
	cmd->exec.insn_budget = a->budget;
	cmd->exec.args[0] = a->args[0];
	cmd->exec.args[1] = a->args[1];
	cmd->exec.args[2] = a->args[2];
}

/**
 * uringblk_prep_exec() - prepare URINGBLK_CMD_EXEC on the caller's ring
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128 (add
 *		IORING_SETUP_CQE32 to get the full 64-bit r0 in
 *		cqe->big_cqe[0]; the result struct has it in any case)
 * @fd:		the command device
 * @a:		what to run where (copied: may go away after this call)
 * @reply:	a struct uringblk_exec_result followed by the output space;
 *		8-byte aligned, valid until the CQE arrives.  The output is
 *		at uringblk_exec_reply_out(@reply) - no copy is made
 * @reply_len:	sizeof(struct uringblk_exec_result) + output capacity
 *
 * cqe->res will be r0 (if it completed with r0 <= INT32_MAX), -EOVERFLOW
 * (completed with a larger r0), or a negative errno: the one that stopped
 * the run (the result's abort_code is then set) or why the drive refused
 * the command (the result is then not written).
 */
static inline void uringblk_prep_exec(struct io_uring_sqe *sqe, int fd,
				      const struct uringblk_exec_args *a,
				      void *reply, __u32 reply_len)
{
	struct uringblk_cmd cmd;

	uringblk_exec_cmd_init(&cmd, a, reply, reply_len);
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_EXEC, &cmd);
}

/**
 * uringblk_exec_reply_out() - the output part of an EXEC reply buffer
 * @reply:	reply buffer as passed to uringblk_prep_exec()
 *
 * Return: the first output byte, just after the result struct.
 */
static inline void *uringblk_exec_reply_out(void *reply)
{
	return (char *)reply + sizeof(struct uringblk_exec_result);
}

/**
 * uringblk_exec() - run a program over an LBA range, synchronously
 * @dev:	open handle
 * @a:		what to run where
 * @res:	receives the result struct (zeroed if the drive refused the
 *		command before running anything)
 * @out:	receives the program's output: res->out_len bytes, at most
 *		@out_len; the rest of @out is left alone.  NULL if @out_len
 *		is 0
 * @out_len:	output capacity offered to the program (ctx->out_len);
 *		values above URINGBLK_MAX_EXEC_OUT are cut to it
 *
 * Sleeps until the run is over.  The drive writes the result struct and
 * the output into one reply buffer; with @out_len > 0 that is a buffer
 * kept in @dev, from which the output is then copied to @out (only the
 * bytes the program produced: at most 1 MiB, cheap next to the scan).
 * To avoid the copy, or to run EXECs concurrently, use
 * uringblk_prep_exec() on your own ring.
 *
 * Return: 0 if the run completed (its r0, all 64 bits, is res->r0); the
 * negative errno that stopped the run (res->abort_code says why, see
 * uringblk_prog_abort_name(); res->insns, bytes_scanned and the output
 * so far are valid); or the errno of a refused command: -ENOENT (no such
 * program), -ERANGE (range empty or outside the device), -EINVAL (budget
 * above the maximum, flags), -ENOMEM.
 */
int uringblk_exec(struct uringblk_dev *dev, const struct uringblk_exec_args *a,
		  struct uringblk_exec_result *res, void *out, size_t out_len);

/**
 * uringblk_exec_ext_cmd_init() - fill an EXEC payload over a list of
 *	extents (since 1.6; drive ABI 1.4, URINGBLK_F_EXTENTS)
 * @cmd:	payload to fill
 * @a:		the program, budget, args and flags as for an EXEC over a
 *		range; lba_start and lba_count are not used (the flag
 *		URINGBLK_EXEC_F_EXTENTS is added to a->flags)
 * @ext:	the extents, read by the drive when the command is issued:
 *		valid until the CQE arrives
 * @nr:		1..identify.max_exec_extents
 * @reply:	as for uringblk_exec_cmd_init()
 * @reply_len:	as for uringblk_exec_cmd_init()
 */
static inline void uringblk_exec_ext_cmd_init(struct uringblk_cmd *cmd,
					      const struct uringblk_exec_args *a,
					      const struct uringblk_extent *ext,
					      __u32 nr, void *reply,
					      __u32 reply_len)
{
	uringblk_cmd_init(cmd, a->flags | URINGBLK_EXEC_F_EXTENTS, reply,
			  reply_len);
	cmd->exec_ext.prog_id = a->prog_id;
	cmd->exec_ext.ext_addr = (__u64)(unsigned long)ext;
	cmd->exec_ext.nr_ext = nr;
	cmd->exec_ext.insn_budget = a->budget;
	cmd->exec_ext.args[0] = a->args[0];
	cmd->exec_ext.args[1] = a->args[1];
	cmd->exec_ext.args[2] = a->args[2];
}

/**
 * uringblk_prep_exec_extents() - prepare an EXEC over a list of extents on
 *	the caller's ring (since 1.6)
 * @sqe:	as for uringblk_prep_exec()
 * @fd:		as for uringblk_prep_exec()
 * @reply:	as for uringblk_prep_exec()
 * @reply_len:	as for uringblk_prep_exec()
 * @a:		as for uringblk_exec_ext_cmd_init() (copied)
 * @ext:	@nr extents (struct uringblk_extent: lba, len in bytes, flags
 *		0 or URINGBLK_EXTENT_F_ZERO for zeroes); the program sees
 *		them end to end as one stream of their lengths summed
 *		(ctx->data_len; lba_start and lba_count are 0).  Valid until
 *		the CQE arrives
 * @nr:		1..identify.max_exec_extents
 *
 * cqe->res as for uringblk_prep_exec(); the refusals of the extents are
 * uringblk_exec_extents()'s.
 */
static inline void uringblk_prep_exec_extents(struct io_uring_sqe *sqe, int fd,
					      const struct uringblk_exec_args *a,
					      const struct uringblk_extent *ext,
					      __u32 nr, void *reply,
					      __u32 reply_len)
{
	struct uringblk_cmd cmd;

	uringblk_exec_ext_cmd_init(&cmd, a, ext, nr, reply, reply_len);
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_EXEC, &cmd);
}

/**
 * uringblk_exec_extents() - run a program over a list of extents,
 *	synchronously (since 1.6)
 * @dev:	as for uringblk_exec()
 * @res:	as for uringblk_exec()
 * @out:	as for uringblk_exec()
 * @out_len:	as for uringblk_exec()
 * @a:		program, budget, args, flags (lba_start, lba_count unused)
 * @ext:	the extents, end to end: a file's bytes in file order
 * @nr:		1..identify.max_exec_extents
 *
 * Return: as uringblk_exec(); refusals: -EINVAL (@nr 0, an extent of
 * length 0, unknown extent flags, a zero extent with an LBA, lengths
 * summing past 2^64 - 1, URINGBLK_EXEC_F_ZONE_WP, or a drive before ABI
 * 1.4: check identify.features & URINGBLK_F_EXTENTS), -E2BIG (more than
 * identify.max_exec_extents), -ERANGE (an extent outside the drive),
 * -EFAULT (@ext unreadable), -ENOENT (no such program), -ENOMEM.
 */
int uringblk_exec_extents(struct uringblk_dev *dev,
			  const struct uringblk_exec_args *a,
			  const struct uringblk_extent *ext, unsigned int nr,
			  struct uringblk_exec_result *res, void *out,
			  size_t out_len);

/**
 * uringblk_prog_abort_name() - short name of an enum uringblk_prog_abort
 * @code:	exec result abort_code
 *
 * Return: "ok", "budget", "mem", "range", "arg", "depth", "io" or
 * "stopped"; NULL for a code this library does not know.
 */
const char *uringblk_prog_abort_name(__u32 code);

/*
 * Zones (liburingblk 1.2)
 * -----------------------
 * See "Zones" in <linux/uringblk.h>.  Every position is a logical block
 * (LBA), not a 512-byte sector.  On a drive without URINGBLK_F_ZONED the
 * zone commands fail with -EOPNOTSUPP.
 */

/**
 * uringblk_prep_report_zones() - prepare URINGBLK_CMD_REPORT_ZONES
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128
 * @fd:		the command device
 * @lba:	report from the zone holding this LBA
 * @zones:	receives the zones; valid until the CQE arrives
 * @nr:		capacity of @zones (> 0)
 *
 * cqe->res will be the number of zones filled (0: @lba is past the end),
 * or a negative errno.
 */
static inline void uringblk_prep_report_zones(struct io_uring_sqe *sqe, int fd,
					      __u64 lba,
					      struct uringblk_zone *zones,
					      unsigned int nr)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, 0, zones, nr * sizeof(*zones));
	cmd.report_zones.lba = lba;
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_REPORT_ZONES, &cmd);
}

/**
 * uringblk_prep_zone_mgmt() - prepare URINGBLK_CMD_ZONE_MGMT
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128
 * @fd:		the command device, opened for writing
 * @zone_lba:	first LBA of the zone (0 for URINGBLK_ZONE_ACTION_RESET_ALL)
 * @action:	URINGBLK_ZONE_ACTION_*
 *
 * cqe->res will be 0 or a negative errno.
 */
static inline void uringblk_prep_zone_mgmt(struct io_uring_sqe *sqe, int fd,
					   __u64 zone_lba, unsigned int action)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, 0, NULL, 0);
	cmd.zone_mgmt.zone_lba = zone_lba;
	cmd.zone_mgmt.action = action;
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_ZONE_MGMT, &cmd);
}

/**
 * uringblk_prep_zone_append() - prepare URINGBLK_CMD_ZONE_APPEND
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128 (add
 *		IORING_SETUP_CQE32 to get the LBA in cqe->big_cqe[0])
 * @fd:		the command device, opened for writing
 * @zone_lba:	first LBA of the zone
 * @buf:	the data; valid until the CQE arrives
 * @len:	bytes, a non-zero multiple of the block size, at most
 *		identify.max_zone_append
 * @lba_out:	receives the LBA the data landed at, or NULL (then only
 *		big_cqe[0] has it); valid until the CQE arrives
 *
 * cqe->res will be 0 or a negative errno.
 */
static inline void uringblk_prep_zone_append(struct io_uring_sqe *sqe, int fd,
					     __u64 zone_lba, const void *buf,
					     __u32 len, __u64 *lba_out)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, 0, (void *)buf, len);
	cmd.zone_append.zone_lba = zone_lba;
	cmd.zone_append.lba_out_addr = (__u64)(unsigned long)lba_out;
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_ZONE_APPEND, &cmd);
}

/**
 * uringblk_report_zones() - describe zones, synchronously
 * @dev:	open handle
 * @lba:	start with the zone holding this LBA
 * @zones:	receives up to @nr zones
 * @nr:		capacity of @zones
 *
 * Issues as many REPORT_ZONES as it takes (each for at most
 * URINGBLK_MAX_REPORT_ZONES zones) until @nr zones are filled or the
 * drive ends.
 *
 * Return: number of zones filled (0 if @lba is past the end), or a
 * negative errno (-EOPNOTSUPP: not a zoned drive).
 */
int uringblk_report_zones(struct uringblk_dev *dev, __u64 lba,
			  struct uringblk_zone *zones, unsigned int nr);

/**
 * uringblk_zone_mgmt() - reset, open, close or finish a zone, or reset all
 * @dev:	open handle
 * @zone_lba:	first LBA of the zone (0 for RESET_ALL)
 * @action:	URINGBLK_ZONE_ACTION_*
 *
 * Return: 0 or a negative errno: -EINVAL (not a zone start, unknown
 * action, CLOSE of a zone that is not open), -ERANGE, -EMEDIUMTYPE
 * (conventional zone), -ENOSPC (OPEN of a full zone), -ETOOMANYREFS /
 * -EOVERFLOW (open / active zone limit), -EROFS, -EIO, -EBADF.
 */
int uringblk_zone_mgmt(struct uringblk_dev *dev, __u64 zone_lba,
		       unsigned int action);

/**
 * uringblk_zone_append() - write at a zone's write pointer, synchronously
 * @dev:	open handle
 * @zone_lba:	first LBA of the zone
 * @buf:	the data
 * @len:	bytes, a non-zero multiple of the block size, at most
 *		identify.max_zone_append
 * @lba:	if not NULL, receives the LBA the data landed at
 *
 * Return: 0 or a negative errno: -ENOSPC (zone full, or not enough room
 * left in it), -E2BIG (above the append limit), -EINVAL, -ERANGE,
 * -EMEDIUMTYPE, -ETOOMANYREFS, -EOVERFLOW, -EROFS, -EIO, -EBADF.
 */
int uringblk_zone_append(struct uringblk_dev *dev, __u64 zone_lba,
			 const void *buf, __u32 len, __u64 *lba);

/**
 * uringblk_zone_cond_name() - short name of a zone condition
 * @cond:	URINGBLK_ZONE_COND_*
 *
 * Return: "not_wp", "empty", "imp_open", "exp_open", "closed",
 * "readonly", "full" or "offline" (the names of the sysfs zone table), or
 * NULL for a value this library does not know.
 */
const char *uringblk_zone_cond_name(__u8 cond);

/**
 * uringblk_zone_action_parse() - URINGBLK_ZONE_ACTION_* from its name
 * @name:	"reset", "open", "close", "finish" or "reset_all"
 *
 * Return: the action, or -EINVAL.
 */
int uringblk_zone_action_parse(const char *name);

/*
 * Drives at runtime (liburingblk 1.3)
 * -----------------------------------
 * A drive made at runtime is a configfs item, URINGBLK_CONFIGFS_DIR/NAME,
 * whose attribute files hold its configuration; writing 1 to its "power"
 * attribute creates /dev/uringblkN and /dev/uringblkcN, and "index" then
 * reads N.  The attribute names are the driver's: the subsystem's
 * "features" file lists them, and these functions take any of them as
 * "key=value" (e.g. "capacity_mb=64", "block_size=4096", "zoned=1").
 * Drives made by the nr_devices module parameter are not in configfs:
 * uringblk_list() shows them, only unloading the module removes them.
 *
 * All need root.  Each takes a @msg buffer that receives a one-line reason
 * for a failure (the errno alone cannot say which value was wrong), or ""
 * on success; it may be NULL.
 */

#define URINGBLK_CONFIGFS_DIR	"/sys/kernel/config/uringblk"

/**
 * struct uringblk_drive - a drive or configfs item, from uringblk_list()
 * @name:	configfs item name, or NULL for a drive made by the
 *		nr_devices module parameter
 * @index:	N of /dev/uringblkN; -1 for an item that is not powered on
 * @attrs:	NULL-terminated "key=value" strings, one per readable
 *		attribute file of the item (values without the trailing
 *		newline), sorted by name; NULL for nr_devices drives.
 *		See uringblk_drive_attr()
 */
struct uringblk_drive {
	char	*name;
	int	index;
	char	**attrs;
};

/**
 * uringblk_create() - create and power on a drive
 * @name:	configfs item name: one path component, not "." or ".."
 * @kv:		NULL-terminated "key=value" attributes written in this order
 *		before power-on, or NULL for the driver's defaults (the
 *		module parameters)
 * @index:	if not NULL, receives N of the new /dev/uringblkN
 * @msg:	receives the reason of a failure, or NULL
 * @msg_len:	its size
 *
 * The driver validates the configuration as a whole at power-on; if it
 * refuses, the reason is its "error" attribute where the driver has one,
 * else a pointer to the kernel log.  Whatever fails after the item was
 * made, the item is removed again: a failed call leaves nothing behind.
 *
 * Return: 0; -ENODEV (the module is not loaded or configfs is not
 * mounted: @msg says which and how to fix it); -EEXIST (a drive of that
 * name exists); -EINVAL (a bad @name, an entry not "key=value", a key the
 * driver does not have, named in @msg, or a value the driver refused);
 * -ERANGE (a value too large for its attribute); the errno of a refused
 * power-on (-EINVAL for an invalid configuration, -ENOSPC for no free
 * device index, -ENOMEM...); -EACCES/-EPERM (not root).
 */
int uringblk_create(const char *name, const char *const *kv, int *index,
		    char *msg, size_t msg_len);

/**
 * uringblk_remove() - power off and remove a drive made at runtime
 * @name:	configfs item name, or a device spelling uringblk_parse_dev()
 *		takes ("/dev/uringblkN", "N"...); an item of that exact name
 *		is preferred
 * @msg:	receives the reason of a failure, or NULL
 * @msg_len:	its size
 *
 * Open files of the drive stay valid but fail with -ENODEV (commands) or
 * an I/O error (block I/O); EXECs in flight stop with -ENODEV.
 *
 * Return: 0; -ENOENT (no such drive); -EPERM (the drive was made by the
 * nr_devices module parameter); -ENODEV (module not loaded, configfs not
 * mounted); -EACCES; or another negative errno from configfs.
 */
int uringblk_remove(const char *name, char *msg, size_t msg_len);

/**
 * uringblk_list() - every configfs item and every uringblk drive
 * @drives:	receives a malloc()ed array, released with
 *		uringblk_list_free(); powered drives first by index, then
 *		unpowered items by name
 * @msg:	receives the reason of a failure, or NULL
 * @msg_len:	its size
 *
 * The configfs items with all their attributes, and the drives of
 * /sys/block no powered item accounts for (made by nr_devices).  Without
 * configfs mounted only the latter are listed.  Drives created or removed
 * meanwhile may or may not be listed.
 *
 * Return: the number of entries (0: none, *@drives may then be NULL), or
 * -ENODEV (the module is not loaded), -ENOMEM or another negative errno.
 */
int uringblk_list(struct uringblk_drive **drives, char *msg, size_t msg_len);

/**
 * uringblk_list_free() - release what uringblk_list() returned
 * @drives:	the array, or NULL
 * @nr:		its number of entries
 */
void uringblk_list_free(struct uringblk_drive *drives, int nr);

/**
 * uringblk_drive_attr() - value of one attribute of a listed item
 * @d:		entry of uringblk_list()
 * @key:	attribute name, e.g. "capacity_mb"
 *
 * Return: the value, valid until uringblk_list_free(), or NULL if the
 * item has no such attribute (or @d is an nr_devices drive).
 */
const char *uringblk_drive_attr(const struct uringblk_drive *d,
				const char *key);

/*
 * Latency histograms (liburingblk 1.3)
 * ------------------------------------
 * See "Latency histograms" in <linux/uringblk.h>: per operation type
 * (URINGBLK_LAT_*), a log-linear histogram of latencies in nanoseconds.
 * The functions taking a struct uringblk_latency_stats check that it is a
 * layout this library knows (else -EPROTO).
 */

/**
 * uringblk_get_latency() - snapshot the latency histograms with GET_STATS
 * @dev:	open handle
 * @out:	filled with one snapshot
 * @flags:	0, or URINGBLK_STATS_F_RESET to zero histograms and counters
 *		after the snapshot (-EPERM without CAP_SYS_ADMIN)
 *
 * Return: 0 or a negative errno: -EINVAL (unknown @flags, or a driver
 * older than ABI 1.1, which does not know URINGBLK_STATS_F_LATENCY),
 * -EPROTO (a reply layout this library does not know).
 */
int uringblk_get_latency(struct uringblk_dev *dev,
			 struct uringblk_latency_stats *out, unsigned int flags);

/**
 * uringblk_latency_sysfs() - read the latency histograms from sysfs
 * @dev:	open handle
 * @out:	filled from <sysfs_dir>/uringblk/latency_enable and
 *		latency_<op>; sum_ns[] is 0 (sysfs does not show sums)
 *
 * Each file is read separately: not one snapshot while I/O runs.
 *
 * Return: 0; -EOPNOTSUPP (no latency_enable: a driver older than ABI 1.1);
 * -EBADMSG (a line that is not "<lower> <upper> <count>" of a known
 * bucket); or another negative errno from reading.
 */
int uringblk_latency_sysfs(struct uringblk_dev *dev,
			   struct uringblk_latency_stats *out);

/**
 * uringblk_latency_op_name() - name of operation type @op
 * @op:		URINGBLK_LAT_*
 *
 * Return: "read", "write", "flush", "discard", "write_zeroes",
 * "zone_mgmt", "zone_append" or "exec" (the sysfs file suffixes), or NULL.
 */
const char *uringblk_latency_op_name(unsigned int op);

/**
 * uringblk_latency_bucket() - bounds of bucket @b
 * @lat:	histograms (for their bucket scheme)
 * @b:		0 .. lat->nr_buckets - 1
 * @lo:		if not NULL, the inclusive lower bound, ns
 * @hi:		if not NULL, the exclusive upper bound, ns (UINT64_MAX for
 *		the last, unbounded bucket)
 *
 * Return: 0, -EINVAL (@b out of range), -EPROTO.
 */
int uringblk_latency_bucket(const struct uringblk_latency_stats *lat,
			    unsigned int b, __u64 *lo, __u64 *hi);

/**
 * uringblk_latency_count() - operations recorded for @op
 * @lat:	histograms from uringblk_get_latency() or
 *		uringblk_latency_sysfs()
 * @op:		URINGBLK_LAT_*
 *
 * Return: the sum of the buckets of @op; 0 for an unknown @op or layout.
 */
__u64 uringblk_latency_count(const struct uringblk_latency_stats *lat,
			     unsigned int op);

/**
 * uringblk_latency_percentile() - a quantile of one operation's latencies
 * @lat:	histograms
 * @op:		URINGBLK_LAT_*
 * @q:		0.0 .. 1.0 (0.999 for p99.9)
 * @ns:		receives the estimate, nanoseconds
 *
 * Operations are assumed spread evenly inside their bucket: the estimate
 * is interpolated linearly in the bucket where the running count reaches
 * q * count, so it is never outside that bucket.  q = 0 gives the lower
 * bound of the first non-empty bucket, q = 1 the upper bound of the last;
 * a quantile in the unbounded last bucket gives its lower bound.
 *
 * Return: 0, -EINVAL (bad @op or @q, NULL @ns), -ENODATA (nothing
 * recorded for @op), -EPROTO.
 */
int uringblk_latency_percentile(const struct uringblk_latency_stats *lat,
				unsigned int op, double q, __u64 *ns);

/**
 * uringblk_fprint_latency() - print the histograms' summary
 * @f:		output stream
 * @lat:	histograms
 * @flags:	0: a table, per operation count, mean, p50, p90, p99, p99.9
 *		and the upper bound of the highest non-empty bucket, in
 *		human units; URINGBLK_PRINT_JSON: one JSON object with the
 *		same in nanoseconds plus every non-empty bucket
 *
 * Return: 0, -EINVAL, -EPROTO, or -EIO if writing @f failed.
 */
int uringblk_fprint_latency(FILE *f, const struct uringblk_latency_stats *lat,
			    unsigned int flags);

/*
 * Device memory and memory range sets (liburingblk 1.5)
 * ------------------------------------------------------
 * See "The computational storage model" in <linux/uringblk.h>.  On a
 * drive without URINGBLK_F_SLM every command here fails with -EOPNOTSUPP.
 * MEM_WRITE, MEM_COPY and the range set commands need the command device
 * open for writing (the handle's is).  cqe->res is the value the
 * synchronous calls return.
 */

/**
 * uringblk_prep_mem_read() - prepare URINGBLK_CMD_MEM_READ (SLM -> host)
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128
 * @fd:		the command device
 * @slm_off:	byte offset in the drive's SLM
 * @buf:	receives @len bytes; valid until the CQE arrives
 * @len:	1..identify.max_mem_xfer bytes, inside SLM from @slm_off
 *
 * cqe->res will be @len or a negative errno.
 */
static inline void uringblk_prep_mem_read(struct io_uring_sqe *sqe, int fd,
					  __u64 slm_off, void *buf, __u32 len)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, 0, buf, len);
	cmd.mem_rw.slm_off = slm_off;
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_MEM_READ, &cmd);
}

/**
 * uringblk_prep_mem_write() - prepare URINGBLK_CMD_MEM_WRITE (host -> SLM)
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128
 * @fd:		the command device, opened for writing
 * @slm_off:	byte offset in the drive's SLM
 * @buf:	@len bytes to write; valid until the CQE arrives
 * @len:	1..identify.max_mem_xfer bytes, inside SLM from @slm_off
 *
 * cqe->res will be @len or a negative errno.
 */
static inline void uringblk_prep_mem_write(struct io_uring_sqe *sqe, int fd,
					   __u64 slm_off, const void *buf,
					   __u32 len)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, 0, (void *)buf, len);
	cmd.mem_rw.slm_off = slm_off;
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_MEM_WRITE, &cmd);
}

/**
 * uringblk_prep_mem_copy() - prepare URINGBLK_CMD_MEM_COPY (media -> SLM)
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128
 * @fd:		the command device, opened for writing
 * @slm_off:	where the first range lands in SLM; the others follow it
 * @r:		@nr LBA ranges; valid until the CQE arrives.  A range with
 *		flags URINGBLK_COPY_F_ZERO (since 1.6, drive ABI 1.4) and slba
 *		0 puts nlb blocks of zeroes instead (a file's hole)
 * @nr:		1..identify.max_set_ranges
 *
 * cqe->res will be the bytes copied (zero ranges included) or a negative
 * errno.
 */
static inline void uringblk_prep_mem_copy(struct io_uring_sqe *sqe, int fd,
					  __u64 slm_off,
					  const struct uringblk_copy_range *r,
					  unsigned int nr)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, 0, (void *)r, nr * sizeof(*r));
	cmd.mem_copy.slm_off = slm_off;
	cmd.mem_copy.nr_ranges = nr;
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_MEM_COPY, &cmd);
}

/**
 * uringblk_prep_range_set_create() - prepare URINGBLK_CMD_RANGE_SET_CREATE
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128
 * @fd:		the command device, opened for writing
 * @r:		@nr SLM ranges, each a multiple of identify.slm_granularity;
 *		valid until the CQE arrives
 * @nr:		1..identify.max_set_ranges
 *
 * cqe->res will be the new set's id (> 0) or a negative errno.
 */
static inline void uringblk_prep_range_set_create(struct io_uring_sqe *sqe,
						  int fd,
						  const struct uringblk_mem_range *r,
						  unsigned int nr)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, 0, (void *)r, nr * sizeof(*r));
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_RANGE_SET_CREATE, &cmd);
}

/**
 * uringblk_prep_range_set_delete() - prepare URINGBLK_CMD_RANGE_SET_DELETE
 * @sqe:	SQE of a ring set up with IORING_SETUP_SQE128
 * @fd:		the command device, opened for writing
 * @rsid:	the set's id
 *
 * cqe->res will be 0 or a negative errno.
 */
static inline void uringblk_prep_range_set_delete(struct io_uring_sqe *sqe,
						  int fd, __u32 rsid)
{
	struct uringblk_cmd cmd;

	uringblk_cmd_init(&cmd, 0, NULL, 0);
	cmd.range_set.rsid = rsid;
	uringblk_prep_cmd(sqe, fd, URINGBLK_CMD_RANGE_SET_DELETE, &cmd);
}

/**
 * uringblk_mem_read() - read device memory, synchronously
 * @dev:	open handle
 * @slm_off:	byte offset in SLM
 * @buf:	receives @len bytes
 * @len:	1..identify.max_mem_xfer
 *
 * Return: @len, or a negative errno: -EINVAL (@len 0), -E2BIG (above
 * max_mem_xfer), -ERANGE (outside SLM), -EFAULT, -EOPNOTSUPP (no SLM).
 */
int uringblk_mem_read(struct uringblk_dev *dev, __u64 slm_off, void *buf,
		      __u32 len);

/**
 * uringblk_mem_write() - write device memory, synchronously
 * @dev:	open handle
 * @slm_off:	byte offset in SLM
 * @buf:	@len bytes
 * @len:	1..identify.max_mem_xfer
 *
 * Return: @len, or a negative errno as uringblk_mem_read()'s, and
 * -ENOMEM when the drive cannot allocate the memory.
 */
int uringblk_mem_write(struct uringblk_dev *dev, __u64 slm_off,
		       const void *buf, __u32 len);

/**
 * uringblk_mem_copy() - copy LBA ranges of the drive into SLM, synchronously
 * @dev:	open handle
 * @slm_off:	where the first range lands; the others follow it end to end
 * @r:		the ranges (nlb > 0; flags 0, or URINGBLK_COPY_F_ZERO with
 *		slba 0 for nlb blocks of zeroes: since 1.6, drive ABI 1.4)
 * @nr:		1..identify.max_set_ranges
 *
 * The data never leave the drive.  Reads follow the block device's read
 * policy: unwritten blocks and blocks past a zone's write pointer give
 * zeroes; an OFFLINE zone or an injected read fault fails with -EIO (SLM
 * then holds the ranges before the failing one).  Zero ranges read
 * nothing and are not counted in slm_bytes_from_media.
 *
 * Return: bytes copied (zero ranges included), or a negative errno:
 * -EINVAL (an empty range, an unknown flag, a zero range with an LBA),
 * -ERANGE (an LBA range outside the drive, or the bytes do not fit in
 * SLM), -E2BIG (more than max_set_ranges ranges or max_mem_xfer bytes),
 * -EIO.
 */
int uringblk_mem_copy(struct uringblk_dev *dev, __u64 slm_off,
		      const struct uringblk_copy_range *r, unsigned int nr);

/**
 * uringblk_range_set_create() - create a memory range set, synchronously
 * @dev:	open handle
 * @r:		the ranges: each at and of a multiple of
 *		identify.slm_granularity, inside SLM, none overlapping another
 * @nr:		1..identify.max_set_ranges
 *
 * Return: the set's id (> 0, never reused while the drive exists), or a
 * negative errno: -EINVAL (alignment, empty range, overlapping ranges),
 * -ERANGE (outside SLM), -E2BIG (too many ranges), -ENOSPC
 * (identify.max_range_sets exist), -ENOMEM.
 */
int uringblk_range_set_create(struct uringblk_dev *dev,
			      const struct uringblk_mem_range *r,
			      unsigned int nr);

/**
 * uringblk_range_set_delete() - delete a memory range set, synchronously
 * @dev:	open handle
 * @rsid:	the set
 *
 * The memory keeps its contents; only the set goes.
 *
 * Return: 0, or -EBADSLT (no such set), -EBUSY (an EXECUTE uses it).
 */
int uringblk_range_set_delete(struct uringblk_dev *dev, __u32 rsid);

/*
 * Offload over files (liburingblk 1.6, drive ABI 1.4)
 * ---------------------------------------------------
 * A file on a filesystem that lives on the drive becomes a list of
 * extents (FIEMAP with FIEMAP_FLAG_SYNC: dirty page-cache data is
 * written first), which a program sees end to end as the file's bytes,
 * holes and unwritten extents as zeroes, cut at the file's size.  What
 * cannot be offloaded safely is refused with a message naming the reason.
 * Each run re-checks the file afterwards and returns -ESTALE if it
 * changed (README.md, "Offload over files", says what that guarantees).
 */

/**
 * struct uringblk_file_version - what a file's mapping was taken from
 * @dev:	st_dev of the file
 * @ino:	st_ino
 * @size:	st_size in bytes
 * @mtime_ns:	st_mtim in ns since the epoch
 * @ctime_ns:	st_ctim in ns since the epoch
 * @generation:	FS_IOC_GETVERSION's inode generation, when @has_generation
 * @has_generation: the filesystem answered FS_IOC_GETVERSION
 */
struct uringblk_file_version {
	__u64	dev;
	__u64	ino;
	__u64	size;
	__s64	mtime_ns;
	__s64	ctime_ns;
	__u32	generation;
	__u32	has_generation;
};

/**
 * struct uringblk_file_map - a file mapped onto the drive
 * @fd:		the file, open read-only (for the checks after a run)
 * @ext:	@nr extents in file order: LBAs of the drive (a partition's
 *		offset included), lengths in bytes, URINGBLK_EXTENT_F_ZERO
 *		for holes and unwritten extents; adjacent ones merged; the
 *		last cut at @version.size.  Their lengths sum to the size
 * @nr:		0 for an empty file
 * @block_size:	the drive's logical block size
 * @part_start:	byte offset on the drive of the partition holding the
 *		filesystem (0: the whole drive)
 * @version:	the file as it was when mapped
 * @mapped_ns:	CLOCK_REALTIME at the mapping, ns
 */
struct uringblk_file_map {
	int				fd;
	struct uringblk_extent		*ext;
	unsigned int			nr;
	__u32				block_size;
	__u64				part_start;
	struct uringblk_file_version	version;
	__s64				mapped_ns;
};

/**
 * uringblk_file_drive() - which uringblk drive holds a file
 * @path:	a regular file
 * @index:	receives N of /dev/uringblkN (the whole drive, also when the
 *		filesystem is on a partition of it)
 * @msg:	receives the reason of a refusal
 * @msg_len:	its size
 *
 * A FIFO, socket, device or directory is refused without being opened
 * (and what is opened is opened O_NONBLOCK and checked again).
 *
 * Return: 0; -EINVAL (not a regular file: @msg names its type),
 * -EOPNOTSUPP (btrfs: see uringblk_file_map()), -EXDEV (not on a uringblk
 * drive: @msg names the device and the filesystem type, e.g. tmpfs), or
 * the errno of stat/open.
 */
int uringblk_file_drive(const char *path, int *index, char *msg,
			size_t msg_len);

/**
 * uringblk_file_map() - map a file on the drive to a list of extents
 * @dev:	the drive the file's filesystem lives on
 * @path:	a regular file
 * @map:	receives the mapping; release with uringblk_file_unmap()
 *		(also after a failure: then it holds nothing)
 * @msg:	receives the reason of a refusal or failure, or NULL
 * @msg_len:	its size
 *
 * If the file's mtime or ctime is within 20 ms of now, waits until it is
 * older before mapping (git's "racily clean" rule), so that a write after
 * the mapping changes mtime even on a coarse clock.
 *
 * What FIEMAP means depends on the filesystem (README.md, "Offload over
 * files", Filesystems): ext2/3/4, XFS, btrfs and f2fs are taken, with
 * per-file refusals; journaled ext4 data are checkpointed first (fsync,
 * EXT4_IOC_CHECKPOINT); any other filesystem is refused unless
 * URINGBLK_FILE_UNCONFIRMED=1.  Then the mapping is verified: the first,
 * last and four random data blocks read through the file and through
 * the drive's block device (O_DIRECT) must agree, and zero extents must
 * read as zeros through the file; URINGBLK_FILE_VERIFY=0 skips that.
 *
 * Return: 0; -EOPNOTSUPP with @msg naming the reason for what cannot be
 * offloaded: an extent flagged FIEMAP_EXTENT_UNKNOWN, DELALLOC, ENCODED,
 * DATA_ENCRYPTED, DATA_INLINE, DATA_TAIL or NOT_ALIGNED (or not aligned
 * to the drive's block size), a btrfs file system over several devices,
 * an fscrypt-encrypted file, a file on the XFS realtime device, an f2fs
 * file system over several devices, a filesystem not confirmed;
 * -EPERM (journaled ext4 data or btrfs without CAP_SYS_ADMIN); -ERANGE
 * (a data extent beyond the drive's capacity); -EIO (the verification
 * found the drive's bytes differ from the file's: @msg gives the file
 * offset and LBA); -EXDEV (the file is on another device), -EINVAL (not
 * a regular file: refused without blocking on a FIFO), -EAGAIN (the file
 * kept changing while being mapped), or the errno of
 * open/fstat/FIEMAP/the block device's open (@msg names it).
 */
int uringblk_file_map(struct uringblk_dev *dev, const char *path,
		      struct uringblk_file_map *map, char *msg, size_t msg_len);

/**
 * uringblk_file_unmap() - release a mapping (closes @map->fd)
 * @map:	from uringblk_file_map() (also one it failed to fill), or NULL
 */
void uringblk_file_unmap(struct uringblk_file_map *map);

/**
 * uringblk_file_check() - has the file changed since it was mapped?
 * @dev:	as given to uringblk_file_map()
 * @map:	as given to uringblk_file_map()
 * @msg:	receives what changed
 * @msg_len:	its size
 *
 * fstat, FS_IOC_GETVERSION and FIEMAP (with SYNC) again, compared with
 * @map.  The runs below call it after the run.
 *
 * Return: 0 (same inode, generation, size, mtime, ctime and extents),
 * -ESTALE (@msg says what differs), or an errno of fstat/FIEMAP.
 */
int uringblk_file_check(struct uringblk_dev *dev,
			const struct uringblk_file_map *map, char *msg,
			size_t msg_len);

/**
 * uringblk_file_exec() - run a program over a mapped file (EXEC with
 *	URINGBLK_EXEC_F_EXTENTS), then check the file
 * @dev:	as for uringblk_exec_extents()
 * @a:		as for uringblk_exec_extents()
 * @res:	as for uringblk_exec_extents()
 * @out:	as for uringblk_exec_extents()
 * @out_len:	as for uringblk_exec_extents()
 * @map:	from uringblk_file_map()
 * @msg:	receives the reason of a refusal or of -ESTALE
 * @msg_len:	its size
 *
 * Return: as uringblk_exec_extents(); -ENODATA (an empty file: there is
 * no stream to run over), -E2BIG (more extents than
 * identify.max_exec_extents; @msg says how many); -ESTALE when the run
 * happened (completed or stopped) but the file changed since it was
 * mapped: @res and @out are then of the old blocks and not to be trusted.
 */
int uringblk_file_exec(struct uringblk_dev *dev,
		       const struct uringblk_file_map *map,
		       const struct uringblk_exec_args *a,
		       struct uringblk_exec_result *res, void *out,
		       size_t out_len, char *msg, size_t msg_len);

/**
 * uringblk_file_execute() - the standard's flow over a mapped file: copy
 *	it into SLM, make a range set of it, EXECUTE, delete the set, then
 *	check the file
 * @dev:	as for uringblk_execute()
 * @res:	as for uringblk_execute()
 * @out:	as for uringblk_execute()
 * @out_len:	as for uringblk_execute()
 * @map:	from uringblk_file_map()
 * @slm_off:	where the file lands in SLM: a multiple of
 *		identify.slm_granularity (0 is fine when nobody else uses SLM)
 * @a:		pind, budget, cparam, arg2 (rsid and data_len are the
 *		library's: the new set, and the file's size)
 * @msg:	receives the reason of a refusal or of -ESTALE
 * @msg_len:	its size
 *
 * MEM_COPY in chunks of at most identify.max_set_ranges ranges and
 * identify.max_mem_xfer bytes, holes as URINGBLK_COPY_F_ZERO ranges; one
 * range set [@slm_off, + size rounded up to the SLM granularity); EXECUTE
 * with data_len = the file's size.  SLM from @slm_off on is overwritten.
 *
 * Return: as uringblk_execute(); -ENODATA (an empty file), -EINVAL
 * (@slm_off not aligned), -ERANGE (the file does not fit in SLM from
 * @slm_off), an errno of MEM_COPY or RANGE_SET_CREATE (@msg says which);
 * -ESTALE as for uringblk_file_exec().
 */
int uringblk_file_execute(struct uringblk_dev *dev,
			  const struct uringblk_file_map *map, __u64 slm_off,
			  const struct uringblk_execute_args *a,
			  struct uringblk_exec_result *res, void *out,
			  size_t out_len, char *msg, size_t msg_len);

/*
 * Queries (liburingblk 1.9)
 * -------------------------
 * A filter/aggregate over records, written in a small SQL-like language
 * (README.md, "Queries") and compiled by the library into a program for
 * the drive, so that a user need not write eBPF:
 *
 *   SELECT $9, sum($5:dec2 * $7:dec2), count(*)
 *   WHERE $11 >= date '1994-01-01' AND $7 BETWEEN 0.05 AND 0.07
 *   GROUP BY $9
 *
 * over CSV text (fields by position $N or, with a header line, by name)
 * or fixed-length binary records (FROM binary(reclen=N), fields i32@8,
 * dec2@24, ...).  Numbers are 64-bit integers and fixed-point decimals
 * (the scale is part of the type), dates are yyyymmdd integers: nothing
 * is floating point, on the drive or here.  The same compiled query also
 * runs on the host (uringblk_query_host(), an interpreter of the query
 * tree that shares nothing with the code generator), so that each checks
 * the other.
 */
#define URINGBLK_QUERY_MAX_GROUPS	1024	/* distinct GROUP BY keys */
#define URINGBLK_QUERY_MAX_FIELDS	16	/* distinct fields a query uses */
#define URINGBLK_QUERY_MAX_AGGS		8	/* aggregates in SELECT */
#define URINGBLK_QUERY_MAX_RECLEN	256	/* binary record length */

struct uringblk_query;

/**
 * struct uringblk_query_opts - how to read the data (defaults; a FROM
 *	clause in the query overrides them)
 * @header:	the data's first line (up to its newline or NUL), to resolve
 *		field names, or NULL; only used when the data have a header
 *		(@has_header, or FROM csv(header) in the query): pass it
 *		whenever the data may be CSV.  A name matches a header
 *		field byte for byte (the first of equal ones); an empty
 *		field has no name (use $N), and the empty name is refused
 * @has_header:	the first line of CSV data is a header: skipped, and its
 *		fields name the columns
 * @sep:	CSV field separator; 0 means ','
 * @reclen:	if not 0: binary records of this many bytes (FROM binary)
 * @byte_loop:	CSV: compile to the program that parses a byte at a time
 *		in the interpreter (the reference), not to the one on the
 *		drive's record helpers (the default, ABI 1.7); a query the
 *		helpers cannot serve (a field past the 255th, more than 14
 *		fields) gets the byte loop anyway: uringblk_query_program()
 */
struct uringblk_query_opts {
	const char	*header;
	int		has_header;
	char		sep;
	__u32		reclen;
	int		byte_loop;
};

/**
 * struct uringblk_query_group - one row of a query's result
 * @key:	the GROUP BY key (0 without GROUP BY); a str key holds its
 *		bytes in memory order, NUL-padded
 * @count:	records of the group that passed WHERE
 * @val:	the SELECT list's aggregates, in order, scaled integers
 *		(sum, min, max; count(*) is @count)
 */
struct uringblk_query_group {
	__s64	key;
	__u64	count;
	__s64	val[URINGBLK_QUERY_MAX_AGGS];
};

/**
 * struct uringblk_query_result - what a query found
 * @records:	records seen (CSV: non-empty lines but the header)
 * @matched:	records that passed WHERE
 * @malformed:	records skipped because a field the query uses is missing
 *		or not of its type
 * @trailing:	bytes after the last whole binary record (ignored)
 * @ngroups:	rows in @groups, sorted by key
 * @groups:	the rows
 */
struct uringblk_query_result {
	__u64				records;
	__u64				matched;
	__u64				malformed;
	__u64				trailing;
	unsigned int			ngroups;
	struct uringblk_query_group	*groups;
};

/**
 * uringblk_query_compile() - parse, type-check and compile a query
 * @text:	the query
 * @opts:	defaults for the data format, or NULL (CSV, ',', no header)
 * @q:		receives the query; free with uringblk_query_free()
 * @err:	receives, for a bad query, a message that points at the error:
 *		"query:1:8: unknown function 'summ'", the line (of a line
 *		over 160 bytes, the 60 before the token and 60 from it, cut
 *		ends shown as "..."), and a caret under the offending token
 * @errlen:	its size
 *
 * Any text is safe to compile: nesting is bounded, not by the stack.
 *
 * Return: 0; -EINVAL (a bad query, @err says why and where); -E2BIG (the
 * query is over a limit: more than URINGBLK_QUERY_MAX_FIELDS fields or
 * URINGBLK_QUERY_MAX_AGGS aggregates, more than 512 terms (values,
 * fields and operators), more than 64 levels of '(', NOT or unary '-',
 * expressions more than 8 values deep, or a program over the instruction
 * limit); -ENOMEM.
 */
int uringblk_query_compile(const char *text,
			   const struct uringblk_query_opts *opts,
			   struct uringblk_query **q, char *err, size_t errlen);

/**
 * uringblk_query_free() - free a compiled query
 * @q:	from uringblk_query_compile(), or NULL
 */
void uringblk_query_free(struct uringblk_query *q);

/**
 * uringblk_query_insns() - the program a query compiled to
 * @q:		a compiled query
 * @cnt:	receives the number of instructions
 *
 * The program takes the number of bytes to read in ctx->args[0] (0: all
 * of ctx->data_len), writes its result to the output buffer (at least
 * uringblk_query_out_len() bytes) and returns 0, or 1 when the data had
 * more than URINGBLK_QUERY_MAX_GROUPS groups.  uringblk_query_decode()
 * reads it.  The record-helper program also needs .bss: load it with
 * uringblk_query_image() (uringblk_query_exec() does all of it).
 *
 * Return: the instructions, owned by @q.
 */
const struct bpf_insn *uringblk_query_insns(const struct uringblk_query *q,
					    unsigned int *cnt);

/**
 * uringblk_query_image() - the query's program as PROG_LOAD takes it
 * @q:		a compiled query
 * @img:	filled: its instructions and the .bss it needs (the
 *		record-helper program keeps its rows there; the others have
 *		none), for uringblk_prog_load_image().  It points into @q.
 */
void uringblk_query_image(const struct uringblk_query *q,
			  struct uringblk_prog_image *img);

/**
 * uringblk_query_program() - which program a query compiled to
 * @q:	a compiled query
 *
 * Return: "record helpers", "byte loop" (CSV) or "binary records".
 */
const char *uringblk_query_program(const struct uringblk_query *q);

/**
 * uringblk_query_budget() - an instruction budget that covers the query's
 *	program over @bytes of data: uringblk_prog_budget() of the program
 *	that will run (uringblk_query_program()), so the byte loop of a
 *	query of many fields gets what it needs
 * @q:		a compiled query
 * @bytes:	the data's length
 *
 * Return: the budget; cap it at identify.max_insn_budget.
 */
__u64 uringblk_query_budget(const struct uringblk_query *q, __u64 bytes);

/**
 * uringblk_query_out_len() - output buffer the program needs, bytes
 * @q:	a compiled query
 *
 * Return: the size of the result header plus one entry (16 bytes and 8
 * per aggregate) per group slot: one slot without GROUP BY, the program's
 * fixed table of slots with it.
 */
size_t uringblk_query_out_len(const struct uringblk_query *q);

/**
 * uringblk_query_decode() - the result of a run of the query's program
 * @q:		the query
 * @r0:		the run's result
 * @out:	its output
 * @out_len:	bytes of it
 * @res:	receives the result; free with uringblk_query_result_free()
 * @err:	receives the reason of a failure
 * @errlen:	its size
 *
 * Return: 0; -E2BIG (more than URINGBLK_QUERY_MAX_GROUPS groups);
 * -EPROTO (output not of this query); -ENOMEM.
 */
int uringblk_query_decode(const struct uringblk_query *q, __u64 r0,
			  const void *out, size_t out_len,
			  struct uringblk_query_result *res, char *err,
			  size_t errlen);

/**
 * uringblk_query_host() - run the query on the host, over @len bytes
 * @q:		as for uringblk_query_decode()
 * @res:	as for uringblk_query_decode()
 * @err:	as for uringblk_query_decode()
 * @errlen:	as for uringblk_query_decode()
 * @data:	the data
 * @len:	its length
 *
 * Evaluates the query tree record by record (no program is involved);
 * the result is the program's, byte for byte, by construction of the
 * language's rules (README.md, "Queries").
 *
 * Return: as uringblk_query_decode(), but never -EPROTO.
 */
int uringblk_query_host(const struct uringblk_query *q, const void *data,
			size_t len, struct uringblk_query_result *res,
			char *err, size_t errlen);

/**
 * uringblk_query_exec() - run the query's program on the drive
 * @dev:	open handle
 * @q:		the query
 * @map:	a file mapped with uringblk_file_map(), or NULL to run over
 *		the blocks [@lba, @lba + @count) of the drive
 * @lba:	the first block of the range when @map is NULL
 * @count:	its number of blocks
 * @limit:	bytes to read (0: all; a CSV scan also stops at a NUL byte)
 * @budget:	instruction budget, 0 for the drive's default
 * @res:	as for uringblk_query_decode()
 * @err:	as for uringblk_query_decode()
 * @errlen:	as for uringblk_query_decode()
 * @xres:	if not NULL, receives the EXEC result (insns, bytes scanned)
 *
 * Loads the program, runs it (uringblk_file_exec() or uringblk_exec()),
 * unloads it and decodes the output.  An empty file (@map without
 * extents) runs nothing: its result is that of no records, as
 * uringblk_query_host() gives over 0 bytes (@dev is not used).
 *
 * Return: 0; an errno of load, run (-ETIME: raise @budget) or decode,
 * with @err saying which.
 */
int uringblk_query_exec(struct uringblk_dev *dev, const struct uringblk_query *q,
			const struct uringblk_file_map *map, __u64 lba,
			__u64 count, __u64 limit, __u64 budget,
			struct uringblk_query_result *res,
			struct uringblk_exec_result *xres, char *err,
			size_t errlen);

/**
 * uringblk_query_fprint() - print a result as a table
 * @f:		where to print
 * @q:		the compiled query (it names the columns)
 * @res:	its result
 *
 * Prints a row per group and a column per SELECT item (named by its
 * text), then a "#" line with records, matched, malformed.
 *
 * Return: 0 or -errno of the write.
 */
int uringblk_query_fprint(FILE *f, const struct uringblk_query *q,
			  const struct uringblk_query_result *res);

/**
 * uringblk_query_result_free() - free what a result holds
 * @res:	filled by uringblk_query_decode(), uringblk_query_host() or
 *		uringblk_query_exec(), or NULL; its groups are freed and
 *		@res->ngroups set to 0 (the struct itself is the caller's)
 */
void uringblk_query_result_free(struct uringblk_query_result *res);

/*
 * Int8 vector top-k (liburingblk 1.9, drive ABI 1.7: URINGBLK_F_VEC_I8)
 * ---------------------------------------------------------------------
 * Embeddings are n vectors of dim signed bytes end to end.  The k best
 * for a query: by dot product (higher first) or squared L2 distance
 * (lower first); equal scores: the lower index first.  The drive path and
 * the host path give the same list, byte for byte.
 *
 * The drive path is the standard's model: the vectors are copied once
 * into device memory (SLM) after one page reserved for the query (the
 * copy never crosses the bus), a range set names [query page, vectors];
 * each query is one MEM_WRITE of dim bytes and one EXECUTE of
 * bpf/topk_i8.bpf.o (its request layout: bpf/topk_i8.h), which returns
 * only the k hits.
 */
#define URINGBLK_VEC_DOT	0	/* metric: dot product, higher first */
#define URINGBLK_VEC_L2SQ	1	/* metric: squared L2 distance, lower first */
#define URINGBLK_VEC_DIM_MAX	4096	/* URINGBLK_PROG_VEC_DIM_MAX */
#define URINGBLK_VEC_K_MAX	1024

/** struct uringblk_vec_hit - one result: the output of topk_i8 */
struct uringblk_vec_hit {
	__u64	index;		/* vector number, from 0 */
	__s64	score;		/* dot product, or squared L2 distance */
};

/**
 * struct uringblk_vec_topk - the host path's running top-k
 *
 * Filled by uringblk_vec_topk_init(); the fields are the library's.
 */
struct uringblk_vec_topk {
	const __s8		*query;
	struct uringblk_vec_hit	*hits;	/* k entries, keys until finished */
	__u64			next;	/* index of the next vector added */
	__u32			dim;
	__u32			k;
	__u32			metric;
	__u32			cnt;
};

/**
 * uringblk_vec_topk_init() - start a host top-k
 * @t:		filled
 * @query:	@dim signed bytes, kept by pointer until finished
 * @dim:	1..URINGBLK_VEC_DIM_MAX
 * @k:		1..URINGBLK_VEC_K_MAX
 * @metric:	URINGBLK_VEC_DOT or URINGBLK_VEC_L2SQ
 * @hits:	room for @k hits
 *
 * Return: 0 or -EINVAL.
 */
int uringblk_vec_topk_init(struct uringblk_vec_topk *t, const void *query,
			   __u32 dim, __u32 k, __u32 metric,
			   struct uringblk_vec_hit *hits);

/**
 * uringblk_vec_topk_add() - score vectors into a host top-k
 * @t:		from uringblk_vec_topk_init()
 * @vecs:	@n vectors of t->dim signed bytes each
 * @n:		vectors; they are numbered on from the ones added before
 *
 * Each vector is scored against the query (dot product, or the negated
 * squared L2 distance) and kept if it is among the k best so far.
 */
void uringblk_vec_topk_add(struct uringblk_vec_topk *t, const void *vecs,
			   __u64 n);

/**
 * uringblk_vec_topk_finish() - the hits of a host top-k
 * @t:	from uringblk_vec_topk_init() and uringblk_vec_topk_add()
 *
 * Leaves the hits in t->hits, best first; for URINGBLK_VEC_L2SQ their
 * scores become the squared distances (positive).  A second call changes
 * nothing.
 *
 * Return: the number of hits, min(k, vectors added).
 */
unsigned int uringblk_vec_topk_finish(struct uringblk_vec_topk *t);

/**
 * uringblk_vec_topk_host() - the host path in one call
 * @vecs:	@n vectors of @dim bytes
 * @n:		vectors at @vecs
 * @dim:	as for uringblk_vec_topk_init()
 * @query:	as for uringblk_vec_topk_init()
 * @k:		as for uringblk_vec_topk_init()
 * @metric:	as for uringblk_vec_topk_init()
 * @hits:	as for uringblk_vec_topk_init()
 *
 * Return: the number of hits (min(@k, @n)) or -EINVAL.
 */
int uringblk_vec_topk_host(const void *vecs, __u64 n, __u32 dim,
			   const void *query, __u32 k, __u32 metric,
			   struct uringblk_vec_hit *hits);

/**
 * uringblk_vec_topk_read() - the host path over a file descriptor
 * @t:		from uringblk_vec_topk_init(); the vectors are added to it
 * @fd:		a block device or file, O_DIRECT or not
 * @off:	byte offset of the first vector (a multiple of 4096 for
 *		O_DIRECT)
 * @n:		vectors to read
 * @bytes_read:	receives the bytes read (whole 4 KiB blocks), or NULL
 *
 * Reads as an application would: a few MiB at a time into a page-aligned
 * buffer, each piece scored before the next is read.
 *
 * Return: 0, -EIO at a short read before the vectors' end, or -errno.
 */
int uringblk_vec_topk_read(struct uringblk_vec_topk *t, int fd, __u64 off,
			   __u64 n, __u64 *bytes_read);

/**
 * struct uringblk_vec_store - vectors held in the drive's SLM
 * @slm_off:	the query page; the vectors follow at @slm_off + @vec_off
 * @vec_off:	identify.slm_granularity (the query page)
 * @n:		vectors
 * @dim:	bytes per vector
 * @rsid:	the range set over [query page, vectors]
 */
struct uringblk_vec_store {
	__u64	slm_off;
	__u64	vec_off;
	__u64	n;
	__u32	dim;
	__u32	rsid;
};

/**
 * uringblk_vec_store_lbas() - copy vectors from the drive's blocks to SLM
 * @dev:	open handle (command device open for writing)
 * @slm_off:	where in SLM (a multiple of identify.slm_granularity); the
 *		SLM from there on is overwritten
 * @lba:	first block of the vectors (they start at its first byte)
 * @n:		vectors (>= 1)
 * @dim:	bytes per vector, 1..URINGBLK_VEC_DIM_MAX
 * @s:		filled; release with uringblk_vec_store_free()
 * @msg:	receives the reason of a refusal
 * @msg_len:	its size
 *
 * Return: 0 or -errno: -EOPNOTSUPP (no SLM or no vector helpers), -EINVAL,
 * -ERANGE (past the drive, or does not fit in SLM), MEM_COPY's errnos.
 */
int uringblk_vec_store_lbas(struct uringblk_dev *dev, __u64 slm_off,
			    __u64 lba, __u64 n, __u32 dim,
			    struct uringblk_vec_store *s, char *msg,
			    size_t msg_len);

/**
 * uringblk_vec_store_file() - the same for a file of vectors on the drive
 * @dev:	as for uringblk_vec_store_lbas()
 * @slm_off:	as for uringblk_vec_store_lbas()
 * @dim:	as for uringblk_vec_store_lbas()
 * @s:		as for uringblk_vec_store_lbas()
 * @msg:	as for uringblk_vec_store_lbas()
 * @msg_len:	as for uringblk_vec_store_lbas()
 * @map:	uringblk_file_map() of the file: n * @dim bytes, nothing else
 *		(a size that is not a multiple of @dim is -EINVAL)
 *
 * The file is checked for changes after the copy (-ESTALE).
 */
int uringblk_vec_store_file(struct uringblk_dev *dev,
			    const struct uringblk_file_map *map, __u64 slm_off,
			    __u32 dim, struct uringblk_vec_store *s, char *msg,
			    size_t msg_len);

/**
 * uringblk_vec_store_free() - release a vector store
 * @dev:	open handle
 * @s:		from uringblk_vec_store_lbas() or uringblk_vec_store_file()
 *
 * Deletes the store's range set (uringblk_range_set_delete()); the SLM
 * keeps its bytes.  On success s->rsid becomes 0.
 *
 * Return: 0; -EINVAL (NULL, or a store already freed); or
 * uringblk_range_set_delete()'s -errno.
 */
int uringblk_vec_store_free(struct uringblk_dev *dev,
			    struct uringblk_vec_store *s);

/**
 * uringblk_vec_query() - the k best vectors of a store, in the drive
 * @dev:	open handle
 * @s:		the store
 * @pind:	slot of an active topk_i8 program
 * @query:	@s->dim signed bytes
 * @k:		as for uringblk_vec_topk_init()
 * @metric:	as for uringblk_vec_topk_init()
 * @hits:	as for uringblk_vec_topk_init()
 * @res:	the EXECUTE result (insns, bytes scanned...)
 *
 * MEM_WRITE of the query into the store's query page, then EXECUTE.
 *
 * Return: the number of hits, or -errno (the run's, e.g. -ETIME).
 */
int uringblk_vec_query(struct uringblk_dev *dev,
		       const struct uringblk_vec_store *s, __u32 pind,
		       const void *query, __u32 k, __u32 metric,
		       struct uringblk_vec_hit *hits,
		       struct uringblk_exec_result *res);

/**
 * uringblk_vec_prog() - the slot of an active topk_i8 program
 * @dev:	open handle
 * @obj_path:	topk_i8.bpf.o, loaded into the lowest free slot if no
 *		program named "topk_i8" is on the drive (NULL: only look)
 * @pind:	receives its slot
 * @log:	receives the loader's or validator's message on a refusal
 * @log_len:	its size
 *
 * Activates the program if it is not active (both need CAP_SYS_ADMIN).
 *
 * Return: 0, -ENOENT (not loaded and no @obj_path), or the errno of
 * reading, loading or activating it.
 */
int uringblk_vec_prog(struct uringblk_dev *dev, const char *obj_path,
		      __u32 *pind, char *log, size_t log_len);

/* args[0] of topk_i8 (bpf/topk_i8.h) */
static inline __u64 uringblk_vec_args0(__u32 dim, __u32 k, __u32 metric)
{
	return (__u64)dim | (__u64)k << 16 | (__u64)metric << 32;
}

/*
 * Split scans (since 1.7, drives of ABI 1.5): one scan as several
 * concurrent EXECs, for programs that declare how their results combine
 * ("How a program's results combine" in <linux/uringblk_prog.h>; in
 * program sources, URINGBLK_COMBINE() of bpf/uringblk_prog.h).
 */

/* Pieces a split scan takes at most (and EXECs: twice that, less one). */
#define URINGBLK_SPLIT_MAX	256

/**
 * struct uringblk_split_piece - one EXEC of a split scan
 * @lba_start:	its range
 * @lba_count:	(> 0)
 * @sign:	+1: its result counts; -1: it is taken away (the matches of an
 *		overlap, counted twice otherwise)
 * @rsvd:	zero
 */
struct uringblk_split_piece {
	__u64	lba_start;
	__u64	lba_count;
	__s32	sign;
	__u32	rsvd;
};

/**
 * uringblk_prog_read_combine() - a program's combine declaration
 * @obj_path:	clang-built object, as for uringblk_prog_read_obj()
 * @prog_name:	the program's function; NULL: the only declaration there is
 * @cb:		receives it; all zero if the program does not declare
 * @log:	reason of a refusal, or NULL
 * @log_len:	its size
 *
 * Return: 0 (declared or not), -EINVAL (a malformed declaration, or
 * several and @prog_name NULL), or the errno of opening the file.
 */
int uringblk_prog_read_combine(const char *obj_path, const char *prog_name,
			       struct uringblk_prog_combine *cb, char *log,
			       size_t log_len);

/**
 * uringblk_prog_load_obj_combine() - load a program with its declaration
 * @dev:	as for uringblk_prog_load_obj_slot()
 * @po:		as for uringblk_prog_load_obj_slot()
 * @pind:	as for uringblk_prog_load_obj_slot()
 * @log:	as for uringblk_prog_load_obj_slot()
 * @log_len:	as for uringblk_prog_load_obj_slot()
 * @cb:		from uringblk_prog_read_combine(); NULL or r0 NONE: none
 *
 * A declaration travels in PROG_LOAD F_IMAGE (image.combine); the drive
 * refuses a bad one with -EINVAL and the reason in @log.  A drive before
 * ABI 1.5 refuses any with -EINVAL ("image reserved fields").
 * uringblk_prog_load_file() reads and passes the declaration itself.
 *
 * Return: as uringblk_prog_load_obj().
 */
int uringblk_prog_load_obj_combine(struct uringblk_dev *dev,
				   const struct uringblk_prog_obj *po, __u32 pind,
				   const struct uringblk_prog_combine *cb,
				   char *log, size_t log_len);

/**
 * uringblk_prog_get_combine() - the declaration the drive keeps for a program
 * @dev:	open handle
 * @prog_id:	the program
 * @cb:		receives it (all zero: not declared)
 *
 * Return: 0, -ENOENT (no such program), or a negative errno of PROG_LIST.
 */
int uringblk_prog_get_combine(struct uringblk_dev *dev, __u32 prog_id,
			      struct uringblk_prog_combine *cb);

/**
 * uringblk_split_plan() - cut one EXEC's range into pieces
 * @cb:		the program's declaration
 * @a:		the EXEC over the whole range (flags 0: a zone's written part
 *		is not split)
 * @block_size:	the drive's logical block size
 * @nr:		pieces wanted, 1..URINGBLK_SPLIT_MAX
 * @pieces:	receives the EXECs: the pieces in order, then the overlaps
 *		taken away
 * @max:	capacity of @pieces (2 * @nr - 1 always suffices)
 *
 * Pieces are whole blocks, at multiples of the record size when the
 * program declares align_arg, and fewer than @nr when the range has fewer
 * such units.  With an overlap (a pattern of length L), each piece but the
 * last extends by ceil((L - 1) / @block_size) blocks into the next, and an
 * EXEC over just that extension is taken away.  Pure: no device.
 *
 * Return: the number of EXECs, or -EOPNOTSUPP (the program does not
 * declare: it cannot be split), -EINVAL, -E2BIG (@max too small).
 */
int uringblk_split_plan(const struct uringblk_prog_combine *cb,
			const struct uringblk_exec_args *a, __u32 block_size,
			unsigned int nr, struct uringblk_split_piece *pieces,
			unsigned int max);

/**
 * uringblk_split_combine() - the result over the whole range, from the pieces'
 * @cb:		the program's declaration
 * @pieces:	the plan
 * @n:		its EXECs
 * @results:	their results, in plan order (all completed)
 * @outs:	their outputs, cb->out_len bytes each (zero past their
 *		out_len, as an EXEC's output buffer starts zeroed); may be
 *		NULL without an output rule
 * @res:	receives the combined result: r0, out_len = cb->out_len,
 *		insns and bytes_scanned summed over all EXECs
 * @out:	receives the combined output (cb->out_len bytes)
 * @out_len:	its size
 *
 * Pure: no device.  Return: 0, -EOPNOTSUPP (no declaration), -ENOSPC
 * (@out_len below cb->out_len), -EINVAL.
 */
int uringblk_split_combine(const struct uringblk_prog_combine *cb,
			   const struct uringblk_split_piece *pieces, unsigned int n,
			   const struct uringblk_exec_result *results,
			   const void *const *outs, struct uringblk_exec_result *res,
			   void *out, size_t out_len);

/**
 * uringblk_exec_split() - one scan as concurrent EXECs, combined
 * @dev:	open handle
 * @a:		as for uringblk_exec()
 * @nr:		pieces; 0: the drive's compute units (identify.timing_*) if
 *		its timing model has some, else the online CPUs
 * @res:	the combined result (or, if an EXEC failed, the first failing
 *		piece's result)
 * @out:	the combined output, or NULL without an output rule
 * @out_len:	its size, at least the declared out_len
 *
 * Asks the drive how the program's results combine (PROG_LIST), plans
 * the pieces (uringblk_split_plan()), submits all their EXECs at once on a
 * ring of its own and combines their results (uringblk_split_combine()):
 * the result one EXEC over the whole range gives.
 *
 * Return: 0, or -EOPNOTSUPP: the program does not declare how its results
 * combine, so it cannot be split (nothing ran); -ENOENT (no such program);
 * -ENOSPC (@out_len below the declared output); -EINVAL; or the errno
 * of the first failing EXEC, in plan order.
 */
int uringblk_exec_split(struct uringblk_dev *dev, const struct uringblk_exec_args *a,
			unsigned int nr, struct uringblk_exec_result *res, void *out,
			size_t out_len);

#ifdef __cplusplus
}
#endif

#endif /* LIBURINGBLK_H */
