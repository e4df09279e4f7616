#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/deps.sh - make sure every Debian package uringblk needs is installed.
#
# Usage:  tools/deps.sh [--no-install] [--build] [--quiet] [--debug-kernel]
#                       [--kernel SERIES]...
#         (or: source tools/deps.sh [...])
#
# Checks each package with dpkg-query; when some are missing it says which and
# why, then installs them non-interactively with apt-get (as root, or through
# `sudo -n` when not root).  It also checks that the headers of the kernel the
# test VM boots (tools/kver: Linux 6.1's newest /boot/vmlinuz-*) are installed, because the module
# must be built against that kernel and not against the host's `uname -r`.
#
# Quiet when everything is present: one line on stderr (none with --quiet).
# Safe to run with CI=true and no stdin.  When sourced it returns instead of
# exiting and leaves no shell options or variables behind except the function
# itself.
#
# URINGBLK_DEPS_NO_INSTALL=1 (or --no-install) only reports, exit status 1 if
# anything is missing, with the apt-get command that installs it.
# --build: only the packages a plain `make` needs (the Makefile runs
# `tools/deps.sh --build --no-install --quiet` before building anything).
# --no-kernel: not the Debian kernel image and headers (a module built
# against KDIR= of one's own).
# --debug-kernel: also what building the debug guest kernel needs
# (tools/vm/debug-kernel; make check-debug).
# --kernel SERIES (like 6.12): also Debian 12's image and headers of that
# kernel series, which make check boots beside 6.1 when
# URINGBLK_CHECK_KERNELS names it (tools/check): the installed release's
# headers, or when none is installed the newest linux-image-SERIES.N+deb12-amd64
# in the apt lists and its headers (bookworm's own archive carries 6.12).

uringblk_deps() {
	local no_install=${URINGBLK_DEPS_NO_INSTALL:-0} build_only=0 quiet=0 no_kernel=0 debug_kernel=0 arg
	local -a series=()
	while (($#)); do
		arg=$1
		shift
		case $arg in
		--kernel)
			[[ ${1:-} =~ ^[0-9]+\.[0-9]+$ ]] ||
				{ echo "usage: tools/deps.sh --kernel SERIES (like 6.12)" >&2; return 2; }
			series+=("$1")
			shift ;;
		--no-install) no_install=1 ;;
		--build) build_only=1 ;;
		--quiet) quiet=1 ;;
		--no-kernel) no_kernel=1 ;;
		--debug-kernel) debug_kernel=1 ;;
		*) echo "usage: tools/deps.sh [--no-install] [--build] [--quiet] [--no-kernel] [--debug-kernel] [--kernel SERIES]..." >&2
		   return 2 ;;
		esac
	done

	# package | needed by `make` (build) or only by the tests, the demo and
	# the benchmarks (test) | why the project needs it
	local -a table=(
		"linux-image-amd64|build|guest kernel and modules (null_blk, brd, 9p) booted by tools/vm/run; the module is built for it"
		"linux-headers-amd64|build|headers to build uringblk.ko for the guest kernel"
		"linux-source-6.1|test|kselftest harness, scripts/kernel-doc for the library's man pages (tools/man/gen-man), the guest kernel's source for 6.1 APIs, resolve_btfids for the module's BTF (kernel-BPF programs; tools/btf/module-btf), and nvme-core's header for the module's NVMe controller (tools/nvme-src)"
		"dwarves|test|pahole: the module's BTF, which kernel-BPF programs need (without it make builds a module that runs programs in its interpreter only)"
		"qemu-system-x86|test|the test VM (tools/vm/run)"
		"busybox-static|test|the test VM's initramfs"
		"cpio|test|packing the test VM's initramfs"
		"xz-utils|test|unpacking linux-source-6.1.tar.xz and .ko.xz modules"
		"gcc|build|building the module and userspace"
		"libc6-dev|build|the C library's headers (gcc alone does not bring them)"
		"make|build|building everything"
		"liburing-dev|build|io_uring for liburingblk, the CLI and the tests"
		"libbpf-dev|build|opening BPF objects in the CLI and tests"
		"libelf-dev|build|ELF sections of BPF objects (liburingblk links -lelf)"
		"zlib1g-dev|build|-lz for libbpf in static links"
		"linux-libc-dev|build|<linux/*.h> and <asm/*.h> for userspace and BPF programs"
		"libsqlite3-dev|build|sqlite3ext.h for the SQLite extension and libsqlite3 for its test (lib/sqlite)"
		"clang|build|compiling BPF programs (bpf/) and libFuzzer targets"
		"llvm|test|llvm-objdump/llvm-strip for BPF objects"
		"libclang-rt-14-dev|test|libFuzzer runtime for tests/fuzz"
		"bpftool|test|inspecting BPF objects, and nvme-core.ko's BTF for the NVMe controller's layout check (tools/nvme-src)"
		"fio|test|benchmarks and I/O checks in the VM (its io_uring_cmd engine against the NVMe front end)"
		"nvme-cli|test|nvme id-ctrl, id-ns, read, write against the drive's NVMe passthrough (selftests/uringblk/nvme_cli.sh)"
		"kmod|test|insmod/modprobe/modinfo in the VM, module dependency lists"
		"util-linux|test|dmesg, setsid, blkzone in the VM"
		"btrfs-progs|test|mkfs.btrfs -O zoned: the zoned file system test (zonefs-tools is not in bookworm)"
		"xfsprogs|test|mkfs.xfs, xfs_io: offload over files on XFS, reflinked and realtime files (selftests/uringblk/file_fs.sh)"
		"f2fs-tools|test|mkfs.f2fs: offload over files on f2fs, on one and two drives and zoned (selftests/uringblk/file_fs.sh)"
		"rocksdb-tools|test|db_bench and ldb: RocksDB on the drive's file systems, checksums verified after a reopen (selftests/uringblk/rocksdb.sh, tools/bench/rocksdb)"
		"pkg-config|test|finding liburing and libbpf flags"
		"python3|test|the benchmarks' reports (tools/bench/*.py) and JSON checks in the library tests"
		"python3-pytest|test|the Python bindings' tests (tests/python, selftests/uringblk/python.sh)"
		"python3-numpy|test|numpy arrays of the Python bindings' results and memory reads (python/uringblk; their tests skip without it)"
		"python3-matplotlib|test|the Python bindings' plots as PNG and SVG (python/uringblk/plot.py, tests/python/test_plot.py, tools/bench pictures)"
		"sparse|test|the lint stage's sparse over the module on each kernel (tools/lint/run, make lint)"
		"python3-mypy|test|mypy --strict over the Python bindings: the native stage \"python types\" (tests/python/Makefile typecheck)"
		"sqlite3|test|an independent engine checking TPC-H Q6/Q1 answers (tools/tpch/sqlite_check.sh)"
		"groff-base|test|groff: the man-page checks render every page with warnings on (tests/docs/check-man-render.sh)"
		"debhelper|test|make deb: building the Debian packages (debian/, tools/deb/build)"
		"dh-dkms|test|make deb: the DKMS package's scripts (debian/uringblk-dkms.dkms)"
		"dh-python|test|make deb: python3-uringblk's dependencies and byte-compiling (dh_python3)"
		"dkms|test|the package test: DKMS builds the module from the installed package in the guest (tools/deb/vm-test)"
		"lintian|test|make deb: checking the packages (tools/deb/build)"
	)
	((debug_kernel)) && table+=(
		"flex|debug|building the debug kernel (Kconfig)"
		"bison|debug|building the debug kernel (Kconfig)"
		"bc|debug|building the debug kernel (timeconst.h)"
		"libssl-dev|debug|building the debug kernel (sign-file, extract-cert)"
		"rsync|debug|copying the module's sources for the debug build (tools/check --debug-kernel)"
	)
	if ! command -v dpkg-query >/dev/null 2>&1; then
		echo "deps: no dpkg-query: not Debian, cannot check the packages (see tools/deps.sh)" >&2
		[[ $build_only == 1 ]]
		return
	fi
	local -a rows=()
	for arg in "${table[@]}"; do
		[[ $build_only == 1 && $arg != *"|build|"* ]] && continue
		[[ $no_kernel == 1 && $arg == linux-@(image|headers)-* ]] && continue
		rows+=("$arg")
	done

	# The VM boots tools/kver's kernel (6.1's newest, or KVER=); its headers
	# must match it exactly (the -amd64 meta package can lag behind or run
	# ahead, and Debian 12's 6.12 image may be installed beside it).
	local kver= kverbin
	kverbin=$(dirname "${BASH_SOURCE[0]}")/kver
	if [[ $no_kernel == 0 ]] && kver=$("$kverbin" 2>/dev/null); then
		rows+=("linux-headers-$kver|build|headers matching the VM kernel $kver")
	fi
	# Another series make check boots (--kernel): its installed release's
	# headers, or the newest release Debian 12 offers, image and headers.
	local s k pkg
	local -a extra_kvers=()
	for s in "${series[@]}"; do
		((no_kernel)) && break
		# the source also gives the module its NVMe controller there
		# (nvme-core's private header, tools/nvme-src)
		rows+=("linux-source-$s|test|nvme-core's header for the module's NVMe controller on Linux $s (tools/nvme-src), and the source of its debug kernel")
		if k=$("$kverbin" --newest "$s" 2>/dev/null); then
			rows+=("linux-headers-$k|test|headers to build uringblk.ko for Linux $s ($k), which make check's VM stages boot too (URINGBLK_CHECK_KERNELS)")
			extra_kvers+=("$k")
			continue
		fi
		pkg=$(apt-cache pkgnames "linux-image-$s." 2>/dev/null |
			grep -E "^linux-image-${s//./\\.}\.[0-9]+\+deb12-amd64\$" | sort -V | tail -n 1)
		if [[ -z $pkg ]]; then
			echo "deps: no Linux $s kernel installed, and none in the apt lists (linux-image-$s.*+deb12-amd64; apt-get update?)" >&2
			return 1
		fi
		k=${pkg#linux-image-}
		rows+=("$pkg|test|the Linux $s guest kernel ($k) that make check's VM stages boot too (URINGBLK_CHECK_KERNELS)"
		       "linux-headers-$k|test|headers to build uringblk.ko for Linux $s ($k)")
		extra_kvers+=("$k")
	done

	# One dpkg-query for all of them: "name status" for each known package.
	local -A installed=()
	local pkg status
	local -a names=("${rows[@]%%|*}")
	while read -r pkg status; do
		[[ $status == ii* ]] && installed[$pkg]=1
	done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' -- "${names[@]}" 2>/dev/null)

	local -a missing=() why=()
	for arg in "${rows[@]}"; do
		pkg=${arg%%|*}
		[[ -n ${installed[$pkg]:-} ]] && continue
		missing+=("$pkg")
		why+=("  $pkg: ${arg##*|}")
	done

	if ((${#missing[@]} == 0)); then
		[[ $quiet == 1 ]] ||
			echo "deps: all ${#rows[@]} packages present${kver:+ (VM kernel $kver)}" >&2
		return 0
	fi

	{
		if [[ $build_only == 1 ]]; then
			echo "deps: the build needs ${#missing[@]} package(s) that are not installed:"
		else
			echo "deps: ${#missing[@]} package(s) missing:"
		fi
		printf '%s\n' "${why[@]}"
	} >&2
	if [[ $no_install == 1 ]]; then
		{
			echo "deps: to install them, as root: apt-get install ${missing[*]}"
			echo "deps: (or run tools/deps.sh: it installs everything make check and make demo need)"
		} >&2
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
		kver=$("$kverbin" 2>/dev/null) || kver=
	fi
	for k in $kver ${extra_kvers[@]+"${extra_kvers[@]}"}; do
		if [[ ! -e /usr/lib/modules/$k/modules.dep.bin ]]; then
			"${asroot[@]}" depmod -a "$k" || return 1
		fi
	done
	echo "deps: installed ${missing[*]}" >&2
	return 0
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	uringblk_deps "$@"
	exit
else
	uringblk_deps "$@"
fi
