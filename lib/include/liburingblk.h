/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * liburingblk - userspace access to the uringblk emulated computational
 * storage drive.
 *
 * This header includes every topical header of the library, so that one
 * #include gives the whole API:
 *
 *  <liburingblk/prep.h>     the generic SQE helpers every prep helper
 *                           stacks on (uringblk_cmd_init(), uringblk_prep_cmd())
 *  <liburingblk/device.h>   the device handle: open/close, synchronous
 *                           commands, IDENTIFY, counters, error strings
 *  <liburingblk/prog.h>     programs: read, load, list, activate, unload
 *  <liburingblk/exec.h>     runs: EXEC over a range or extents, EXECUTE
 *  <liburingblk/zone.h>     zones
 *  <liburingblk/slm.h>      device memory (SLM) and memory range sets
 *  <liburingblk/drive.h>    drives created and removed at runtime (configfs)
 *  <liburingblk/latency.h>  latency histograms
 *  <liburingblk/file.h>     offload over files on the drive
 *  <liburingblk/split.h>    one scan as concurrent EXECs, combined
 *  <liburingblk/query.h>    queries compiled into programs
 *  <liburingblk/vec.h>      int8 vector top-k
 *  <liburingblk/print.h>    text and JSON printers
 *
 * Two layers run through them: a device handle (struct uringblk_dev) with
 * a private io_uring for synchronous commands, and inline prep helpers that
 * put a uringblk command into an SQE of the caller's own ring, for
 * asynchronous use next to ordinary I/O.
 *
 * Every function that can fail returns a negative errno (the liburing
 * convention); uringblk_strerror() explains it in terms of this ABI.
 * A handle is not thread-safe: use one per thread, or serialize calls.
 * The SNIA Computational Storage API is a separate header, <uringblk_cs.h>.
 */
#ifndef LIBURINGBLK_H
#define LIBURINGBLK_H

/* What the single header of liburingblk 1.9 and older included. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <liburingblk/prep.h>
#include <liburingblk/device.h>
#include <liburingblk/prog.h>
#include <liburingblk/exec.h>
#include <liburingblk/zone.h>
#include <liburingblk/slm.h>
#include <liburingblk/drive.h>
#include <liburingblk/latency.h>
#include <liburingblk/file.h>
#include <liburingblk/split.h>
#include <liburingblk/query.h>
#include <liburingblk/vec.h>
#include <liburingblk/kv.h>
#include <liburingblk/print.h>

#endif /* LIBURINGBLK_H */
