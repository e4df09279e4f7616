/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kfunc set's BTF ids on each kernel (kbpf.c only; compat.h holds the
 * rest of the compat layer, Documentation/dev/kernels.md lists it all).
 *
 * Since 6.8, register_btf_kfunc_id_set() refuses (-EINVAL) a set that
 * BTF_KFUNCS_START() did not make, which marks it BTF_SET8_KFUNCS (the
 * commit is not confirmed here); 6.1 has only BTF_SET8_START().  The
 * header's own flag says which kernel this is.
 */
#ifndef URINGBLK_COMPAT_BTF_H
#define URINGBLK_COMPAT_BTF_H

#include <linux/btf_ids.h>

#ifdef BTF_SET8_KFUNCS
#define URINGBLK_KFUNCS_START(name)	BTF_KFUNCS_START(name)
#define URINGBLK_KFUNCS_END(name)	BTF_KFUNCS_END(name)
#else
#define URINGBLK_KFUNCS_START(name)	BTF_SET8_START(name)
#define URINGBLK_KFUNCS_END(name)	BTF_SET8_END(name)
#endif

#endif /* URINGBLK_COMPAT_BTF_H */
