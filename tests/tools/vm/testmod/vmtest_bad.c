// SPDX-License-Identifier: GPL-2.0
/*
 * vmtest_bad - a module that misbehaves on purpose, so that tests/tools/vm/selftest
 * can prove that tools/vm/run notices a kernel WARN or oops and fails the run,
 * and that the debug kernel's checkers (KASAN, KFENCE, lockdep, UBSAN,
 * DEBUG_ATOMIC_SLEEP, DEBUG_OBJECTS) report what they exist to catch.
 * Never load it anywhere but the throw-away test VM.
 */
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/kfence.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timer.h>

static char *mode = "none";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "none, warn (WARN at load), oops (NULL dereference at load), warn_exit (WARN at unload); "
		 "on the debug kernel: kasan_uaf, kasan_oob, kfence, lockdep, atomic_sleep, odebug, ubsan");

/*
 * A slab object that KFENCE did (want_kfence) or did not sample, so that a
 * KASAN test is reported by KASAN and a KFENCE test by KFENCE.  KFENCE takes
 * one allocation per sample interval (100 ms by default): keep asking for a
 * few seconds.
 */
static void *vmtest_alloc(size_t size, bool want_kfence)
{
	int i;

	for (i = 0; i < 5000; i++) {
		void *p = kmalloc(size, GFP_KERNEL);

		if (!p || is_kfence_address(p) == want_kfence)
			return p;
		kfree(p);
		if (want_kfence)
			usleep_range(1000, 2000);
	}
	return NULL;
}

/* Reads that the compiler may not drop or prove out of bounds. */
static noinline char vmtest_read(const volatile char *p)
{
	return *p;
}

static DEFINE_MUTEX(vmtest_a);
static DEFINE_MUTEX(vmtest_b);
static DEFINE_SPINLOCK(vmtest_lock);

struct vmtest_timer {
	struct timer_list timer;
};

static void vmtest_timer_fn(struct timer_list *t)
{
}

struct vmtest_bounds {
	int a[4];
	int after;	/* a[4] lands here: UBSAN's business, not KASAN's */
};

static int vmtest_checker(void)
{
	if (!strcmp(mode, "kasan_uaf")) {
		char *p = vmtest_alloc(64, false);

		if (!p)
			return -ENOMEM;
		kfree(p);
		pr_info("vmtest_bad: use-after-free read: %d\n", vmtest_read(p + 8));
	} else if (!strcmp(mode, "kasan_oob")) {
		char *p = vmtest_alloc(40, false);

		if (!p)
			return -ENOMEM;
		pr_info("vmtest_bad: out-of-bounds read: %d\n", vmtest_read(p + 40));
		kfree(p);
	} else if (!strcmp(mode, "kfence")) {
		char *p = vmtest_alloc(64, true);

		if (!p)
			return -ENOMEM;
		if (!is_kfence_address(p)) {
			pr_err("vmtest_bad: KFENCE sampled no allocation\n");
			kfree(p);
			return -EAGAIN;
		}
		kfree(p);
		pr_info("vmtest_bad: use-after-free read: %d\n", vmtest_read(p));
	} else if (!strcmp(mode, "lockdep")) {
		/* A then B, later B then A: an ABBA inversion that never deadlocks. */
		mutex_lock(&vmtest_a);
		mutex_lock(&vmtest_b);
		mutex_unlock(&vmtest_b);
		mutex_unlock(&vmtest_a);
		mutex_lock(&vmtest_b);
		mutex_lock(&vmtest_a);
		mutex_unlock(&vmtest_a);
		mutex_unlock(&vmtest_b);
	} else if (!strcmp(mode, "atomic_sleep")) {
		spin_lock(&vmtest_lock);
		might_sleep();
		spin_unlock(&vmtest_lock);
	} else if (!strcmp(mode, "odebug")) {
		struct vmtest_timer *t = kzalloc(sizeof(*t), GFP_KERNEL);

		if (!t)
			return -ENOMEM;
		timer_setup(&t->timer, vmtest_timer_fn, 0);
		mod_timer(&t->timer, jiffies + 3600 * HZ);
		/* Freed while armed; DEBUG_OBJECTS' fixup cancels the timer. */
		kfree(t);
	} else if (!strcmp(mode, "ubsan")) {
		struct vmtest_bounds b = {};
		volatile int i = ARRAY_SIZE(b.a);

		pr_info("vmtest_bad: index %d of int[4]: %d\n", i, b.a[i]);
	} else {
		pr_err("vmtest_bad: unknown mode '%s'\n", mode);
		return -EINVAL;
	}
	return 0;
}

static int __init vmtest_bad_init(void)
{
	if (!strcmp(mode, "warn")) {
		WARN(1, "vmtest_bad: WARN requested at load\n");
	} else if (!strcmp(mode, "oops")) {
		/* volatile: the compiler must not prove the access away. */
		int *volatile p = NULL;

		pr_info("vmtest_bad: oops requested at load\n");
		return *p;
	} else if (strcmp(mode, "none") && strcmp(mode, "warn_exit")) {
		return vmtest_checker();
	}
	return 0;
}

static void __exit vmtest_bad_exit(void)
{
	WARN(!strcmp(mode, "warn_exit"), "vmtest_bad: WARN requested at unload\n");
}

module_init(vmtest_bad_init);
module_exit(vmtest_bad_exit);
MODULE_DESCRIPTION("Misbehaves on purpose to test the VM runner's WARN/oops detection");
MODULE_LICENSE("GPL");
