/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The drives' configuration (config.c): the module parameters, their
 * checks at load, the defaults configfs starts from, the backends by name
 * and the check of a whole configuration.  struct uringblk_config itself
 * and uringblk_msg() are uringblk.h's.
 */
#ifndef URINGBLK_CONFIG_H
#define URINGBLK_CONFIG_H

#include <linux/types.h>

struct kernel_param;
struct uringblk_backend_ops;
struct uringblk_config;
struct uringblk_msg;

/* for main.c */
int uringblk_config_init(void);
int uringblk_config_validate(const struct uringblk_config *cfg,
			     struct uringblk_msg *msg);
const struct uringblk_backend_ops *uringblk_backend(u32 backing);
bool uringblk_config_iostats(void);
unsigned int uringblk_config_nr_devices(void);

/* for configfs.c and the run-time parameters of other files */
void uringblk_default_config(struct uringblk_config *cfg);
const char *uringblk_backing_name(u32 backing);
int uringblk_backing_parse(const char *name, struct uringblk_msg *msg);
int uringblk_param_set_uint_max(const char *val, const struct kernel_param *kp,
				unsigned int max, const char *why);

#endif /* URINGBLK_CONFIG_H */
