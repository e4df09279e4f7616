/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * <liburingblk/drive.h> - drives at runtime: create, remove and list drives
 * through the driver's configfs interface.
 *
 * Part of <liburingblk.h>, which includes every header of liburingblk.
 */
#ifndef LIBURINGBLK_DRIVE_H
#define LIBURINGBLK_DRIVE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Drives at runtime (liburingblk 1.3)
 * -----------------------------------
 * A drive made at runtime is a configfs item, URINGBLK_CONFIGFS_DIR/NAME,
 * whose attribute files hold its configuration; writing 1 to its "power"
 * attribute creates /dev/uringblkN and /dev/uringblkcN, and "index" then
 * reads N.  The attribute names are the driver's: the subsystem's
 * "features" file lists them, and these functions take any of them as
 * "key=value" (e.g. "capacity_mb=64", "block_size=4096", "zoned=1").
 * Drives made by the nr_devices module parameter are not in configfs:
 * uringblk_list() shows them, only unloading the module removes them.
 *
 * All need root.  Each takes a @msg buffer that receives a one-line reason
 * for a failure (the errno alone cannot say which value was wrong), or ""
 * on success; it may be NULL.
 */

#define URINGBLK_CONFIGFS_DIR	"/sys/kernel/config/uringblk"

/**
 * struct uringblk_drive - a drive or configfs item, from uringblk_list()
 * @name:	configfs item name, or NULL for a drive made by the
 *		nr_devices module parameter
 * @index:	N of /dev/uringblkN; -1 for an item that is not powered on
 * @attrs:	NULL-terminated "key=value" strings, one per readable
 *		attribute file of the item (values without the trailing
 *		newline), sorted by name; NULL for nr_devices drives.
 *		See uringblk_drive_attr()
 */
struct uringblk_drive {
	char	*name;
	int	index;
	char	**attrs;
};

/**
 * uringblk_create() - create and power on a drive
 * @name:	configfs item name: one path component, not "." or ".."
 * @kv:		NULL-terminated "key=value" attributes written in this order
 *		before power-on, or NULL for the driver's defaults (the
 *		module parameters)
 * @index:	if not NULL, receives N of the new /dev/uringblkN
 * @msg:	receives the reason of a failure, or NULL
 * @msg_len:	its size
 *
 * The driver validates the configuration as a whole at power-on; if it
 * refuses, the reason is its "error" attribute where the driver has one,
 * else a pointer to the kernel log.  Whatever fails after the item was
 * made, the item is removed again: a failed call leaves nothing behind.
 *
 * Return: 0; -ENODEV (the module is not loaded or configfs is not
 * mounted: @msg says which and how to fix it); -EEXIST (a drive of that
 * name exists); -EINVAL (a bad @name, an entry not "key=value", a key the
 * driver does not have, named in @msg, or a value the driver refused);
 * -ERANGE (a value too large for its attribute); the errno of a refused
 * power-on (-EINVAL for an invalid configuration, -ENOSPC for no free
 * device index, -ENOMEM...); -EACCES/-EPERM (not root).
 */
int uringblk_create(const char *name, const char *const *kv, int *index,
		    char *msg, size_t msg_len);

/**
 * uringblk_remove() - power off and remove a drive made at runtime
 * @name:	configfs item name, or a device spelling uringblk_parse_dev()
 *		takes ("/dev/uringblkN", "N"...); an item of that exact name
 *		is preferred
 * @msg:	receives the reason of a failure, or NULL
 * @msg_len:	its size
 *
 * Open files of the drive stay valid but fail with -ENODEV (commands) or
 * an I/O error (block I/O); EXECs in flight stop with -ENODEV.
 *
 * Return: 0; -ENOENT (no such drive); -EPERM (the drive was made by the
 * nr_devices module parameter); -ENODEV (module not loaded, configfs not
 * mounted); -EACCES; or another negative errno from configfs.
 */
int uringblk_remove(const char *name, char *msg, size_t msg_len);

/**
 * uringblk_list() - every configfs item and every uringblk drive
 * @drives:	receives a malloc()ed array, released with
 *		uringblk_list_free(); powered drives first by index, then
 *		unpowered items by name
 * @msg:	receives the reason of a failure, or NULL
 * @msg_len:	its size
 *
 * The configfs items with all their attributes, and the drives of
 * /sys/block no powered item accounts for (made by nr_devices).  Without
 * configfs mounted only the latter are listed.  Drives created or removed
 * meanwhile may or may not be listed.
 *
 * Return: the number of entries (0: none, *@drives may then be NULL), or
 * -ENODEV (the module is not loaded), -ENOMEM or another negative errno.
 */
int uringblk_list(struct uringblk_drive **drives, char *msg, size_t msg_len);

/**
 * uringblk_list_free() - release what uringblk_list() returned
 * @drives:	the array, or NULL
 * @nr:		its number of entries
 */
void uringblk_list_free(struct uringblk_drive *drives, int nr);

/**
 * uringblk_drive_attr() - value of one attribute of a listed item
 * @d:		entry of uringblk_list()
 * @key:	attribute name, e.g. "capacity_mb"
 *
 * Return: the value, valid until uringblk_list_free(), or NULL if the
 * item has no such attribute (or @d is an nr_devices drive).
 */
const char *uringblk_drive_attr(const struct uringblk_drive *d,
				const char *key);

#ifdef __cplusplus
}
#endif

#endif /* LIBURINGBLK_DRIVE_H */
