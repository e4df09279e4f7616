// SPDX-License-Identifier: GPL-2.0
/*
 * The timing model's timer advance (driver/timing_advance.h), natively:
 * the rule the driver applies at each held request's end, fed with
 * lateness drawn as a TCG guest's timers show it (a floor, a spread, a
 * long tail of outliers).  Checks that the advance
 *   - never leaves 0..cap, and stays 0 with cap 0;
 *   - moves at most URINGBLK_TIMER_ADVANCE_STEP_NS per firing, however far
 *     out the firing was (an outlier of a second moves it one step);
 *   - settles at the median lateness, not the mean (the tail pulls the
 *     mean far above it), so that about half the requests end early;
 *   - sits at cap when the host is later than cap;
 *   - follows the host when its lateness changes, and comes back down
 *     when it falls (also through requests ended inline: err < 0).
 * No timing: deterministic random numbers.
 *
 * usage: timertest (prints "timertest: N checks passed, N failed")
 */
#include <stdio.h>
#include <stdlib.h>
#include <linux/types.h>

typedef __s64 s64;
typedef __u32 u32;
#include "timing_advance.h"

static int passed, failed;

#include "../check.h"

static unsigned long long rng = 88172645463325252ULL;

static unsigned long long next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/*
 * A host timer's lateness, ns: @floor plus up to @spread, and one firing
 * in 10 late by up to 20x @spread more (a descheduled vCPU).
 */
static s64 lateness(s64 floor, s64 spread)
{
	s64 l = floor + (s64)(next() % (unsigned long long)spread);

	if (next() % 10 == 0)
		l += (s64)(next() % (unsigned long long)(20 * spread));
	return l;
}

static int cmp_s64(const void *a, const void *b)
{
	s64 x = *(const s64 *)a, y = *(const s64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Runs @n firings from advance @adv; each fires lateness() after the
 * time it was armed for (the deadline - advance).  Returns the final
 * advance; *@early gets how many ended before their deadline in the last
 * half, *@med the median lateness drawn, *@max_step the largest move.
 */
static s64 run(s64 adv, u32 cap, int n, s64 floor, s64 spread, int *early,
	       s64 *med, s64 *max_step, int *outside)
{
	static s64 l[100000];

	*early = 0;
	*max_step = 0;
	*outside = 0;
	for (int i = 0; i < n; i++) {
		s64 err, next_adv, step;

		l[i] = lateness(floor, spread);
		err = l[i] - adv;	/* fired at deadline - adv + lateness */
		if (i >= n / 2 && err < 0)
			(*early)++;
		next_adv = uringblk_timer_advance_next(adv, err, cap);
		step = next_adv > adv ? next_adv - adv : adv - next_adv;
		if (step > *max_step)
			*max_step = step;
		if (next_adv < 0 || next_adv > (s64)cap)
			(*outside)++;
		adv = next_adv;
	}
	qsort(l, n, sizeof(l[0]), cmp_s64);
	*med = l[n / 2];
	return adv;
}

int main(void)
{
	s64 adv, med, max_step, mean = 0;
	int early, outside, n = 20000;

	/* a TCG guest: 60 us floor, 0-100 us spread, a tail to 2 ms */
	adv = run(0, 1000000, n, 60000, 100000, &early, &med, &max_step, &outside);
	CHECK(outside == 0, "%d advances outside 0..cap", outside);
	CHECK(max_step <= URINGBLK_TIMER_ADVANCE_STEP_NS, "a step of %lld ns",
	      (long long)max_step);
	CHECK(adv > med - 10000 && adv < med + 10000,
	      "advance %lld ns, median lateness %lld ns", (long long)adv, (long long)med);
	CHECK(early > n / 2 * 35 / 100 && early < n / 2 * 65 / 100,
	      "%d of %d ended early", early, n / 2);
	for (int i = 0; i < 10000; i++)
		mean += lateness(60000, 100000);
	mean /= 10000;
	CHECK(mean > med + 50000, "the tail should pull the mean (%lld) above the median (%lld)",
	      (long long)mean, (long long)med);

	/* cap 0: nothing is ever advanced */
	adv = run(0, 0, 1000, 60000, 100000, &early, &med, &max_step, &outside);
	CHECK(adv == 0 && max_step == 0 && outside == 0, "advance %lld with cap 0",
	      (long long)adv);

	/* a host later than cap: the advance sits at cap, never beyond */
	adv = run(0, 20000, 5000, 60000, 100000, &early, &med, &max_step, &outside);
	CHECK(adv == 20000 && outside == 0 && early == 0,
	      "advance %lld, %d outside, %d early", (long long)adv, outside, early);

	/* an outlier of a second, either way, moves it one step */
	CHECK(uringblk_timer_advance_next(50000, 1000000000, 1000000) ==
	      50000 + URINGBLK_TIMER_ADVANCE_STEP_NS, "late outlier");
	CHECK(uringblk_timer_advance_next(50000, -1000000000, 1000000) ==
	      50000 - URINGBLK_TIMER_ADVANCE_STEP_NS, "early outlier");
	CHECK(uringblk_timer_advance_next(1000, -5000, 1000000) == 0, "floor at 0");
	CHECK(uringblk_timer_advance_next(999000, 5000, 1000000) == 1000000, "ceiling at cap");
	CHECK(uringblk_timer_advance_next(70000, 0, 1000000) == 70000, "on time: unchanged");
	CHECK(uringblk_timer_advance_next(70000, 700, 1000000) == 70700, "small: all of it");

	/* the host gets faster: from 200 us down to 20 us, it follows */
	adv = run(0, 1000000, 4000, 200000, 20000, &early, &med, &max_step, &outside);
	CHECK(adv > med - 10000 && adv < med + 10000, "slow host: %lld vs %lld",
	      (long long)adv, (long long)med);
	adv = run(adv, 1000000, 4000, 20000, 20000, &early, &med, &max_step, &outside);
	CHECK(adv > med - 10000 && adv < med + 10000, "fast host: %lld vs %lld",
	      (long long)adv, (long long)med);

	printf("timertest: %d checks passed, %d failed\n", passed, failed);
	return failed != 0;
}
