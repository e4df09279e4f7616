/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvme-core's transport entry points (and the one list this transport
 * walks) that differ between the two kernels
 * (Documentation/dev/nvme-controller.md, "6.1 against 6.12"), for
 * nvme_ctrl.c alone, after nvme-core's private header.  Each is detected
 * from that header by Kbuild, not from the version number: Debian's 6.1.y
 * carries backports.
 */
#ifndef URINGBLK_COMPAT_NVME_H
#define URINGBLK_COMPAT_NVME_H

/* 6.12 split nvme_init_ctrl(): nvme_add_ctrl() names it and adds /dev/nvmeX. */
static inline int compat_nvme_add_ctrl(struct nvme_ctrl *ctrl)
{
#ifdef URINGBLK_NVME_ADD_CTRL
	return nvme_add_ctrl(ctrl);
#else
	return 0;
#endif
}

/* 6.12's quiesce helpers were 6.1's start/stop queue helpers. */
#ifdef URINGBLK_NVME_QUIESCE
#define compat_nvme_quiesce_admin_queue		nvme_quiesce_admin_queue
#define compat_nvme_unquiesce_admin_queue	nvme_unquiesce_admin_queue
#define compat_nvme_quiesce_io_queues		nvme_quiesce_io_queues
#define compat_nvme_unquiesce_io_queues		nvme_unquiesce_io_queues
#else
#define compat_nvme_quiesce_admin_queue		nvme_stop_admin_queue
#define compat_nvme_unquiesce_admin_queue	nvme_start_admin_queue
#define compat_nvme_quiesce_io_queues		nvme_stop_queues
#define compat_nvme_unquiesce_io_queues		nvme_start_queues
#endif

/* 6.12's nvme_init_ctrl_finish() learnt whether the controller was suspended. */
static inline int compat_nvme_init_ctrl_finish(struct nvme_ctrl *ctrl)
{
#ifdef URINGBLK_NVME_FINISH_SUSPENDED
	return nvme_init_ctrl_finish(ctrl, false);
#else
	return nvme_init_ctrl_finish(ctrl);
#endif
}

/* A shutdown (CC.SHN) was 6.1's nvme_shutdown_ctrl(). */
static inline int compat_nvme_shutdown_ctrl(struct nvme_ctrl *ctrl)
{
#ifdef URINGBLK_NVME_DISABLE_SHUTDOWN
	return nvme_disable_ctrl(ctrl, true);
#else
	return nvme_shutdown_ctrl(ctrl);
#endif
}

/* A dead controller's namespaces fail their I/O: 6.1's nvme_kill_queues(). */
static inline void compat_nvme_mark_namespaces_dead(struct nvme_ctrl *ctrl)
{
#ifdef URINGBLK_NVME_MARK_DEAD
	nvme_mark_namespaces_dead(ctrl);
#else
	nvme_kill_queues(ctrl);
#endif
}

/*
 * The controller's namespace list: 6.1 reads it under namespaces_rwsem,
 * 6.12 under the controller's SRCU.  compat_nvme_ns_lock() returns what
 * compat_nvme_ns_unlock() takes.
 */
#ifdef URINGBLK_NVME_NS_RWSEM
static inline int compat_nvme_ns_lock(struct nvme_ctrl *ctrl)
{
	down_read(&ctrl->namespaces_rwsem);
	return 0;
}

static inline void compat_nvme_ns_unlock(struct nvme_ctrl *ctrl, int idx)
{
	up_read(&ctrl->namespaces_rwsem);
}

#define compat_nvme_for_each_ns(ns, ctrl) \
	list_for_each_entry(ns, &(ctrl)->namespaces, list)
#else
static inline int compat_nvme_ns_lock(struct nvme_ctrl *ctrl)
{
	return srcu_read_lock(&ctrl->srcu);
}

static inline void compat_nvme_ns_unlock(struct nvme_ctrl *ctrl, int idx)
{
	srcu_read_unlock(&ctrl->srcu, idx);
}

#define compat_nvme_for_each_ns(ns, ctrl) \
	list_for_each_entry_srcu(ns, &(ctrl)->namespaces, list, \
				 srcu_read_lock_held(&(ctrl)->srcu))
#endif

#endif /* URINGBLK_COMPAT_NVME_H */
