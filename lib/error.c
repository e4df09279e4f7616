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
			"or a zone command on a drive that is not zoned; or a device "
			"memory command on a drive without SLM (slm_size 0)" },
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
	{ EBADSLT,	"no such memory range set (Invalid Memory Range Set Identifier)" },
};

/*
 * Every status the driver reports, on either face (enum uringblk_status;
 * the driver's driver/status.c says which errno goes with each): the
 * standard's name, its SCT/SC, and what makes this drive answer it.
 * tests/docs/check-statuses.sh fails when a value of the enum has no row,
 * and tests/lib/statuses.c walks the enum through uringblk_status_str().
 * SCT 0h codes 80h-BFh are the command set's: 85h-89h are named as the Key
 * Value set has them (the only set of this drive that sends them), and
 * uringblk_kv_strerror() says more about the KV ones.
 */
static const struct {
	__u16		status;
	const char	*msg;
} uringblk_statuses[] = {
	{ URINGBLK_SC_INVALID_OPCODE,	"Invalid Command Opcode (0h/01h): the driver does "
					"not implement the command, or the ring lacks "
					"IORING_SETUP_SQE128" },
	{ URINGBLK_SC_INVALID_FIELD,	"Invalid Field in Command (0h/02h): a reserved "
					"field, flag, length, action or alignment" },
	{ URINGBLK_SC_DATA_XFER_ERROR,	"Data Transfer Error (0h/04h): a bad buffer address" },
	{ URINGBLK_SC_INTERNAL,		"Internal Error (0h/06h): the drive is out of memory" },
	{ URINGBLK_SC_ABORT_REQ,	"Command Abort Requested (0h/07h): a fatal signal "
					"stopped the command" },
	{ URINGBLK_SC_INVALID_NS,	"Invalid Namespace or Format (0h/0Bh): no such "
					"namespace, or not one the command takes" },
	{ URINGBLK_SC_CMD_SEQ_ERROR,	"Command Sequence Error (0h/0Ch): the command does "
					"not continue the sequence it belongs to" },
	{ URINGBLK_SC_SGL_INVALID_DATA,	"Data SGL Length Invalid (0h/0Fh): the buffer's "
					"length is not the one the command's fields give" },
	{ URINGBLK_SC_NS_WRITE_PROTECTED, "Namespace is Write Protected (0h/20h): the "
					"command device is not open for writing" },
	{ URINGBLK_SC_INVALID_IO_CMD_SET, "Invalid I/O Command Set (0h/2Ch)" },
	{ URINGBLK_SC_LBA_RANGE,	"LBA Out of Range (0h/80h): outside the drive, or "
					"an SLM offset outside identify.slm_size" },
	{ URINGBLK_SC_CAP_EXCEEDED,	"Capacity Exceeded (0h/81h): the drive is full" },
	{ URINGBLK_SC_NS_NOT_READY,	"Namespace Not Ready (0h/82h): the drive is being removed" },
	{ URINGBLK_SC_KV_INVALID_VALUE_SIZE, "KV Invalid Value Size (0h/85h): over the "
					"drive's maximum value length" },
	{ URINGBLK_SC_KV_INVALID_KEY_SIZE, "KV Invalid Key Size (0h/86h): a key is 1 to "
					"16 bytes" },
	{ URINGBLK_SC_KV_KEY_NOT_EXIST,	"KV Key Does Not Exist (0h/87h)" },
	{ URINGBLK_SC_KV_UNRECOVERED,	"KV Unrecovered Error (0h/88h): a media read failed "
					"or the value's CRC did not match" },
	{ URINGBLK_SC_KV_KEY_EXISTS,	"KV Key Exists (0h/89h)" },
	{ URINGBLK_SC_ASYNC_LIMIT,	"Asynchronous Event Request Limit Exceeded (1h/05h)" },
	{ URINGBLK_SC_INVALID_LOG_PAGE,	"Invalid Log Page (1h/09h)" },
	{ URINGBLK_SC_FEATURE_NOT_SAVEABLE, "Feature Identifier Not Saveable (1h/0Dh)" },
	{ URINGBLK_SC_FEATURE_NOT_CHANGEABLE, "Feature Not Changeable (1h/0Eh)" },
	{ URINGBLK_SC_CMD_SIZE_LIMIT,	"Command Size Limit Exceeded (1h/83h): above "
					"identify.max_mem_xfer bytes or max_set_ranges ranges" },
	{ URINGBLK_SC_FAST_COPY_NOT_POSSIBLE, "Fast Copy Not Possible (1h/86h): Memory "
					"Copy with Fast Copy Only" },
	{ URINGBLK_SC_INSUFFICIENT_PROG_RES, "Insufficient Program Resources (1h/8Ah): "
					"no free program slot" },
	{ URINGBLK_SC_INVALID_MEM_NS,	"Invalid Memory Namespace (1h/8Bh): a memory range "
					"names a namespace other than the SLM one" },
	{ URINGBLK_SC_INVALID_MEM_RANGE_SET, "Invalid Memory Range Set (1h/8Ch): a range "
					"outside SLM (identify.slm_size)" },
	{ URINGBLK_SC_INVALID_MEM_RANGE_SET_ID, "Invalid Memory Range Set Identifier (1h/8Dh)" },
	{ URINGBLK_SC_INVALID_PROG_DATA, "Invalid Program Data (1h/8Eh): the validator "
					"refused the program, or a load piece does not continue it" },
	{ URINGBLK_SC_INVALID_PROG_INDEX, "Invalid Program Index (1h/8Fh): no such slot" },
	{ URINGBLK_SC_INVALID_PROG_TYPE, "Invalid Program Type (1h/90h): not a type the "
					"drive can load" },
	{ URINGBLK_SC_MAX_MEM_RANGES,	"Maximum Memory Ranges Exceeded (1h/91h): above "
					"identify.max_set_ranges" },
	{ URINGBLK_SC_MAX_MEM_RANGE_SETS, "Maximum Memory Range Sets Exceeded (1h/92h): "
					"identify.max_range_sets sets exist" },
	{ URINGBLK_SC_MAX_PROGS_ACTIVATED, "Maximum Programs Activated (1h/93h): "
					"deactivate one first" },
	{ URINGBLK_SC_MEM_RANGE_SET_IN_USE, "Memory Range Set In Use (1h/95h): an EXECUTE "
					"is using it" },
	{ URINGBLK_SC_NO_PROGRAM,	"No Program (1h/96h): the slot is empty or there "
					"is no such program id" },
	{ URINGBLK_SC_OVERLAPPING_MEM_RANGES, "Overlapping Memory Ranges (1h/97h)" },
	{ URINGBLK_SC_PROG_NOT_ACTIVATED, "Program Not Activated (1h/98h): EXECUTE runs "
					"only active programs" },
	{ URINGBLK_SC_PROG_IN_USE,	"Program In Use (1h/99h): the slot is taken, or the "
					"program is active or running" },
	{ URINGBLK_SC_PROG_NOT_DOWNLOADABLE, "Program Index Not Downloadable (1h/9Ah): a "
					"device-defined program's slot" },
	{ URINGBLK_SC_PROG_TOO_BIG,	"Program Too Big (1h/9Bh): instructions, global "
					"data or the verifier's walk above the drive's limit" },
	{ URINGBLK_SC_ZONE_BOUNDARY_ERROR, "Zone Boundary Error (1h/B8h)" },
	{ URINGBLK_SC_ZONE_FULL,	"Zone Is Full (1h/B9h): or it has less room left "
					"than the append" },
	{ URINGBLK_SC_ZONE_READ_ONLY,	"Zone Is Read Only (1h/BAh)" },
	{ URINGBLK_SC_ZONE_OFFLINE,	"Zone Is Offline (1h/BBh)" },
	{ URINGBLK_SC_ZONE_INVALID_WRITE, "Zone Invalid Write (1h/BCh)" },
	{ URINGBLK_SC_ZONE_TOO_MANY_ACTIVE, "Too Many Active Zones (1h/BDh): "
					"identify's active-zones limit is reached" },
	{ URINGBLK_SC_ZONE_TOO_MANY_OPEN, "Too Many Open Zones (1h/BEh): close or "
					"finish a zone first" },
	{ URINGBLK_SC_ZONE_INVALID_TRANSITION, "Invalid Zone State Transition (1h/BFh)" },
	{ URINGBLK_SC_WRITE_FAULT,	"Write Fault (2h/80h): a media write failed" },
	{ URINGBLK_SC_READ_ERROR,	"Unrecovered Read Error (2h/81h): an OFFLINE zone "
					"or an injected read fault" },
	{ URINGBLK_SC_COMPARE_FAILED,	"Compare Failure (2h/85h): Compare's data differs "
					"from the media's" },
	{ URINGBLK_SC_ACCESS_DENIED,	"Access Denied (2h/86h): needs CAP_SYS_ADMIN" },
	{ URINGBLK_SC_PROG_ABORT_BUDGET, "program stopped (7h/C1h): it used up its "
					"instruction budget (raise --budget)" },
	{ URINGBLK_SC_PROG_ABORT_MEM,	"program stopped (7h/C2h): a load, store or "
					"helper pointer outside its regions" },
	{ URINGBLK_SC_PROG_ABORT_RANGE,	"program stopped (7h/C3h): a helper reached "
					"outside the granted data" },
	{ URINGBLK_SC_PROG_ABORT_ARG,	"program stopped (7h/C4h): a bad helper argument" },
	{ URINGBLK_SC_PROG_ABORT_DEPTH,	"program stopped (7h/C5h): calls nested deeper "
					"than URINGBLK_PROG_MAX_DEPTH" },
	{ URINGBLK_SC_RUNS_LIMIT,	"runs limit (7h/D0h): the drive's or this file's "
					"runs in flight are at their limit (max_execs, "
					"max_execs_per_file): wait for one to end" },
};

/*
 * A status an earlier driver sent that this one does not (so it is no
 * value of enum uringblk_status): still named for a client of an older
 * drive.  tests/docs/check-nvme-statuses.sh fails when a value here is also
 * in the enum (named twice).
 */
static const struct {
	__u16		status;
	const char	*msg;
} uringblk_old_statuses[] = {
	{ 0x083, "Command Size Limit Exceeded (0h/83h): Copy's answer before it "
		 "moved to 1h/83h (older drivers)" },
};

/*
 * What an errno can mean for one command: every cause, statuses included
 * (one errno can stand for several).  The status the drive reported, when
 * there is one, is uringblk_dev_strerror()'s answer.
 */
static const struct {
	__u32		cmd_op;
	int		err;
	const char	*msg;
} uringblk_cmd_errors[] = {
	{ URINGBLK_CMD_MEM_READ,  EINVAL,  "Invalid Field in Command: zero length" },
	{ URINGBLK_CMD_MEM_READ,  ERANGE,  "LBA Out of Range (80h): the range is "
					   "outside SLM (identify.slm_size)" },
	{ URINGBLK_CMD_MEM_READ,  E2BIG,   "Command Size Limit Exceeded (83h): "
					   "above identify.max_mem_xfer" },
	{ URINGBLK_CMD_MEM_WRITE, EINVAL,  "Invalid Field in Command: zero length" },
	{ URINGBLK_CMD_MEM_WRITE, ERANGE,  "LBA Out of Range (80h): the range is "
					   "outside SLM (identify.slm_size)" },
	{ URINGBLK_CMD_MEM_WRITE, E2BIG,   "Command Size Limit Exceeded (83h): "
					   "above identify.max_mem_xfer" },
	{ URINGBLK_CMD_MEM_WRITE, EBADF,   "the command device is not open for writing" },
	{ URINGBLK_CMD_MEM_COPY,  EINVAL,  "Invalid Field in Command: no ranges, "
					   "a range of 0 blocks, an unknown flag, a "
					   "zero range (COPY_F_ZERO) with an LBA, or "
					   "a length that is not nr_ranges entries" },
	{ URINGBLK_CMD_MEM_COPY,  ERANGE,  "LBA Out of Range (80h), or the bytes "
					   "do not fit in SLM from the offset" },
	{ URINGBLK_CMD_MEM_COPY,  E2BIG,   "Command Size Limit Exceeded (83h): "
					   "more than identify.max_set_ranges "
					   "ranges or identify.max_mem_xfer bytes" },
	{ URINGBLK_CMD_MEM_COPY,  EIO,     "Unrecovered Read Error (81h): an "
					   "OFFLINE zone or an injected read fault" },
	{ URINGBLK_CMD_MEM_COPY,  EBADF,   "the command device is not open for writing" },
	{ URINGBLK_CMD_RANGE_SET_CREATE, EINVAL, "Invalid Field in Command (a "
					   "range not a multiple of "
					   "identify.slm_granularity, or empty), "
					   "or Overlapping Memory Ranges (97h)" },
	{ URINGBLK_CMD_RANGE_SET_CREATE, ERANGE, "Invalid Memory Range Set (8Ch): "
					   "a range outside SLM" },
	{ URINGBLK_CMD_RANGE_SET_CREATE, E2BIG, "Maximum Memory Ranges Exceeded "
					   "(91h): above identify.max_set_ranges" },
	{ URINGBLK_CMD_RANGE_SET_CREATE, ENOSPC, "Maximum Memory Range Sets "
					   "Exceeded (92h): identify.max_range_sets "
					   "sets exist" },
	{ URINGBLK_CMD_RANGE_SET_CREATE, EBADF, "the command device is not open "
					   "for writing" },
	{ URINGBLK_CMD_RANGE_SET_DELETE, EBADSLT, "Invalid Memory Range Set "
					   "Identifier (8Dh)" },
	{ URINGBLK_CMD_RANGE_SET_DELETE, EBUSY, "Memory Range Set In Use (95h): "
					   "an EXECUTE is using it" },
	{ URINGBLK_CMD_RANGE_SET_DELETE, EBADF, "the command device is not open "
					   "for writing" },
	{ URINGBLK_CMD_PROG_LOAD, ERANGE,  "Invalid Program Index (8Fh): no such slot" },
	{ URINGBLK_CMD_PROG_LOAD, EBUSY,   "Program In Use (99h): the slot is taken" },
	{ URINGBLK_CMD_PROG_LOAD, EPERM,   "Program Index Not Downloadable (9Ah), or "
					   "no CAP_SYS_ADMIN" },
	{ URINGBLK_CMD_PROG_LOAD, ENOSPC,  "Insufficient Program Resources (8Ah): "
					   "no free slot" },
	{ URINGBLK_CMD_PROG_LOAD, E2BIG,   "Program Too Big (9Bh): more than "
					   "URINGBLK_PROG_MAX_INSNS instructions, or "
					   "global data or the kernel verifier's walk "
					   "above the drive's limit" },
	{ URINGBLK_CMD_PROG_UNLOAD, EBUSY, "Program In Use (99h): the program is "
					   "active or a run of it is in flight" },
	{ URINGBLK_CMD_PROG_UNLOAD, EPERM, "Program Index Not Downloadable (9Ah): "
					   "a device-defined program, or no "
					   "CAP_SYS_ADMIN" },
	{ URINGBLK_CMD_PROG_UNLOAD, ENOENT, "No Program (96h): no such program id" },
	{ URINGBLK_CMD_PROG_ACTIVATE, ERANGE, "Invalid Program Index (8Fh): no such slot" },
	{ URINGBLK_CMD_PROG_ACTIVATE, ENOENT, "No Program (96h): the slot is empty" },
	{ URINGBLK_CMD_PROG_ACTIVATE, EDQUOT, "Maximum Programs Activated (93h)" },
	{ URINGBLK_CMD_PROG_ACTIVATE, EBUSY, "Program In Use (99h): an EXECUTE is "
					   "running it" },
	{ URINGBLK_CMD_PROG_ACTIVATE, EINVAL, "Invalid Field in Command: an unknown "
					   "action" },
	{ URINGBLK_CMD_EXECUTE,   ERANGE,  "Invalid Program Index (8Fh): no such "
					   "slot; or LBA Out of Range (80h): data_len "
					   "beyond the set's length" },
	{ URINGBLK_CMD_EXECUTE,   ENOENT,  "No Program (96h): the slot is empty" },
	{ URINGBLK_CMD_EXECUTE,   ENOEXEC, "Program Not Activated (98h)" },
	{ URINGBLK_CMD_EXECUTE,   EBADSLT, "Invalid Memory Range Set Identifier (8Dh)" },
	{ URINGBLK_CMD_EXECUTE,   EBADF,   "the command device is not open for writing" },
	{ URINGBLK_CMD_EXECUTE,   EBUSY,   "runs limit (7h/D0h): the drive's "
					   "(max_execs) or this file's "
					   "(max_execs_per_file) runs in flight are at "
					   "their limit: wait for one to end" },
	{ URINGBLK_CMD_EXEC,      ERANGE,  "LBA Out of Range (80h): the LBA range "
					   "is empty or outside the drive, or an extent "
					   "lies outside it; or "
					   "the program read outside its data "
					   "(abort \"range\")" },
	{ URINGBLK_CMD_EXEC,      E2BIG,   "more extents than identify.max_exec_extents, "
					   "or an output buffer above "
					   "URINGBLK_MAX_EXEC_OUT" },
	{ URINGBLK_CMD_EXEC,      EINVAL,  "invalid argument: a budget above the "
					   "maximum, an unknown flag, a reply buffer "
					   "smaller than the result; with extents: "
					   "none, one of length 0, unknown extent "
					   "flags, a zero extent with an LBA, lengths "
					   "summing past 2^64 - 1, or the zone flag "
					   "too; or the program aborted on a bad "
					   "helper argument; or Zone Boundary Error "
					   "(B8h): with URINGBLK_EXEC_F_ZONE_WP, a range "
					   "that crosses a zone boundary" },
	{ URINGBLK_CMD_EXEC,      ENOENT,  "No Program (96h): no such program id" },
	{ URINGBLK_CMD_EXEC,      EBUSY,   "runs limit (7h/D0h): the drive's "
					   "(max_execs) or this file's "
					   "(max_execs_per_file) runs in flight are at "
					   "their limit: wait for one to end" },
	{ URINGBLK_CMD_EXEC,      EIO,     "Zone Is Offline (BBh): with "
					   "URINGBLK_EXEC_F_ZONE_WP, a range in an "
					   "offline zone; or Unrecovered Read Error "
					   "(81h): the program's data is in an OFFLINE "
					   "zone, or an injected read fault" },
	{ URINGBLK_CMD_ZONE_MGMT, EINVAL,  "Invalid Field in Command: a reserved "
					   "field, an unknown action, or an LBA that "
					   "is not a zone start; or "
					   "Invalid Zone State Transition (BFh): CLOSE "
					   "of a zone that is not open" },
	{ URINGBLK_CMD_ZONE_MGMT, ENOSPC,  "Zone Is Full (B9h): OPEN of a full zone" },
	{ URINGBLK_CMD_ZONE_MGMT, EROFS,   "Zone Is Read Only (BAh)" },
	{ URINGBLK_CMD_ZONE_MGMT, EIO,     "Zone Is Offline (BBh)" },
	{ URINGBLK_CMD_ZONE_MGMT, EOVERFLOW, "Too Many Active Zones (BDh): the "
					   "drive's active-zones limit is reached" },
	{ URINGBLK_CMD_ZONE_MGMT, ETOOMANYREFS, "Too Many Open Zones (BEh): close "
					   "or finish a zone first" },
	{ URINGBLK_CMD_ZONE_APPEND, ENOSPC, "Zone Is Full (B9h): the zone is full, "
					   "or has less room left than the append" },
	{ URINGBLK_CMD_ZONE_APPEND, EROFS,  "Zone Is Read Only (BAh)" },
	{ URINGBLK_CMD_ZONE_APPEND, EIO,    "Zone Is Offline (BBh)" },
	{ URINGBLK_CMD_ZONE_APPEND, EOVERFLOW, "Too Many Active Zones (BDh): the "
					   "drive's active-zones limit is reached" },
	{ URINGBLK_CMD_ZONE_APPEND, ETOOMANYREFS, "Too Many Open Zones (BEh): "
					   "close or finish a zone first" },
	{ URINGBLK_CMD_ZONE_APPEND, EBUSY, "the drive's commands in flight hold "
					   "its max_cmd_kb of data buffers: retry "
					   "when some have ended" },
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

const char *uringblk_strerror_cmd(__u32 cmd_op, int err)
{
	int e = err < 0 ? (err == INT_MIN ? INT_MAX : -err) : err;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(uringblk_cmd_errors); i++)
		if (uringblk_cmd_errors[i].cmd_op == cmd_op &&
		    uringblk_cmd_errors[i].err == e)
			return uringblk_cmd_errors[i].msg;
	return uringblk_strerror(err);
}

const char *uringblk_status_str(__u16 status)
{
	unsigned int i;

	if (status == URINGBLK_SC_SUCCESS)
		return "Successful Completion (0h/00h)";
	for (i = 0; i < ARRAY_SIZE(uringblk_statuses); i++)
		if (uringblk_statuses[i].status == status)
			return uringblk_statuses[i].msg;
	for (i = 0; i < ARRAY_SIZE(uringblk_old_statuses); i++)
		if (uringblk_old_statuses[i].status == status)
			return uringblk_old_statuses[i].msg;
	return NULL;
}

__u16 uringblk_last_status(const struct uringblk_dev *dev)
{
	return dev ? dev->last_status : 0;
}

/*
 * A command specific, media or vendor status says exactly what failed; a
 * generic one (Invalid Field in Command, ...) less than the command's own
 * explanation of its errno, which then comes first.
 */
const char *uringblk_dev_strerror(const struct uringblk_dev *dev, int err)
{
	int e = err > 0 ? -err : err;
	const char *s;

	if (!dev || dev->last_res != e || !dev->last_status)
		return uringblk_strerror(err);
	s = uringblk_status_str(dev->last_status);
	if (!s || URINGBLK_SC_SCT(dev->last_status) == URINGBLK_SCT_GENERIC) {
		const char *c = uringblk_strerror_cmd(dev->last_cmd_op, err);

		if (c != uringblk_strerror(err) || !s)
			return c;
	}
	return s;
}
