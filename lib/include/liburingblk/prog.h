/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * <liburingblk/prog.h> - programs: read them from clang-built objects, load
 * them into the drive (plain, with global data, kernel BPF, into a slot),
 * list, find, activate and unload them.
 *
 * Part of <liburingblk.h>, which includes every header of liburingblk.
 */
#ifndef LIBURINGBLK_PROG_H
#define LIBURINGBLK_PROG_H

#include <stddef.h>
#include <linux/bpf.h>		/* struct bpf_insn */
#include <liburingblk/uapi/uringblk.h>
#include <liburingblk/device.h>
#include <liburingblk/prep.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Programs (liburingblk 1.1)
 * --------------------------
 * See <liburingblk/uapi/uringblk_prog.h> (the program ABI) for what a
 * program is and bpf/README.md for how to write one.
 */

/*
 * Loading a program (liburingblk 1.11)
 * ------------------------------------
 * uringblk_prog_load_args() is the one entry point: what to load (the
 * instructions, an image with global data, an object read with
 * uringblk_prog_read_obj(), a clang-built file, a kernel BPF program's
 * fd), into which slot, on which engine, under which name, with a log.
 * The other uringblk_prog_load*() calls are conveniences on top of it.
 */

/**
 * enum uringblk_prog_from - what struct uringblk_prog_load_args loads
 * @URINGBLK_PROG_FROM_INSNS:	@insns, @insn_cnt (uringblk_prog_load())
 * @URINGBLK_PROG_FROM_IMAGE:	@image, instructions and global data
 *				(uringblk_prog_load_image())
 * @URINGBLK_PROG_FROM_OBJ:	@obj, from uringblk_prog_read_obj()
 *				(uringblk_prog_load_obj())
 * @URINGBLK_PROG_FROM_FILE:	the function @prog_name of the object
 *				@path (uringblk_prog_load_file(), or with
 *				type URINGBLK_PROG_TYPE_KBPF
 *				uringblk_prog_load_kbpf_file())
 * @URINGBLK_PROG_FROM_BPF_FD:	@bpf_fd, a kernel BPF program
 *				(uringblk_prog_load_kbpf())
 *
 * 0 is none of them, so that a struct whose @from was forgotten is
 * refused rather than read as instructions.
 */
enum uringblk_prog_from {
	URINGBLK_PROG_FROM_INSNS = 1,
	URINGBLK_PROG_FROM_IMAGE,
	URINGBLK_PROG_FROM_OBJ,
	URINGBLK_PROG_FROM_FILE,
	URINGBLK_PROG_FROM_BPF_FD,
};

struct uringblk_prog_obj;	/* below */

/**
 * struct uringblk_prog_load_args - what and how uringblk_prog_load_args()
 *	loads (since 1.11)
 * @size:	sizeof(struct uringblk_prog_load_args) as the caller was
 *		built: a library newer than the caller reads the fields it
 *		added as 0; an older one refuses a larger struct unless the
 *		bytes it does not know are 0
 * @flags:	0 (reserved for options)
 * @from:	what to load, an enum uringblk_prog_from; only the fields it
 *		names are read, the others must be 0 or NULL
 * @type:	the engine, a URINGBLK_PROG_TYPE_*: 0 for the one @from
 *		implies (the drive's interpreter, URINGBLK_PROG_TYPE_EBPF;
 *		kernel BPF for URINGBLK_PROG_FROM_BPF_FD);
 *		URINGBLK_PROG_TYPE_KBPF with URINGBLK_PROG_FROM_FILE loads
 *		the object's SEC("syscall") program into the host kernel
 *		with libbpf, then hands it to the drive
 * @pind:	program index 1..URINGBLK_MAX_PROGS, or 0 for the lowest
 *		free one
 * @insn_cnt:	URINGBLK_PROG_FROM_INSNS: number of 8-byte instruction
 *		slots, 1..URINGBLK_PROG_MAX_INSNS
 * @bpf_fd:	URINGBLK_PROG_FROM_BPF_FD: fd of a BPF_PROG_TYPE_SYSCALL
 *		program in the host kernel (the drive takes a reference of
 *		its own: it may be closed after)
 * @insns:	URINGBLK_PROG_FROM_INSNS: the instructions, as they are to
 *		run (bpf-to-bpf calls resolved, as uringblk_prog_read_file()
 *		leaves them)
 * @image:	URINGBLK_PROG_FROM_IMAGE: instructions and initial global
 *		data (struct uringblk_prog_image in
 *		<liburingblk/uapi/uringblk.h>), its combine declaration
 *		included
 * @obj:	URINGBLK_PROG_FROM_OBJ: a program read with
 *		uringblk_prog_read_obj()
 * @combine:	URINGBLK_PROG_FROM_INSNS or _OBJ: how the program's results
 *		combine (uringblk_prog_read_combine()), or NULL (or r0 NONE)
 *		for none; a declaration travels in PROG_LOAD F_IMAGE, so a
 *		drive before ABI 1.5 refuses it with -EINVAL.
 *		URINGBLK_PROG_FROM_FILE reads the file's own declaration
 * @path:	URINGBLK_PROG_FROM_FILE: a clang-built BPF object
 * @prog_name:	URINGBLK_PROG_FROM_FILE: the function to load, or NULL if
 *		the object has only one (SEC("uringblk"), or SEC("syscall")
 *		for kernel BPF)
 * @name:	name shown by PROG_LIST, at most URINGBLK_PROG_NAME_LEN
 *		bytes, or NULL: none for instructions, an image and an fd;
 *		the program's function name for an object and a file
 * @log:	buffer for the reason of a refusal (by this library, libbpf,
 *		the kernel's verifier or the drive's validator), or NULL; set
 *		to "" first, so it is a C string whenever @log_len > 0
 * @log_len:	its size; the drive writes at most 4096 bytes of it
 *
 * Initialize it with designated initializers so that fields added later
 * are 0: { .size = sizeof(args), .from = URINGBLK_PROG_FROM_FILE,
 * .path = "scan.o", ... }.
 */
struct uringblk_prog_load_args {
	__u32					size;
	__u32					flags;
	__u32					from;
	__u32					type;
	__u32					pind;
	__u32					insn_cnt;
	int					bpf_fd;
	const struct bpf_insn			*insns;
	const struct uringblk_prog_image	*image;
	const struct uringblk_prog_obj		*obj;
	const struct uringblk_prog_combine	*combine;
	const char				*path;
	const char				*prog_name;
	const char				*name;
	char					*log;
	size_t					log_len;
};

/**
 * uringblk_prog_load_args() - load a program into the drive (since 1.11)
 * @dev:	open handle
 * @args:	what to load and how (@args->size set)
 *
 * The program is loaded inactive (uringblk_prog_activate()).  An object
 * or file without global data nor combine declaration goes in a plain
 * PROG_LOAD (older drives take it); with either, in PROG_LOAD F_IMAGE.
 * Needs CAP_SYS_ADMIN (and CAP_BPF for kernel BPF from a file: libbpf
 * reads the module's BTF to resolve the kfuncs).
 *
 * Return: the program id (> 0); -EINVAL (@args NULL, its size below
 * that of 1.11's struct, flags not 0, @from unknown, a @type @from cannot
 * take, a field @from does not read set, or @dev NULL) or -E2BIG (a
 * larger struct whose bytes past the ones this library knows are not 0),
 * before anything is written; -EINVAL (the validator refused the
 * program: the reason is in @log) or -E2BIG (too long, or global data
 * over identify.max_globals); -EOPNOTSUPP (valid eBPF the drive does not
 * run: maps, kfuncs; or no kernel-BPF engine); -ENOSPC (the drive holds
 * URINGBLK_MAX_PROGS programs); -ENAMETOOLONG; -EBUSY (slot taken),
 * -EPERM (a device-defined slot, or no CAP_SYS_ADMIN), -ERANGE (no such
 * slot); the errnos of uringblk_prog_read_obj() for a file, of libbpf
 * for a kernel-BPF one; or another negative errno.
 */
int uringblk_prog_load_args(struct uringblk_dev *dev,
			    const struct uringblk_prog_load_args *args);

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
 * struct uringblk_prog_read_file_args - which program
 *	uringblk_prog_read_file_args() reads (since 1.11)
 * @size:	sizeof(struct uringblk_prog_read_file_args) as the caller was
 *		built (the rule of struct uringblk_prog_load_args)
 * @flags:	0 (reserved for options)
 * @path:	as @obj_path of uringblk_prog_read_file()
 * @prog_name:	as for uringblk_prog_read_file()
 * @name:	as for uringblk_prog_read_file() (URINGBLK_PROG_NAME_LEN + 1
 *		bytes), or NULL
 * @log:	as for uringblk_prog_read_file(); set to "" first
 * @log_len:	its size
 */
struct uringblk_prog_read_file_args {
	__u32					size;
	__u32					flags;
	const char				*path;
	const char				*prog_name;
	char					*name;
	char					*log;
	size_t					log_len;
};

/**
 * uringblk_prog_read_file_args() - uringblk_prog_read_file() with its
 *	options in a struct that can grow (since 1.11)
 * @args:	which object and program (@args->size set)
 * @insns:	as for uringblk_prog_read_file()
 * @cnt:	as for uringblk_prog_read_file()
 *
 * Return: as uringblk_prog_read_file(); -EINVAL (@args NULL, its size below
 * that of 1.11's struct, or flags not 0) or -E2BIG (a larger struct whose
 * bytes past the ones this library knows are not 0), before anything is
 * written.
 */
int uringblk_prog_read_file_args(const struct uringblk_prog_read_file_args *args,
				 struct bpf_insn **insns, unsigned int *cnt);

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
 * become its "globals" region (<liburingblk/uapi/uringblk_prog.h>): the
 * loader lays them out and relocates the instructions that use them, and
 * the drive gets the initial image with PROG_LOAD F_IMAGE.  .rodata is read-only;
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
 *		uringblk_prog_image in <liburingblk/uapi/uringblk.h>)
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
 * See PROG_LOAD F_BPF_FD in <liburingblk/uapi/uringblk.h> and "Kernel-BPF
 * programs" in <liburingblk/uapi/uringblk_prog.h>; bpf/uringblk_kbpf.h is
 * the header for program authors.  Once loaded, they are listed, activated, run (EXEC,
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
 * See "The computational storage model" in <liburingblk/uapi/uringblk.h>.
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
 * uringblk_prog_abort_name() - short name of an enum uringblk_prog_abort
 * @code:	exec result abort_code
 *
 * Return: "ok", "budget", "mem", "range", "arg", "depth", "io" or
 * "stopped"; NULL for a code this library does not know.
 */
const char *uringblk_prog_abort_name(__u32 code);

#ifdef __cplusplus
}
#endif

#endif /* LIBURINGBLK_PROG_H */
