// SPDX-License-Identifier: GPL-2.0
/*
 * The controller's generic nodes against nvme-core's own lifetimes
 * (Documentation/dev/nvme-controller.md, "nvme-core frees a generic node
 * under its open file"): a drive refuses to power off while one is open,
 * and a removal that cannot be refused keeps the namespace of one that is
 * until its last close.
 * Built with nvme_ctrl.c, against nvme-core's private header.
 *
 * The fence's entry W1 (compat_internals.h): it reads a cdev's kobject
 * count and takes over nvme-core's device ->release.  Needed on 6.1 and
 * 6.12 (6.1.192, 6.12.117 read).  Upstream: not fixed in the newest
 * nvme-core read (a linux-next snapshot after 6.13, a later Ubuntu tree:
 * nvme_ns_chr_release() and nvme_cdev_rel() unchanged); the fix this file
 * stands in for is Documentation/dev/nvme-generic-node-uaf.patch.
 * tests/tools/workarounds-test.sh reads each kernel's core.c for it.
 */
#include URINGBLK_NVME_HOST_H	/* nvme-core's nvme.h: struct nvme_ns and more */
#include URINGBLK_NVME_LAYOUT_H	/* its layout, checked against nvme-core.ko */
#include "compat_nvme.h"

#include <linux/cdev.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "uringblk.h"
#include "nvme_ctrl.h"

MODULE_IMPORT_NS(NVME_TARGET_PASSTHRU);	/* nvme_put_ns(), nvmet's passthru's */

/*
 * A generic node's struct cdev lives in nvme-core's struct nvme_ns (under
 * multipath, its struct nvme_ns_head), which goes with the namespace's
 * last reference.  A node still open when its namespace is removed drops
 * that reference in its ->release() (nvme_ns_chr_release()), and
 * __fput()'s cdev_put() right after it then writes freed memory: the same
 * code in 6.1 and 6.12, for every transport (KASAN on the debug kernel,
 * found by nvme_cp_exec's removal).  Each open file holds a reference on
 * the cdev's kobject, one more than the cdev's own.
 */
static bool uringblk_ctrl_cdev_open(struct cdev *cdev)
{
	return kref_read(&cdev->kobj.kref) > 1;
}

/*
 * A namespace kept for its open node, until that node's struct device is
 * released: nvme-core's release (nvme_cdev_rel()) runs when the cdev's
 * kobject, whose parent the device is, has dropped its last reference,
 * the last open file's, after __fput()'s cdev_put().  Its ->release is
 * taken over to drop the namespace right after nvme-core's own, in a
 * work item: the last reference may take the controller with it
 * (->free_ctrl, in this module).  The module stays until then.
 */
struct uringblk_ctrl_kept {
	struct list_head	entry;
	struct device		*node;
	void			(*release)(struct device *node);
	struct nvme_ns		*ns;
};

static DEFINE_SPINLOCK(uringblk_kept_lock);
static LIST_HEAD(uringblk_kept);	/* nodes still open */
static LIST_HEAD(uringblk_kept_done);	/* nodes released: namespaces to put */

static void uringblk_ctrl_kept_put(struct work_struct *work)
{
	struct uringblk_ctrl_kept *k;

	for (;;) {
		spin_lock(&uringblk_kept_lock);
		k = list_first_entry_or_null(&uringblk_kept_done,
					     struct uringblk_ctrl_kept, entry);
		if (k)
			list_del(&k->entry);
		spin_unlock(&uringblk_kept_lock);
		if (!k)
			return;
		nvme_put_ns(k->ns);
		kfree(k);
		/* uringblk_nvme_ctrl_exit() flushes this work: it ends first */
		module_put(THIS_MODULE);
	}
}

static DECLARE_WORK(uringblk_kept_work, uringblk_ctrl_kept_put);

static void uringblk_ctrl_kept_release(struct device *node)
{
	struct uringblk_ctrl_kept *k, *found = NULL;

	spin_lock(&uringblk_kept_lock);
	list_for_each_entry(k, &uringblk_kept, entry) {
		if (k->node == node) {
			found = k;
			list_move_tail(&k->entry, &uringblk_kept_done);
			break;
		}
	}
	spin_unlock(&uringblk_kept_lock);
	if (WARN_ON_ONCE(!found))
		return;
	found->release(node);
	schedule_work(&uringblk_kept_work);
}

/*
 * Keep @ns, whose generic node @node is open, until @node is released.
 * Under multipath the node is its head's, and one namespace (which holds
 * the head) is enough: another controller's removal finds it kept.
 */
static void uringblk_ctrl_keep(struct nvme_ctrl *ctrl, struct nvme_ns *ns,
			       struct device *node)
{
	struct uringblk_ctrl_kept *k;

	if (node->release == uringblk_ctrl_kept_release)
		return;
	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k) {
		/* no memory: never let go of it rather than free it under the file */
		kref_get(&ns->kref);
		dev_warn(ctrl->device, "/dev/%s is open as its namespace goes: kept for good (no memory to track it)\n",
			 dev_name(node));
		return;
	}
	__module_get(THIS_MODULE);
	kref_get(&ns->kref);
	k->node = node;
	k->ns = ns;
	k->release = node->release;
	spin_lock(&uringblk_kept_lock);
	list_add_tail(&k->entry, &uringblk_kept);
	node->release = uringblk_ctrl_kept_release;
	spin_unlock(&uringblk_kept_lock);
	dev_info(ctrl->device, "/dev/%s is open as its namespace goes: the namespace stays until its last close\n",
		 dev_name(node));
}

/*
 * Walk @ctrl's namespaces for a generic node that is open: copy its name
 * to @name; with @keep, also keep its namespace until the node's last
 * close (uringblk_ctrl_keep()).  Return: how many were open.
 */
static int uringblk_ctrl_open_nodes(struct nvme_ctrl *ctrl, char *name, size_t len,
				    bool keep)
{
	struct nvme_ns *ns;
	int idx, n = 0;

	idx = compat_nvme_ns_lock(ctrl);
	compat_nvme_for_each_ns(ns, ctrl) {
		struct cdev *cdev = &ns->cdev;
		struct device *node = &ns->cdev_device;

#ifdef CONFIG_NVME_MULTIPATH
		if (nvme_ns_head_multipath(ns->head)) {
			cdev = &ns->head->cdev;
			node = &ns->head->cdev_device;
		}
#endif
		if (!uringblk_ctrl_cdev_open(cdev))
			continue;
		if (!n++ && name)
			strscpy(name, dev_name(node), len);
		if (keep)
			uringblk_ctrl_keep(ctrl, ns, node);
	}
	compat_nvme_ns_unlock(ctrl, idx);
	return n;
}

/**
 * uringblk_nvme_ctrl_busy() - may the drive's controller go now?
 * @dev:	the drive
 * @msg:	why not (for configfs's "error"); may be NULL
 *
 * Return: 0, or -EBUSY while a generic node of its namespaces is open:
 * Linux's NVMe driver would free the node's memory under its open file.
 */
int uringblk_nvme_ctrl_busy(struct uringblk_dev *dev, struct uringblk_msg *msg)
{
	char name[32];
	int i;

	for (i = 0; i < URINGBLK_NVME_MAX_CTRLS; i++)
		if (dev->nvme_ctrl[i] &&
		    uringblk_ctrl_open_nodes(dev->nvme_ctrl[i], name, sizeof(name), false))
			break;
	if (i == URINGBLK_NVME_MAX_CTRLS)
		return 0;
	uringblk_msg(msg, "%s: /dev/%s is open: close the controller's generic nodes first (Linux's NVMe driver frees a namespace under its open node)",
		     dev->name, name);
	return -EBUSY;
}

/**
 * uringblk_nvme_ctrl_keep_open_nodes() - before nvme-core removes @ctrl's namespaces
 * @ctrl:	a controller of a drive that goes
 *
 * Keeps the namespace of every generic node still open until the node's
 * last close, so that the close frees nothing under it.  Process context.
 */
void uringblk_nvme_ctrl_keep_open_nodes(struct nvme_ctrl *ctrl)
{
	uringblk_ctrl_open_nodes(ctrl, NULL, 0, true);
}

/**
 * uringblk_nvme_ctrl_exit() - at module exit
 *
 * Every kept namespace holds the module, so none is left; the work that
 * put the last may still be returning from its module_put().
 */
void uringblk_nvme_ctrl_exit(void)
{
	flush_work(&uringblk_kept_work);
}
