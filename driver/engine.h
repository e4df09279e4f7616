/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The engines that run programs, behind one interface: the eBPF
 * interpreter (prog_interp.c), device-defined native C (prog_native.c) and
 * kernel BPF (kbpf.c).  A program's engine is chosen once, by the path
 * that loads it (prog.c: PROG_LOAD, PROG_LOAD F_BPF_FD, the device-defined
 * programs at drive creation), and stored with it (prog->engine), as the
 * kernel chooses a BPF program's runtime once at load
 * (bpf_prog_select_runtime()).  Everything after that (exec_run.c's runs,
 * prog.c's PROG_LIST, release and debugfs) calls through the ops and never
 * asks which engine it has.  The instances are in engine.c.
 */
#ifndef URINGBLK_ENGINE_H
#define URINGBLK_ENGINE_H

#include <linux/types.h>

struct seq_file;
struct uringblk_dev;
struct uringblk_prog;
struct uringblk_prog_env;
struct uringblk_prog_info;
struct uringblk_prog_result;
struct uringblk_prog_state;

/**
 * struct uringblk_engine - how one kind of program runs
 * @name:	for messages
 * @run:	start a run of @prog: the arguments and return values of
 *		uringblk_prog_run() (0, -errno, or URINGBLK_PROG_YIELDED with
 *		@res not filled); @st is the run's scratch (prog_vm.h)
 * @resume:	go on with a run that returned URINGBLK_PROG_YIELDED, with the
 *		same @st and an env as uringblk_prog_resume() allows; an engine
 *		that cannot resume starts the run again (prog_native.h,
 *		"Yield: a restart, not a resume")
 * @may_run_inline: may a run start in the issuing task with ops that never
 *		sleep and a slice of @slice budget units?  @nr_pieces is the
 *		number of pieces of the grant (exec_grant.c; 0 for EXECUTE).
 *		False: the worker starts it.  Never sleeps
 * @release:	optional: drop what the engine holds for @prog, when its
 *		last reference goes (no run holds it any more).  Never sleeps
 * @info:	fill its part of PROG_LIST's entry: type, flags, bpf_id
 * @show_holder: optional: its debugfs "holders" line, for an engine whose
 *		programs keep the module loaded (debugfs.c).  May sleep
 *
 * Run and resume: process context; they sleep only if @env's ops do (the
 * worker's), except kernel BPF, which always sleeps and so never starts
 * inline.
 */
struct uringblk_engine {
	const char *name;
	int (*run)(const struct uringblk_prog *prog,
		   struct uringblk_prog_state *st,
		   const struct uringblk_prog_env *env,
		   struct uringblk_prog_result *res);
	int (*resume)(const struct uringblk_prog *prog,
		      struct uringblk_prog_state *st,
		      const struct uringblk_prog_env *env,
		      struct uringblk_prog_result *res);
	bool (*may_run_inline)(const struct uringblk_prog *prog,
			       const struct uringblk_prog_env *env,
			       u32 nr_pieces, u32 slice);
	void (*release)(struct uringblk_prog *prog);
	void (*info)(const struct uringblk_prog *prog,
		     struct uringblk_prog_info *info);
	void (*show_holder)(struct uringblk_dev *dev,
			    const struct uringblk_prog *prog, struct seq_file *m);
};

/* engine.c */
extern const struct uringblk_engine uringblk_engine_interp;	/* URINGBLK_PROG_TYPE_EBPF */
extern const struct uringblk_engine uringblk_engine_native;	/* URINGBLK_PROG_TYPE_DEVICE */
extern const struct uringblk_engine uringblk_engine_kbpf;	/* URINGBLK_PROG_TYPE_KBPF */

#endif /* URINGBLK_ENGINE_H */
