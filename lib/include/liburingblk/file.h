/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * <liburingblk/file.h> - offload over files: map a file on the drive to
 * extents, run a program over it (EXEC or the MEM_COPY + EXECUTE flow) and
 * check that the file did not change meanwhile.
 *
 * Part of <liburingblk.h>, which includes every header of liburingblk.
 */
#ifndef LIBURINGBLK_FILE_H
#define LIBURINGBLK_FILE_H

#include <stddef.h>
#include <liburingblk/uapi/uringblk.h>
#include <liburingblk/device.h>
#include <liburingblk/exec.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Offload over files (liburingblk 1.6, drive ABI 1.4)
 * ---------------------------------------------------
 * A file on a filesystem that lives on the drive becomes a list of
 * extents (FIEMAP with FIEMAP_FLAG_SYNC: dirty page-cache data is
 * written first), which a program sees end to end as the file's bytes,
 * holes and unwritten extents as zeroes, cut at the file's size.  What
 * cannot be offloaded safely is refused with a message naming the reason.
 * Each run re-checks the file afterwards and returns -ESTALE if it
 * changed (Documentation/examples/files.md says what that guarantees).
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
 * What FIEMAP means depends on the filesystem
 * (Documentation/examples/files.md): ext2/3/4, XFS, btrfs and f2fs are taken, with
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

/**
 * struct uringblk_file_exec_args - what uringblk_file_exec_args() runs
 *	over which file (since 1.11)
 * @size:	sizeof(struct uringblk_file_exec_args) as the caller was
 *		built (the rule of struct uringblk_prog_load_args)
 * @flags:	0 (reserved for options)
 * @map:	from uringblk_file_map()
 * @exec:	the EXEC: program, budget, args (its lba_start and lba_count
 *		are not used: the file's extents are the range)
 * @out:	as for uringblk_exec_extents()
 * @out_len:	as for uringblk_exec_extents()
 * @msg:	receives the reason of a refusal or of -ESTALE, or NULL
 * @msg_len:	its size
 * @from:	(since 1.12) the program sees only the file's bytes [@from,
 *		@from + @len): @from a multiple of @map->block_size inside
 *		the file (else -EINVAL), @len 0 for up to the file's end,
 *		else at most what is left of the file (else -ERANGE).  The
 *		file is still checked whole after the run (-ESTALE)
 * @len:	(since 1.12) see @from
 */
struct uringblk_file_exec_args {
	__u32					size;
	__u32					flags;
	const struct uringblk_file_map		*map;
	const struct uringblk_exec_args		*exec;
	void					*out;
	size_t					out_len;
	char					*msg;
	size_t					msg_len;
	__u64					from;
	__u64					len;
};

/**
 * uringblk_file_exec_args() - uringblk_file_exec() with its options in a
 *	struct that can grow (since 1.11)
 * @dev:	as for uringblk_exec_extents()
 * @args:	which file and which run (@args->size set)
 * @res:	as for uringblk_exec_extents()
 *
 * Return: as uringblk_file_exec(); -EINVAL (@args NULL, its size below
 * that of 1.11's struct, or flags not 0) or -E2BIG (a larger struct whose
 * bytes past the ones this library knows are not 0), before anything is
 * written.
 */
int uringblk_file_exec_args(struct uringblk_dev *dev,
			    const struct uringblk_file_exec_args *args,
			    struct uringblk_exec_result *res);

/**
 * struct uringblk_file_execute_args - what uringblk_file_execute_args()
 *	runs over which file, and where in SLM (since 1.11)
 * @size:	sizeof(struct uringblk_file_execute_args) as the caller was
 *		built (the rule of struct uringblk_prog_load_args)
 * @flags:	0 (reserved for options)
 * @map:	from uringblk_file_map()
 * @slm_off:	as for uringblk_file_execute()
 * @execute:	pind, budget, cparam, arg2 (rsid and data_len are the
 *		library's: the new set, and the file's size)
 * @out:	as for uringblk_execute()
 * @out_len:	as for uringblk_execute()
 * @msg:	receives the reason of a refusal or of -ESTALE, or NULL
 * @msg_len:	its size
 */
struct uringblk_file_execute_args {
	__u32					size;
	__u32					flags;
	const struct uringblk_file_map		*map;
	__u64					slm_off;
	const struct uringblk_execute_args	*execute;
	void					*out;
	size_t					out_len;
	char					*msg;
	size_t					msg_len;
};

/**
 * uringblk_file_execute_args() - uringblk_file_execute() with its options
 *	in a struct that can grow (since 1.11)
 * @dev:	as for uringblk_execute()
 * @args:	which file, which run, where in SLM (@args->size set)
 * @res:	as for uringblk_execute()
 *
 * Return: as uringblk_file_execute(); -EINVAL or -E2BIG for @args as
 * uringblk_file_exec_args(), before anything is written.
 */
int uringblk_file_execute_args(struct uringblk_dev *dev,
			       const struct uringblk_file_execute_args *args,
			       struct uringblk_exec_result *res);

#ifdef __cplusplus
}
#endif

#endif /* LIBURINGBLK_FILE_H */
