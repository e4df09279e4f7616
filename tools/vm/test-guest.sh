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
# vm_test_tcg_thread: single: one host thread runs the guest's vCPUs in
# turn (tools/vm/run --tcg-thread).  On this 2-core host it was faster
# quiet (the 6.1 suite 958 s against 1102) and far faster beside a CPU hog
# (five programs 219 s against 480), where a vCPU thread waits for its
# descheduled sibling; and it leaves the other core to the native stages
# that tools/check runs beside the guests.
# shellcheck disable=SC2034 # used by the scripts that source this
vm_test_cpu=max,-erms,-fsrm
# shellcheck disable=SC2034
vm_test_append=norandmaps
# shellcheck disable=SC2034
vm_test_tcg_thread=single
