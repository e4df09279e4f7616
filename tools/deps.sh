#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/deps.sh - make sure every Debian package uringblk needs is installed.
#
# Usage:  tools/deps.sh [--no-install] [--debug-kernel]   (or: source tools/deps.sh)
#
# Checks each package with dpkg-query; when some are missing it says which and
# why, then installs them non-interactively with apt-get (as root, or through
# `sudo -n` when not root).  It also checks that the headers of the kernel the
# test VM boots (the newest /boot/vmlinuz-*) are installed, because the module
# must be built against that kernel and not against the host's `uname -r`.
#
# Quiet when everything is present: one line on stderr.  Safe to run with
# CI=true and no stdin.  When sourced it returns instead of exiting and leaves
# no shell options or variables behind except the function itself.
#
# URINGBLK_DEPS_NO_INSTALL=1 (or --no-install) only reports, exit status 1 if
# anything is missing.  --debug-kernel adds what building the debug guest
# kernel needs (tools/vm/debug-kernel; make check-debug).

uringblk_deps() {
	local no_install=${URINGBLK_DEPS_NO_INSTALL:-0} debug_kernel=0 arg
	for arg; do
		[[ $arg == --no-install ]] && no_install=1
		[[ $arg == --debug-kernel ]] && debug_kernel=1
	done

	# package | why the project needs it
	local -a table=(
		"linux-image-amd64|guest kernel and modules (null_blk, brd, 9p) booted by tools/vm/run"
		"linux-headers-amd64|headers to build uringblk.ko for the guest kernel"
		"linux-source-6.1|kselftest harness and the guest kernel's source for 6.1 APIs"
		"qemu-system-x86|the test VM (tools/vm/run)"
		"busybox-static|the test VM's initramfs"
		"cpio|packing the test VM's initramfs"
		"xz-utils|unpacking linux-source-6.1.tar.xz and .ko.xz modules"
		"liburing-dev|io_uring for liburingblk, the CLI and the tests"
		"libbpf-dev|opening BPF objects in the CLI and tests"
		"fio|benchmarks and I/O checks in the VM"
		"clang|compiling BPF programs and libFuzzer targets"
		"llvm|llvm-objdump/llvm-strip for BPF objects"
		"libclang-rt-14-dev|libFuzzer runtime for tests/fuzz"
		"bpftool|inspecting BPF objects"
		"kmod|insmod/modprobe/modinfo in the VM, module dependency lists"
		"util-linux|dmesg, setsid, blkzone in the VM"
		"btrfs-progs|mkfs.btrfs -O zoned: the zoned file system test (zonefs-tools is not in bookworm)"
		"pkg-config|finding liburing and libbpf flags"
		"make|building everything"
		"gcc|building the module and userspace"
	)
	((debug_kernel)) && table+=(
		"flex|building the debug kernel (Kconfig)"
		"bison|building the debug kernel (Kconfig)"
		"bc|building the debug kernel (timeconst.h)"
		"libelf-dev|building the debug kernel (objtool)"
		"libssl-dev|building the debug kernel (sign-file, extract-cert)"
		"rsync|copying the module's sources for the debug build (tools/check --debug-kernel)"
	)
	local -a missing=() why=()
	local row pkg status
	for row in "${table[@]}"; do
		pkg=${row%%|*}
		status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null)
		if [[ $status != ii* ]]; then
			missing+=("$pkg")
			why+=("  $pkg: ${row#*|}")
		fi
	done

	# The VM boots the newest installed kernel; its headers must match it
	# exactly (the -amd64 meta package can lag behind or run ahead).
	local vmlinuz kver=
	vmlinuz=$(printf '%s\n' /boot/vmlinuz-* | sort -V | tail -n 1)
	if [[ -e $vmlinuz ]]; then
		kver=${vmlinuz#/boot/vmlinuz-}
		status=$(dpkg-query -W -f='${db:Status-Abbrev}' \
			 "linux-headers-$kver" 2>/dev/null)
		if [[ $status != ii* ]]; then
			missing+=("linux-headers-$kver")
			why+=("  linux-headers-$kver: headers matching the VM kernel $kver")
		fi
	fi

	if ((${#missing[@]} == 0)); then
		echo "deps: all ${#table[@]} packages present${kver:+ (VM kernel $kver)}" >&2
		return 0
	fi

	{
		echo "deps: ${#missing[@]} package(s) missing:"
		printf '%s\n' "${why[@]}"
	} >&2
	if [[ $no_install == 1 ]]; then
		echo "deps: not installing (--no-install); run: apt-get install ${missing[*]}" >&2
		return 1
	fi

	local -a asroot=()
	if ((EUID != 0)); then
		if command -v sudo >/dev/null 2>&1; then
			# -n: never prompt; CI has no stdin and a prompt would hang.
			asroot=(sudo -n)
		else
			echo "deps: not root and no sudo; as root run: apt-get install ${missing[*]}" >&2
			return 1
		fi
	fi
	local -a apt=("${asroot[@]}" env DEBIAN_FRONTEND=noninteractive
		      apt-get -q -y -o Dpkg::Use-Pty=0)

	# Only refresh the package lists when there are none or the install
	# fails: an update costs time and network on every CI run otherwise.
	if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
		echo "deps: apt lists are empty, running apt-get update" >&2
		"${apt[@]}" update </dev/null >&2 || return 1
	fi
	echo "deps: installing ${missing[*]}" >&2
	if ! "${apt[@]}" install --no-install-recommends "${missing[@]}" \
	     </dev/null >&2; then
		echo "deps: install failed, running apt-get update and retrying" >&2
		"${apt[@]}" update </dev/null >&2 || return 1
		if ! "${apt[@]}" install --no-install-recommends "${missing[@]}" \
		     </dev/null >&2; then
			echo "deps: apt-get install ${missing[*]} failed" >&2
			return 1
		fi
	fi

	# Installing a kernel image runs depmod through its postinst, but a
	# tree copied in by other means may lack it; modprobe in the VM needs it.
	if [[ -z $kver ]]; then
		vmlinuz=$(printf '%s\n' /boot/vmlinuz-* | sort -V | tail -n 1)
		[[ -e $vmlinuz ]] && kver=${vmlinuz#/boot/vmlinuz-}
	fi
	if [[ -n $kver && ! -e /usr/lib/modules/$kver/modules.dep.bin ]]; then
		"${asroot[@]}" depmod -a "$kver" || return 1
	fi
	echo "deps: installed ${missing[*]}" >&2
	return 0
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	uringblk_deps "$@"
	exit
else
	uringblk_deps "$@"
fi
