// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Kernel-BPF programs (ABI 1.6): a SEC("syscall") program loaded into the
 * host kernel with libbpf (the kernel verifies and JIT-compiles it), then
 * handed to the drive by fd with PROG_LOAD F_BPF_FD.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "private.h"

/* PROG_LOAD: prog_load.log_len (log buffer length) is at most this. */
#define URINGBLK_PROG_LOG_MAX	4096

int uringblk_kbpf_load_fd(struct uringblk_dev *dev, int prog_fd,
			  const char *name, __u32 pind, char *log,
			  size_t log_len)
{
	struct uringblk_prog_kbpf k = { .prog_fd = (__u32)prog_fd,
					.type = URINGBLK_PROG_TYPE_KBPF };
	size_t name_len = name ? strlen(name) : 0;
	struct uringblk_cmd cmd;

	if (log && log_len)
		log[0] = '\0';
	if (!dev || prog_fd < 0)
		return -EINVAL;
	if (name_len > URINGBLK_PROG_NAME_LEN)
		return -ENAMETOOLONG;
	uringblk_cmd_init(&cmd, URINGBLK_PROG_LOAD_F_BPF_FD, &k, sizeof(k));
	if (log && log_len) {
		cmd.prog_load.log_addr = (__u64)(uintptr_t)log;
		cmd.prog_load.log_len = log_len < URINGBLK_PROG_LOG_MAX ?
					log_len : URINGBLK_PROG_LOG_MAX;
	}
	memcpy(cmd.prog_load.name, name, name_len);
	cmd.prog_load.pind = pind;
	return uringblk_submit_cmd(dev, URINGBLK_CMD_PROG_LOAD, &cmd, NULL, NULL);
}

/* The SEC("syscall") program named @pick, or the only one. */
static struct bpf_program *pick_prog(struct bpf_object *obj, const char *pick,
				     const char *path, char *log, size_t log_len,
				     int *err)
{
	struct bpf_program *p, *found = NULL;
	unsigned int n = 0;

	bpf_object__for_each_program(p, obj) {
		if (bpf_program__type(p) != BPF_PROG_TYPE_SYSCALL)
			continue;
		n++;
		if (!pick || !strcmp(bpf_program__name(p), pick))
			found = found ? found : p;
	}
	if (pick && !found) {
		set_msg(log, log_len, "%s has no SEC(\"syscall\") program %s", path, pick);
		*err = -ENOENT;
		return NULL;
	}
	if (!n) {
		set_msg(log, log_len, "%s has no SEC(\"syscall\") program: kernel-BPF programs "
			"for the drive are syscall programs (bpf/uringblk_kbpf.h)", path);
		*err = -EINVAL;
		return NULL;
	}
	if (!pick && n > 1) {
		set_msg(log, log_len, "%s has %u SEC(\"syscall\") programs: name one", path, n);
		*err = -EINVAL;
		return NULL;
	}
	return found;
}

int uringblk_kbpf_load_file(struct uringblk_dev *dev, const char *obj_path,
			    const char *prog_name, const char *name, __u32 pind,
			    char *log, size_t log_len)
{
	char fname[URINGBLK_PROG_NAME_LEN + 1];
	struct bpf_program *prog, *p;
	struct bpf_object *obj;
	int err, ret;

	if (log && log_len)
		log[0] = '\0';
	if (!dev || !obj_path)
		return -EINVAL;
	if (name && strlen(name) > URINGBLK_PROG_NAME_LEN)
		return -ENAMETOOLONG;
	obj = bpf_object__open_file(obj_path, NULL);
	err = libbpf_get_error(obj);
	if (err) {
		set_msg(log, log_len, "libbpf cannot open %s", obj_path);
		return err < 0 ? err : -EINVAL;
	}
	prog = pick_prog(obj, prog_name, obj_path, log, log_len, &err);
	if (!prog) {
		ret = err;
		goto out;
	}
	/* only this one is loaded into the kernel */
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, p == prog);
	/* the verifier's words when it refuses */
	if (log && log_len)
		bpf_program__set_log_buf(prog, log, log_len);
	ret = bpf_object__load(obj);
	if (ret) {
		if (log && log_len && !log[0])
			set_msg(log, log_len, "the kernel refused %s:%s (libbpf's "
				"messages above)", obj_path, bpf_program__name(prog));
		ret = ret < 0 ? ret : -EINVAL;
		goto out;
	}
	snprintf(fname, sizeof(fname), "%s", bpf_program__name(prog));
	/*
	 * The drive takes its own reference: the program (and the maps it
	 * uses) live on after the object is closed, as long as the drive
	 * holds it.
	 */
	ret = uringblk_kbpf_load_fd(dev, bpf_program__fd(prog),
				    name ? name : fname, pind, log, log_len);
out:
	bpf_object__close(obj);
	return ret;
}
