#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Find what pagelab needs - the tools and the files themselves, not the packages that
# usually bring them - and install what is missing where apt-get exists.  Silent and
# successful when everything is found, with or without dpkg, so the Makefile can call it
# before every run, test and grade.
#
# usage: tools/install-deps.sh [run|test|grade|debug|bench|fuzz]...   (default: run)
#        tools/install-deps.sh --paths
#
#   run    build the image and boot it: gcc (and its ASan/UBSan runtimes, for mmsim),
#          binutils, make, python3, QEMU, mtools, sfdisk,
#          gnu-efi, OVMF, SeaBIOS (make run, run-bios, run-gui, lab-run)
#   grade  run's, Criterion (the host checks) and git (the commit graded)
#   test   grade's, gdb (one QEMU test drives it), and fuzz's (make fuzz-smoke)
#   fuzz   clang and its libFuzzer runtime (make fuzz, fuzz-smoke; FUZZ_CC names the clang)
#   debug  run's, and gdb
#   bench  the benchmark-only tools: valgrind, jemalloc, mimalloc, tcmalloc
#
# --paths prints what was found, as NAME=PATH words (an empty PATH: not found), and
# checks and installs nothing: the Makefile takes its defaults from it.  This file's
# search is the only list of where things live, so the Makefile, the QEMU tests (which ask
# the Makefile) and this check cannot disagree.
#
# Every path can be given instead of searched, in the environment or on make's command
# line: OVMF_CODE, OVMF_VARS, SEABIOS, GNUEFI_INC, GNUEFI_CRT0, GNUEFI_LDS, GNUEFI_LIB.
# CROSS_COMPILE (x86_64-linux-gnu-, x86_64-elf-) names the kernel's compiler and
# binutils; HOSTCC (default gcc) is the compiler for the host tests and tools.
#
# Written for bash 3.2 too (macOS's): no associative arrays, no empty "${a[@]}".
set -eu

# The kernel is x86-64 code: elsewhere it needs a cross compiler, by default Debian's
# and Fedora's x86_64-linux-gnu- on Linux and Homebrew's x86_64-elf- on macOS (the
# Makefile makes the same choice).
host_os=$(uname -s) host_arch=$(uname -m)
case $host_os/$host_arch in
Darwin/*) default_cross=x86_64-elf- ;;
*/x86_64 | */amd64) default_cross= ;;
*) default_cross=x86_64-linux-gnu- ;;
esac
cross=${CROSS_COMPILE-$default_cross}
hostcc=${HOSTCC:-gcc}
fuzz_cc=${FUZZ_CC:-clang}

# Homebrew lives in one of these; the first is Apple silicon's, the second Intel's.
brew_prefixes="${HOMEBREW_PREFIX-} /opt/homebrew /usr/local /home/linuxbrew/.linuxbrew"

# first_file FILE...: print the first FILE that exists.
first_file() {
	local f
	for f in "$@"; do
		if [ -n "$f" ] && [ -e "$f" ]; then
			printf '%s\n' "$f"
			return 0
		fi
	done
	return 1
}

# in_brew SUFFIX: SUFFIX under every Homebrew prefix, for first_file.
in_brew() {
	local p
	for p in $brew_prefixes; do printf '%s/%s\n' "$p" "$1"; done
}

# OVMF comes as a pair: the firmware and the variable-store template it was built with.
# One pair a line: Debian 12 and Ubuntu 22.04/24.04; Fedora; Arch (new, then old
# layout); older Debian; QEMU's own copy (Homebrew, and QEMU built from source).
ovmf_pairs() {
	echo /usr/share/OVMF/OVMF_CODE_4M.fd /usr/share/OVMF/OVMF_VARS_4M.fd
	echo /usr/share/edk2/ovmf/OVMF_CODE.fd /usr/share/edk2/ovmf/OVMF_VARS.fd
	echo /usr/share/edk2/x64/OVMF_CODE.4m.fd /usr/share/edk2/x64/OVMF_VARS.4m.fd
	echo /usr/share/edk2-ovmf/x64/OVMF_CODE.fd /usr/share/edk2-ovmf/x64/OVMF_VARS.fd
	echo /usr/share/OVMF/OVMF_CODE.fd /usr/share/OVMF/OVMF_VARS.fd
	local p
	for p in $brew_prefixes /usr /usr/local; do
		echo "$p/share/qemu/edk2-x86_64-code.fd $p/share/qemu/edk2-i386-vars.fd"
	done
}

find_ovmf() {
	if [ -n "${OVMF_CODE-}" ] || [ -n "${OVMF_VARS-}" ]; then
		ovmf_code=${OVMF_CODE-} ovmf_vars=${OVMF_VARS-}
		return 0
	fi
	local code vars
	while read -r code vars; do
		if [ -e "$code" ] && [ -e "$vars" ]; then
			ovmf_code=$code ovmf_vars=$vars
			return 0
		fi
	done <<EOF
$(ovmf_pairs)
EOF
	ovmf_code='' ovmf_vars=''
}

# QEMU's q35 and pc machines load bios-256k.bin (the 128 KiB bios.bin is for old
# machine types); this is where QEMU's packages put it.
find_seabios() {
	seabios=${SEABIOS-}
	[ -n "$seabios" ] && return 0
	seabios=$(first_file /usr/share/seabios/bios-256k.bin /usr/share/qemu/bios-256k.bin \
		$(in_brew share/qemu/bios-256k.bin) /usr/local/share/qemu/bios-256k.bin) || seabios=''
}

# gnu-efi: /usr/lib on Debian, Ubuntu and Arch; /usr/lib64 (or its gnuefi/ folder) on
# Fedora.  Each part can be given alone: on an ARM host the x86-64 files come from
# somewhere else (README.md, "On other systems").
find_gnuefi() {
	local libdirs="/usr/lib /usr/lib64 /usr/lib64/gnuefi /usr/lib/gnuefi /usr/local/lib"
	local d inc crt0 lds lib
	inc=${GNUEFI_INC-} crt0=${GNUEFI_CRT0-} lds=${GNUEFI_LDS-} lib=${GNUEFI_LIB-}
	[ -n "$inc" ] || inc=$(first_file /usr/include/efi /usr/local/include/efi) || inc=''
	[ -n "$inc" ] && [ ! -e "$inc/x86_64/efibind.h" ] && [ -z "${GNUEFI_INC-}" ] && inc=''
	for d in $libdirs; do
		[ -n "$crt0" ] || crt0=$(first_file "$d/crt0-efi-x86_64.o" "$d/x64/crt0-efi-x86_64.o") || crt0=''
		[ -n "$lds" ] || lds=$(first_file "$d/elf_x86_64_efi.lds" "$d/x64/elf_x86_64_efi.lds") || lds=''
		if [ -z "$lib" ] && [ -e "$d/libefi.a" ] && [ -e "$d/libgnuefi.a" ]; then lib=$d; fi
	done
	gnuefi_inc=$inc gnuefi_crt0=$crt0 gnuefi_lds=$lds gnuefi_lib=$lib
}

find_ovmf
find_seabios
find_gnuefi

if [ "${1-}" = --paths ]; then
	echo "OVMF_CODE=$ovmf_code OVMF_VARS=$ovmf_vars SEABIOS=$seabios GNUEFI_INC=$gnuefi_inc" \
		"GNUEFI_CRT0=$gnuefi_crt0 GNUEFI_LDS=$gnuefi_lds GNUEFI_LIB=$gnuefi_lib"
	exit 0
fi

want=" "
for arg in ${1+"$@"}; do
	case $arg in
	run | debug | bench | fuzz) want="$want$arg " ;;
	grade) want="${want}run grade " ;;
	test) want="${want}run grade test fuzz " ;;
	-h | --help) sed -n '2,/^set -eu/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "install-deps.sh: unknown argument '$arg' (run, grade, test, debug, bench or fuzz)" >&2; exit 2 ;;
	esac
done
[ "$want" = " " ] && want=" run "
wants() { case $want in *" $1 "*) return 0 ;; esac; return 1; }

have() { command -v "$1" >/dev/null 2>&1; }

# The compiler can link against a library when it resolves the name to a path.
cc_has_lib() {
	local path
	have "$hostcc" || return 1
	path=$("$hostcc" -print-file-name="$1" 2>/dev/null) || return 1
	[ "$path" != "$1" ] && [ -e "$path" ]
}

cc_has_header() {
	have "$hostcc" || return 1
	printf '#include <%s>\n' "$1" | "$hostcc" -E -x c - >/dev/null 2>&1
}

# libFuzzer's runtime sits in clang's own runtime directory, named for the architecture
# (clang 14: libclang_rt.fuzzer-x86_64.a) or, from clang 15 on, in a directory per target.
clang_has_libfuzzer() {
	local dir
	have "$fuzz_cc" || return 1
	dir=$("$fuzz_cc" --print-runtime-dir 2>/dev/null) || return 1
	[ -e "$dir/libclang_rt.fuzzer-$host_arch.a" ] || [ -e "$dir/libclang_rt.fuzzer.a" ]
}

# missing: one word per thing not found, for package_names; what: a line each, to show.
missing=" "
what=""
need() { # need KEY DESCRIPTION
	case $missing in *" $1 "*) ;; *) missing="$missing$1 " ;; esac
	what="$what    $2
"
}

if wants run || wants debug; then
	have "${cross}gcc" || need cc "${cross}gcc (the kernel's compiler)"
	for t in ld objcopy objdump nm; do
		have "$cross$t" || need binutils "$cross$t (the kernel's binutils)"
	done
	have "$hostcc" || need hostcc "$hostcc (the host compiler: mmsim, the host checks)"
	cc_has_header stdio.h || need libc "the C library's headers (<stdio.h>, for $hostcc)"
	have make || need make "make"
	have python3 || need python3 "python3"
	have qemu-system-x86_64 || need qemu "qemu-system-x86_64"
	for t in mcopy mformat mmd; do have $t || need mtools "$t (mtools)"; done
	have sfdisk || PATH=$PATH:/sbin:/usr/sbin have sfdisk || need sfdisk "sfdisk"
	[ -n "$ovmf_code" ] && [ -e "$ovmf_code" ] || need ovmf "OVMF firmware (OVMF_CODE=${ovmf_code:-?})"
	[ -n "$ovmf_vars" ] && [ -e "$ovmf_vars" ] || need ovmf "OVMF variable store (OVMF_VARS=${ovmf_vars:-?})"
	[ -n "$seabios" ] && [ -e "$seabios" ] || need seabios "SeaBIOS bios-256k.bin (SEABIOS=${seabios:-?})"
	[ -n "$gnuefi_inc" ] && [ -e "$gnuefi_inc/efi.h" ] ||
		need gnuefi "gnu-efi headers: efi.h (GNUEFI_INC=${gnuefi_inc:-?})"
	[ -n "$gnuefi_crt0" ] && [ -e "$gnuefi_crt0" ] ||
		need gnuefi "gnu-efi crt0-efi-x86_64.o (GNUEFI_CRT0=${gnuefi_crt0:-?})"
	[ -n "$gnuefi_lds" ] && [ -e "$gnuefi_lds" ] ||
		need gnuefi "gnu-efi elf_x86_64_efi.lds (GNUEFI_LDS=${gnuefi_lds:-?})"
	[ -n "$gnuefi_lib" ] && [ -e "$gnuefi_lib/libefi.a" ] && [ -e "$gnuefi_lib/libgnuefi.a" ] ||
		need gnuefi "gnu-efi libefi.a and libgnuefi.a (GNUEFI_LIB=${gnuefi_lib:-?})"
	# build/mmsim is part of `make all` and is built with the sanitizers.
	cc_has_lib libasan.so || need asan "$hostcc's AddressSanitizer runtime (libasan)"
	cc_has_lib libubsan.so || need asan "$hostcc's UndefinedBehaviorSanitizer runtime (libubsan)"
fi
if wants grade; then
	cc_has_header criterion/criterion.h && cc_has_lib libcriterion.so ||
		need criterion "Criterion (criterion/criterion.h, libcriterion)"
	# The grade and the hand-in name the commit they graded.
	have git || need git "git"
fi
if wants test || wants debug; then
	have gdb || need gdb "gdb"
fi
if wants fuzz; then
	have "$fuzz_cc" || need clang "$fuzz_cc (the libFuzzer harnesses' compiler)"
	clang_has_libfuzzer || need libfuzzer "$fuzz_cc's libFuzzer runtime (libclang_rt.fuzzer)"
fi
if wants bench; then
	have "$hostcc" || need hostcc "$hostcc"
	cc_has_header stdio.h || need libc "the C library's headers (<stdio.h>, for $hostcc)"
	have valgrind || need valgrind "valgrind (callgrind)"
	cc_has_lib libjemalloc.so || need jemalloc "jemalloc (libjemalloc)"
	cc_has_header mimalloc.h && cc_has_lib libmimalloc.so || need mimalloc "mimalloc (mimalloc.h, libmimalloc)"
	cc_has_lib libtcmalloc_minimal.so || need tcmalloc "tcmalloc (libtcmalloc_minimal, from gperftools)"
fi

[ "$missing" = " " ] && exit 0

# package_names SYSTEM: the packages that bring what is missing, on SYSTEM (debian, fedora,
# arch, brew), each once; nothing for what SYSTEM has no package of.
package_names() {
	local key out="" p
	for key in $missing; do
		p=-
		case $1:$key in
		debian:cc) p=${default_cross:+gcc-x86-64-linux-gnu}; p=${p:-gcc} ;;
		debian:binutils) p=${default_cross:+binutils-x86-64-linux-gnu}; p=${p:-binutils} ;;
		debian:hostcc | debian:asan) p=gcc ;;
		debian:libc) p=libc6-dev ;;
		debian:make) p=make ;;
		debian:python3) p=python3 ;;
		debian:qemu) p=qemu-system-x86 ;;
		debian:mtools) p=mtools ;;
		debian:sfdisk) p=fdisk ;;
		debian:ovmf) p=ovmf ;;
		debian:seabios) p=seabios ;;
		debian:gnuefi) p=gnu-efi; [ -n "$default_cross" ] && p=gnu-efi:amd64 ;;
		debian:criterion) p=libcriterion-dev ;;
		debian:clang) p=clang ;;
		debian:libfuzzer) p=libclang-rt-dev ;; # the runtime of the default clang (Debian 12: 14)
		debian:gdb) p=gdb ;;
		debian:git) p=git ;;
		debian:valgrind) p=valgrind ;;
		debian:jemalloc) p=libjemalloc-dev ;;
		debian:mimalloc) p=libmimalloc-dev ;;
		debian:tcmalloc) p=libgoogle-perftools-dev ;;

		fedora:cc) p=${default_cross:+gcc-x86_64-linux-gnu}; p=${p:-gcc} ;;
		fedora:binutils) p=${default_cross:+binutils-x86_64-linux-gnu}; p=${p:-binutils} ;;
		fedora:hostcc) p=gcc ;;
		fedora:asan) p="libasan libubsan" ;;
		fedora:libc) p=glibc-devel ;;
		fedora:make) p=make ;;
		fedora:python3) p=python3 ;;
		fedora:qemu) p=qemu-system-x86-core ;;
		fedora:mtools) p=mtools ;;
		fedora:sfdisk) p=util-linux ;;
		fedora:ovmf) p=edk2-ovmf ;;
		fedora:seabios) p=seabios-bin ;;
		fedora:gnuefi) p="gnu-efi gnu-efi-devel" ;;
		fedora:criterion) p=criterion-devel ;;
		fedora:clang) p=clang ;;
		fedora:libfuzzer) p=compiler-rt ;;
		fedora:gdb) p=gdb ;;
		fedora:git) p=git ;;
		fedora:valgrind) p=valgrind ;;
		fedora:jemalloc) p=jemalloc-devel ;;
		fedora:mimalloc) p=mimalloc-devel ;;
		fedora:tcmalloc) p=gperftools-devel ;;

		arch:cc | arch:hostcc | arch:asan) p=gcc ;;
		arch:binutils | arch:make | arch:python3 | arch:gdb | arch:valgrind | arch:jemalloc) p=$key ;;
		arch:git) p=git ;;
		arch:mimalloc | arch:mtools | arch:criterion | arch:clang) p=$key ;;
		arch:libfuzzer) p=compiler-rt ;;
		arch:libc) p=glibc ;;
		arch:qemu) p=qemu-system-x86 ;;
		arch:sfdisk) p=util-linux ;;
		arch:ovmf) p=edk2-ovmf ;;
		arch:seabios) p=seabios ;;
		arch:gnuefi) p=gnu-efi ;;
		arch:tcmalloc) p=gperftools ;;

		brew:cc) p=x86_64-elf-gcc ;;
		brew:binutils) p=x86_64-elf-binutils ;;
		brew:make) p=make ;;
		brew:python3) p=python ;;
		brew:qemu | brew:ovmf | brew:seabios) p=qemu ;;
		brew:mtools) p=mtools ;;
		brew:criterion) p=criterion ;;
		brew:clang | brew:libfuzzer) p=llvm ;; # Apple's clang has no libFuzzer
		brew:git) p=git ;;
		brew:gdb) p=x86_64-elf-gdb ;;
		brew:jemalloc) p=jemalloc ;;
		brew:mimalloc) p=mimalloc ;;
		brew:tcmalloc) p=gperftools ;;
		esac
		[ "$p" = - ] && continue
		for p in $p; do
			case " $out " in *" $p "*) ;; *) out="${out:+$out }$p" ;; esac
		done
	done
	printf '%s\n' "$out"
}

printf 'pagelab: not found:\n%s' "$what" >&2

if have apt-get; then
	packages=$(package_names debian)
	echo "pagelab: installing missing Debian packages: $packages"
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		have sudo || {
			echo "pagelab: not root and no sudo; please install: $packages" >&2
			exit 1
		}
		sudo=sudo
	fi
	export DEBIAN_FRONTEND=noninteractive
	# Not on x86-64: the loader links the x86-64 gnu-efi, which is amd64's package.
	case " $packages " in *" gnu-efi:amd64 "*) $sudo dpkg --add-architecture amd64 ;; esac
	# Another apt-get (an unattended upgrade, a second checkout's `make deps`) may hold
	# dpkg's lock: wait for it, up to 10 minutes, rather than fail at once.
	wait_lock="-o DPkg::Lock::Timeout=600"
	# shellcheck disable=SC2086 # one word per option and per package
	$sudo apt-get $wait_lock update -qq
	# shellcheck disable=SC2086
	$sudo apt-get $wait_lock install -y -qq --no-install-recommends $packages
	echo "pagelab: packages installed"
	exit 0
fi

# No apt-get: say what to run, for each system (on a Mac, for the Mac), and stop.
echo >&2
echo "pagelab: this system has no apt-get, so nothing was installed.  Install them with:" >&2
echo >&2
if [ "$host_os" != Darwin ]; then
	cat >&2 <<EOF
  Debian 12, Ubuntu 24.04:  sudo apt-get install $(package_names debian)
  Ubuntu 22.04:             the same names (the Makefile leaves out the two options
                            that its older gcc 11 and binutils 2.38 do not know)
  Fedora:                   sudo dnf install $(package_names fedora)
  Arch:                     sudo pacman -S --needed $(package_names arch)
EOF
fi
cat >&2 <<EOF
  macOS (Homebrew):         brew install $(package_names brew)

On macOS the kernel needs a cross compiler (x86_64-elf-gcc: CROSS_COMPILE=x86_64-elf-, the
default there), and gnu-efi, sfdisk and the host tests' sanitizers have no Homebrew package:
use the container (make container-run, make container-grade; README.md, "On other systems").
On an ARM machine the UEFI loader needs the x86-64 gnu-efi: outside Debian, give make the
files of an x86-64 copy (GNUEFI_INC=... below).
A path this check did not find can be given to make: OVMF_CODE=... OVMF_VARS=... SEABIOS=...
GNUEFI_INC=... GNUEFI_CRT0=... GNUEFI_LDS=... GNUEFI_LIB=...
EOF
exit 1
