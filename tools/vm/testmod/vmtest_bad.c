// SPDX-License-Identifier: GPL-2.0
/*
 * vmtest_bad - a module that misbehaves on purpose, so that tools/vm/selftest
 * can prove that tools/vm/run notices a kernel WARN or oops and fails the run.
 * Never load it anywhere but the throw-away test VM.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

static char *mode = "none";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "none, warn (WARN at load), oops (NULL dereference at load), warn_exit (WARN at unload)");

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
		pr_err("vmtest_bad: unknown mode '%s'\n", mode);
		return -EINVAL;
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
