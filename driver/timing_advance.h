/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The timer advance's rule (uAPI "The timing model", Timers; used by
 * timing.c), apart from it so that the native unit tests run it
 * (tests/unit/timertest.c): arithmetic only, on the kernel's s64 and u32.
 */
#ifndef _URINGBLK_TIMING_ADVANCE_H
#define _URINGBLK_TIMING_ADVANCE_H

/* The most one firing moves the advance, ns. */
#define URINGBLK_TIMER_ADVANCE_STEP_NS	2000

/**
 * uringblk_timer_advance_next() - the advance after one timer firing
 * @adv:	the advance the timer was armed with, ns (0..@cap)
 * @err:	when it fired minus the deadline, ns: > 0 late, < 0 early
 * @cap:	timer_advance_ns, the largest advance (0: none)
 *
 * Moves the advance by what the timer fired late (up) or early (down),
 * clipped to URINGBLK_TIMER_ADVANCE_STEP_NS.  Clipped, a firing is little
 * more than a vote, so the advance settles near the median lateness of
 * the host's timers, however far out the outliers are: following the mean
 * would chase the long tail of a busy host and end most requests early.
 */
static inline s64 uringblk_timer_advance_next(s64 adv, s64 err, u32 cap)
{
	if (err > URINGBLK_TIMER_ADVANCE_STEP_NS)
		err = URINGBLK_TIMER_ADVANCE_STEP_NS;
	else if (err < -URINGBLK_TIMER_ADVANCE_STEP_NS)
		err = -URINGBLK_TIMER_ADVANCE_STEP_NS;
	adv += err;
	return adv < 0 ? 0 : adv > (s64)cap ? (s64)cap : adv;
}

#endif /* _URINGBLK_TIMING_ADVANCE_H */
