# SPDX-License-Identifier: GPL-2.0
#
# uringblk top-level Makefile.
#
#   make            module + library + CLI (+ selftests, unit tests)
#   make module     uringblk.ko against the newest installed kernel (KVER/KDIR to override)
#   make check      the whole test suite (installs what it needs; see README)
#   make check-debug the VM suite on the debug kernel (KASAN, lockdep, UBSAN...;
#                   builds that kernel once, ~1 h on 2 cores; see README)
#   make demo       the demo in a VM (installs what it needs)
#   make bench      the benchmarks (numbers, not tests)
#   make clean
#
# The module is built for the kernel the test VM boots, not for `uname -r`:
# the host may run a different kernel (or one without module support).
KVER ?= $(shell ls /boot/vmlinuz-* 2>/dev/null | sed 's|.*/vmlinuz-||' | sort -V | tail -1)
KDIR ?= /usr/src/linux-headers-$(KVER)

.PHONY: all module lib tools bpf selftests unit check check-debug demo bench clean

all: module lib tools bpf

module:
	@test -d "$(KDIR)" || { echo "no kernel headers at $(KDIR) (run tools/deps.sh, or set KDIR=)"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

lib:
	$(MAKE) -C lib

tools: lib
	$(MAKE) -C tools

bpf:
	$(MAKE) -C bpf

selftests: lib
	$(MAKE) -C selftests

unit:
	@for d in lib tools bpf tests/unit; do test -f $$d/Makefile && $(MAKE) -C $$d check || exit 1; done

check:
	tools/check

check-debug:
	tools/check --debug-kernel

demo:
	tools/demo

# Numbers, not tests: fio vs null_blk and brd, zoned vs zoned null_blk,
# EXEC round trip vs a 4 KiB read.  See tools/bench/README.md.
bench: module
	tools/bench/baseline
	tools/bench/zoned
	tools/bench/exec_latency

clean:
	-test -d "$(KDIR)" && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf out
