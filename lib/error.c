// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * What the driver's errnos mean for this ABI (see the comments in
 * <linux/uringblk.h>), so that a user reads "reply buffer too large"
 * instead of "Argument list too long".
 */
#include <errno.h>
#include <limits.h>

#include "private.h"

static const struct {
	int		err;
	const char	*msg;
} uringblk_errors[] = {
	{ ENOTTY,	"unknown command (the driver does not implement this cmd_op)" },
	{ EOPNOTSUPP,	"command not supported: the ring lacks IORING_SETUP_SQE128 "
			"(or uses IOPOLL), or the file is not a uringblk command device; "
			"or the program uses eBPF the drive lacks (maps, global data, kfuncs); "
			"or a zone command on a drive that is not zoned" },
	{ EPROTO,	"ABI major version mismatch between client and driver" },
	{ EINVAL,	"invalid argument: a reserved field or unknown flag bit is set, "
			"or a buffer given to a command that takes none, or the reply "
			"buffer is too small; or the program was refused "
			"(see the validator log) or got a bad helper argument; or the "
			"LBA is not a zone start, or the zone's condition does not allow "
			"the action (CLOSE of a zone that is not open)" },
	{ E2BIG,	"reply buffer larger than URINGBLK_MAX_REPLY_LEN (PROG_LIST: "
			"URINGBLK_MAX_PROGS entries, REPORT_ZONES: "
			"URINGBLK_MAX_REPORT_ZONES zones), or program longer than "
			"URINGBLK_PROG_MAX_INSNS, or a zone append above "
			"identify.max_zone_append" },
	{ EFAULT,	"bad buffer address" },
	{ ENODEV,	"not a uringblk device, or the device was removed; or (create, "
			"remove, list) the uringblk module is not loaded or configfs "
			"is not mounted" },
	{ EPERM,	"operation not permitted (needs CAP_SYS_ADMIN); or the program "
			"slot is device-defined (not downloadable); or the drive "
			"was made by the nr_devices module parameter and goes only "
			"with the module" },
	{ EEXIST,	"a drive of that name already exists" },
	{ ENOENT,	"no such device node, sysfs file or program id, or the "
			"program slot is empty (is the uringblk module loaded?)" },
	{ EACCES,	"permission denied (the command device and reset_stats need root)" },
	{ ENOSPC,	"the drive already holds URINGBLK_MAX_PROGS programs (no free "
			"program slot); or the "
			"zone is full, or has less room left than the append" },
	{ EMEDIUMTYPE,	"the zone is conventional: zone management and append need "
			"a sequential zone" },
	{ ETOOMANYREFS,	"the drive's open-zones limit is reached (close or finish a "
			"zone first)" },
	{ EROFS,	"the zone is read-only" },
	{ EBADF,	"the command device is not open for writing (zone management "
			"and append write)" },
	{ ETIME,	"the program used up its instruction budget (raise --budget)" },
	{ ERANGE,	"invalid program index (no such slot); or "
			"LBA range empty or outside the device, or a program helper "
			"reached outside its granted range; or a zone LBA past the end" },
	{ ELOOP,	"program calls nested deeper than URINGBLK_PROG_MAX_DEPTH" },
	{ EOVERFLOW,	"program result (r0) above INT32_MAX: the exec result holds "
			"all 64 bits; or, for a zone command, the drive's active-zones "
			"limit is reached" },
	{ EBADMSG,	"malformed sysfs counter (not a decimal number)" },
	{ EBUSY,	"program in use: the slot is taken, or the program is active or "
			"running (deactivate it and let its runs complete); or the "
			"memory range set is in use by an EXECUTE" },
	{ EDQUOT,	"maximum programs activated (identify.max_active_progs): "
			"deactivate one first" },
	{ ENOEXEC,	"program not activated: EXECUTE runs only active programs "
			"(uringblk prog activate)" },
	{ EBADSLT,	"invalid memory range set identifier (no such set)" },
};

const char *uringblk_strerror(int err)
{
	unsigned int i;

	if (err < 0)	/* INT_MIN has no positive counterpart */
		err = err == INT_MIN ? INT_MAX : -err;
	if (!err)
		return "success";
	for (i = 0; i < ARRAY_SIZE(uringblk_errors); i++)
		if (uringblk_errors[i].err == err)
			return uringblk_errors[i].msg;
	return strerror(err);
}
