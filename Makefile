# SPDX-License-Identifier: GPL-2.0
#
# uringblk top-level Makefile.
#
#   make            module + library + CLI + example programs (no tests)
#   make module     uringblk.ko against tools/kver's kernel (6.1; KVER/KDIR to override),
#                   with its BTF (tools/btf/module-btf) when pahole and linux-source are there
#   make module-kver KVER=6.12.117+deb12-amd64
#                   uringblk.ko for another kernel in out/module/KVER/, beside the
#                   default one's (Documentation/dev/kernels.md)
#   make selftests  the kselftests (selftests/), built, not run
#   make unit       build and run the native tests of tests/ but the fuzzer (no VM)
#   make learn N=3  check lesson 3 of the learning path (docs/learn) in a VM:
#                   your exercise, or with SOLUTION=1 the lesson's solution
#   make check      the whole test suite (installs what it needs; see README);
#                   make check T="prog_kbpf lib" only those tests or native stages
#   make check-quick the native stages only (no module, no VM): for editing
#   make lint       checkpatch, kernel-doc, sparse and W=1 over the module's
#                   sources on 6.1 and 6.12 (tools/lint/run; make check's lint
#                   stage, also make check T=lint)
#   make check-debug the VM suite on the debug kernel (KASAN, lockdep, UBSAN...;
#                   builds that kernel once, ~1 h on 2 cores; see Documentation/dev/debug-kernel.md)
#   make demo       the demo in a VM (installs what it needs)
#   make bench      the benchmarks (numbers, not tests)
#   make man        the library's section-3 man pages, from the headers'
#                   kernel-doc, into out/man/man3 (tools/man/gen-man); the
#                   other pages are written by hand in Documentation/man/
#   make install    library, headers, CLI, tools and man pages under
#                   DESTDIR/PREFIX (default /usr/local; MANDIR=PREFIX/share/man)
#   make uninstall  removes what install put there
#   make deb        Debian packages into out/deb: the module as DKMS source,
#                   the library, its -dev package, the tools (tools/deb/build;
#                   tools/deb/vm-test installs and tries them in a guest)
#   make clean
#
# The module is built for the kernel the test VM boots, not for `uname -r`:
# the host may run a different kernel (or one without module support).
# make and kbuild split paths at spaces: say so, instead of failing oddly.
ifneq ($(words $(CURDIR)),1)
$(error this tree's path has spaces ('$(CURDIR)'): make and kbuild cannot build there; move or clone it to a path without spaces)
endif

# tools/kver chooses it: Linux 6.1's newest installed release unless KVER=.
KVER ?= $(shell $(CURDIR)/tools/kver)
KDIR ?= /usr/src/linux-headers-$(KVER)

.PHONY: all module module-kver lib tools bpf selftests unit learn check check-quick check-debug lint demo bench man install install-man uninstall clean deb dist

# Before building anything, the Debian packages the build needs: a plain
# `make` on a fresh machine stops here, saying which are missing and the
# command that installs them, instead of with a compiler error.  check and
# demo install what they need themselves (tools/deps.sh).
# URINGBLK_DEPS_CHECKED=1 skips this (another distribution).
ifneq ($(filter-out check demo deb clean man install-man uninstall,$(or $(MAKECMDGOALS),all)),)
ifneq ($(URINGBLK_DEPS_CHECKED),1)
DEPS_FLAGS := --build --no-install --quiet
# A KDIR of one's own needs no Debian kernel headers.
ifneq ($(filter command line environment,$(origin KDIR)),)
DEPS_FLAGS += --no-kernel
endif
ifneq ($(shell "$(CURDIR)/tools/deps.sh" $(DEPS_FLAGS) >&2 && echo ok),ok)
$(error missing build dependencies, listed above)
endif
export URINGBLK_DEPS_CHECKED := 1
endif
endif

all: module lib tools bpf

# Then the module's BTF, which kbuild skips without the kernel's vmlinux:
# kernel-BPF programs need it (tools/btf/module-btf; without pahole or
# linux-source it says so and the module runs programs in its
# interpreter only).
# nvme-core's private header for the NVMe controller (driver/nvme_ctrl.c),
# proven for KDIR's kernel (tools/nvme-src prints its directory, or says
# why not: the module is then built without the controller).
NVME_SRC = "$(CURDIR)/tools/nvme-src" --quiet --out "$(CURDIR)/out/nvme-src" "$(KDIR)" || \
	echo "module: building without the NVMe controller (nvme_ctrl=1 will be refused)" >&2

module:
	@test -d "$(KDIR)" || { echo "no kernel headers at $(KDIR) (run tools/deps.sh, or set KDIR=)"; exit 1; }
	+@src=$$($(NVME_SRC)); $(MAKE) -C $(KDIR) M=$(CURDIR) URINGBLK_NVME_SRC="$$src" modules
	@"$(CURDIR)/tools/btf/module-btf" --kdir "$(KDIR)" --out "$(CURDIR)/out" "$(CURDIR)/uringblk.ko"

# The module for KVER's kernel in out/module/KVER/, leaving the default
# one's in place: kbuild writes its objects next to the sources, so it
# builds a copy of them (the sources only, their times kept, so a rebuild
# is incremental; a source deleted since stays in the copy, unbuilt).
# Copied with find and cp, which every Debian has (rsync is not installed
# by default).  KCFLAGS=-Werror as for any kbuild (tools/check's
# module-6.12 stage).
MODOUT = $(CURDIR)/out/module/$(KVER)
module-kver:
	@test -d "$(KDIR)" || { echo "no kernel headers at $(KDIR) (run tools/deps.sh, or set KDIR=)"; exit 1; }
	@mkdir -p "$(MODOUT)" && cd "$(CURDIR)" && \
		find Kbuild VERSION driver include \( -name Kbuild -o -name VERSION -o -name '*.[ch]' \) -print0 | \
		xargs -0 cp -p --parents -t "$(MODOUT)"
	+@src=$$($(NVME_SRC)); $(MAKE) -C $(KDIR) M=$(MODOUT) URINGBLK_NVME_SRC="$$src" modules
	@"$(CURDIR)/tools/btf/module-btf" --kdir "$(KDIR)" --out "$(CURDIR)/out" "$(MODOUT)/uringblk.ko"

lib:
	$(MAKE) -C lib

tools: lib
	$(MAKE) -C tools

bpf:
	$(MAKE) -C bpf
	$(MAKE) -C docs/learn

learn: module tools
	@test -n "$(N)" || { echo "usage: make learn N=<lesson> [SOLUTION=1] (lessons: docs/learn)"; exit 2; }
	tools/learn $(N) $(if $(SOLUTION),--solution)

selftests: lib
	$(MAKE) -C selftests

unit:
	@for d in lib lib/sqlite tools bpf tests/unit tests/python; do test -f $$d/Makefile && $(MAKE) -C $$d check || exit 1; done

check:
	tools/check $(if $(T),--only $(T))

check-quick:
	tools/check --quick

# The kernel's own checkers (Documentation/dev/testing.md, "The lint stage").
lint:
	tools/lint/run

check-debug:
	tools/check --debug-kernel

demo:
	tools/demo

# Debian packages into out/deb (Documentation/admin/packages.md): the
# module as DKMS source, liburingblk1, liburingblk-dev, uringblk-tools;
# built from a copy of the tree, then checked by lintian.
deb:
	tools/deb/build

# The release tarball, out/dist/uringblk-VERSION.tar.xz: the files git
# tracks and their MANIFEST, from which `make deb` builds without git.
dist:
	tools/dist

# Numbers, not tests: fio vs null_blk and brd, zoned vs zoned null_blk,
# EXEC round trip vs a 4 KiB read, B+-tree lookups host vs EXEC, the
# computational storage model (MEM_COPY + EXECUTE) vs EXEC.  See
# tools/bench/README.md.
bench: module
	tools/bench/baseline
	tools/bench/zoned
	tools/bench/exec_latency
	tools/bench/lookup
	tools/bench/slm

PREFIX ?= /usr/local
MANDIR ?= $(PREFIX)/share/man
export PREFIX

# Section 3 is generated (kernel-doc of lib/include/liburingblk/*.h and
# lib/include/uringblk_cs.h); sections 1, 7 and 8 are the files of
# Documentation/man/, readable as they are with man -l.
man:
	tools/man/gen-man --out "$(CURDIR)/out/man"

install-man: man
	@for s in 1 3 7 8; do install -d "$(DESTDIR)$(MANDIR)/man$$s"; done
	install -m 644 out/man/man3/*.3 "$(DESTDIR)$(MANDIR)/man3/"
	@for s in 1 7 8; do \
		set -- Documentation/man/*.$$s; test -e "$$1" || continue; \
		echo "install -m 644 Documentation/man/*.$$s $(DESTDIR)$(MANDIR)/man$$s/"; \
		install -m 644 "$$@" "$(DESTDIR)$(MANDIR)/man$$s/" || exit 1; \
	done

# Like liburing's: the library (static, shared, pkg-config), its headers
# and the uAPI header, the SQLite extension (uringblk_sqlite.so, beside the
# library), the CLI and the tools, the man pages.  The module is not
# installed (it is built for the test VM's kernel; see README).
install: lib tools install-man
	$(MAKE) -C lib install
	$(MAKE) -C lib/sqlite install
	$(MAKE) -C tools install

uninstall:
	$(MAKE) -C lib uninstall
	$(MAKE) -C lib/sqlite uninstall
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,uringblk uringblk-alpha-demo \
		uringblk-btree uringblk-tpch uringblk-embed uringblk-ssdsim)
	rm -f $(patsubst Documentation/man/%,$(DESTDIR)$(MANDIR)/man8/%,$(wildcard Documentation/man/*.8)) \
	      $(patsubst Documentation/man/%,$(DESTDIR)$(MANDIR)/man7/%,$(wildcard Documentation/man/*.7)) \
	      $(patsubst Documentation/man/%,$(DESTDIR)$(MANDIR)/man1/%,$(wildcard Documentation/man/*.1))
	rm -f $(patsubst out/man/man3/%,$(DESTDIR)$(MANDIR)/man3/%,$(wildcard out/man/man3/*.3))

clean:
	-test -d "$(KDIR)" && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf out
