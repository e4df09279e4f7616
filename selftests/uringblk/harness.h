/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's kselftest harness, as every C test of this suite uses it,
 * with one change: a test's default timeout is 300 s, not the harness's
 * 30 s.  That timeout is a hang guard, never a time limit (a test checks
 * counts and events, not durations), and the suite runs where a test takes
 * 10-30 times what it takes on Debian's kernel on an idle host: the debug
 * kernel (KASAN, lockdep) under TCG beside other guests.  There, on
 * 2026-11-26 at a host load of 14-17 on 2 CPUs, prog_correct's whole-drive
 * scans, timing_cmd's EXECs over 64 KiB and exec_extents' random lists
 * went past 30 s without hanging.  A test that needs more says so with
 * TEST_F_TIMEOUT(); a hung test still ends, its program's `settings`
 * timeout and tools/vm/run's limit above it.
 *
 * TEST() and TEST_F() read TEST_TIMEOUT_DEFAULT where they are used, so
 * redefining it after the harness is included is enough.
 */
#ifndef URINGBLK_HARNESS_H
#define URINGBLK_HARNESS_H

#include "../kselftest_harness.h"

#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 300

/*
 * A failed ASSERT_*() leaves the test by longjmp() from inside the
 * harness's OPTIONAL_HANDLER loop, whose step (trigger = __bail()) never
 * runs: trigger stays set.  FIXTURE_TEARDOWN then runs, and its first
 * ASSERT_*(), even one that holds, sees trigger set and bails again, back
 * into the teardown, forever (zone_model spun so on 6.12 until the
 * runner's 900 s limit).  The trigger is cleared before bailing here.
 */
static inline int uringblk_bail(int for_realz, struct __test_metadata *t)
{
	t->trigger = 0;
	return __bail(for_realz, t);
}
#undef OPTIONAL_HANDLER
#define OPTIONAL_HANDLER(_assert) \
	for (; _metadata->trigger; _metadata->trigger = uringblk_bail(_assert, _metadata))

/*
 * EXPECT_*() and ASSERT_*() end in the harness's OPTIONAL_HANDLER, a `for`
 * that takes the TH_LOG() written after them; GCC 12 then calls a block
 * `{ ... }` that follows one at the same indentation misleading (13 of
 * them in this suite).  Nothing else in the tests is indented by a macro.
 */
#pragma GCC diagnostic ignored "-Wmisleading-indentation"

#endif /* URINGBLK_HARNESS_H */
