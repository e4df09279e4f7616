# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tools/vm/test-guest.sh - sourced by tools/check and tools/deb/vm-test:
# the CPU and kernel command line of the guests that run tests, which
# differ from tools/vm/run's defaults (those the benchmarks keep) only to
# make TCG cheaper (Documentation/dev/testing.md, "Where the time goes").
#
# vm_test_cpu: QEMU's max without ERMS and FSRM: TCG emulates the kernel's
# and glibc's "rep movsb/stosb" a byte at a time (dd of 2 GiB in the guest
# 0.7 s against 3.7 s).
# vm_test_append: norandmaps: QEMU 7.2 finds a translated block by its
# virtual address, and address space randomization gives each process new
# ones, so every process would run ld.so's and libc's start-up through the
# translator again (a /bin/true 31 ms, 10 ms without).  Nothing a test
# checks depends on where user space is mapped.
# shellcheck disable=SC2034 # used by the scripts that source this
vm_test_cpu=max,-erms,-fsrm
# shellcheck disable=SC2034
vm_test_append=norandmaps
