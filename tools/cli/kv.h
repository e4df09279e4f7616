/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * What the kv subcommands share (kv.c: put, get, list, exists, del;
 * kv_query.c: query): a KEY from the command line, DEV and KEY checked and
 * the drive opened, and a failed command reported with the drive's status.
 */
#ifndef URINGBLK_CLI_KV_H
#define URINGBLK_CLI_KV_H

#include "cli.h"

struct cli_kv_key {
	__u8	b[URINGBLK_KV_MAX_KEY];
	size_t	len;
};

/*
 * KEY as written (1-16 bytes), or 0x and two hex digits a byte: 0, or the
 * usage error printed and CLI_USAGE returned.
 */
int cli_kv_parse_key(const struct cli_cmd *cmd, const char *s,
		     struct cli_kv_key *k);

/*
 * Exactly @nargs arguments after the options (@what names them for the
 * usage error): DEV, then KEY into @k unless @k is NULL, both checked,
 * then DEV opened into *@dev.  0, or the error printed and the CLI_* exit
 * code returned.
 */
int cli_kv_open(const struct cli_cmd *cmd, int argc, char **argv, int nargs,
		const char *what, struct uringblk_dev **dev,
		struct cli_kv_key *k);

/*
 * "uringblk: kv get KEY: KV Key Does Not Exist (0h/87h) (errno ENOENT)":
 * @msg if not empty, else the drive's last status (@dev may be NULL), else
 * @err's; CLI_FAIL.
 */
int cli_kv_fail(const struct uringblk_dev *dev, const char *what, int err,
		const char *msg);

#endif /* URINGBLK_CLI_KV_H */
