#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Prove the Containerfile works without a container engine: run its steps in a bare Debian
# 12 root made with debootstrap, copy the repository in, build everything and boot once
# under SeaBIOS.  The steps are read from the Containerfile itself, so they cannot drift
# from what `make container-run` builds.
#
# usage: tests/container/run.sh          (as root; `make test-container`)
#
# The minbase root is made once and kept in $BUILD/container/ (with the .debs that the
# RUN steps download); every run starts from a fresh copy of it, so the RUN steps always
# install into a bare system, and removes that copy when it ends.  PAGELAB_BUILD picks another build directory;
# DEBIAN_MIRROR another mirror.
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
cache=$src/${PAGELAB_BUILD:-build}/container
base=$cache/bookworm-minbase
root=$cache/root
archives=$cache/apt-archives
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
boot_test='boot_shell_memmap_poweroff[bios-q35]'

say() { printf 'test-container: %s\n' "$*"; }
die() { say "$*" >&2; exit 1; }

((EUID == 0)) || die "needs root (debootstrap, chroot, mount)"
if ! command -v debootstrap >/dev/null; then
	command -v apt-get >/dev/null || die "needs debootstrap"
	say "installing debootstrap"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

# Nothing may be deleted while a host directory is mounted below it: rm -rf would reach
# into the host's /dev.
mounted_under() { awk -v d="$1/" 'index($2 "/", d) == 1 { print $2 }' /proc/mounts; }
unmount_all() {
	local m
	for m in $(mounted_under "$root" | sort -r); do umount -l "$m" || true; done
}
remove_tree() {
	[[ -z $(mounted_under "$1") ]] || die "refusing to remove $1: something is mounted below it"
	rm -rf "$1"
}
# The root is remade by every run, so it is not kept (it is most of a GiB), and a root
# left mounted would make `rm -rf build` reach into the host's /dev.
finish() {
	unmount_all
	[[ -n $(mounted_under "$root") ]] || rm -rf "$root"
}
trap finish EXIT

start=$SECONDS
phase_start=$SECONDS
timings=""
phase() { # phase NAME: the time since the last phase, under NAME
	timings+=$(printf '  %-22s %4d s' "$1" $((SECONDS - phase_start)))$'\n'
	phase_start=$SECONDS
}

mkdir -p "$cache" "$archives"
if [[ ! -e $base/.pagelab-complete ]]; then
	remove_tree "$base"
	say "debootstrap bookworm (minbase) into $base"
	debootstrap --variant=minbase bookworm "$base" "$mirror" > "$cache/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$cache/debootstrap.log"; die "debootstrap failed (log: $cache/debootstrap.log)"; }
	touch "$base/.pagelab-complete"
	phase debootstrap
fi

unmount_all
remove_tree "$root"
cp -a "$base" "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# A container starts no services; neither may the packages installed here.
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount --make-rslave "$root/dev"
mount --bind "$archives" "$root/var/cache/apt/archives"
phase "fresh root"

# The Containerfile's instructions, continuation lines joined, comments dropped.
instructions() {
	local line joined=""
	while IFS= read -r line || [[ -n $line ]]; do
		[[ -z $joined && $line =~ ^[[:space:]]*(#|$) ]] && continue
		if [[ $line == *\\ ]]; then
			joined+="${line%\\} "
		else
			printf '%s\n' "$joined$line"
			joined=""
		fi
	done < "$src/Containerfile"
}

# in_root COMMAND: run a shell command inside the root as a RUN step runs it.
workdir=/
envs=()
in_root() {
	env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LANG=C.UTF-8 ${envs[@]+"${envs[@]}"} chroot "$root" /bin/sh -c "cd '$workdir' && $1"
}

while IFS= read -r step; do
	keyword=${step%%[[:space:]]*}
	args=${step#"$keyword"}
	args=${args#"${args%%[![:space:]]*}"}
	case ${keyword^^} in
	FROM)
		[[ $args == *debian:12* || $args == *bookworm* ]] || die "FROM $args: this test makes Debian 12 only"
		;;
	COPY)
		read -r from to extra <<< "$args"
		[[ -z $extra && $from != --* ]] || die "COPY $args: one source, no options, please"
		[[ $to == /* ]] || to=$workdir/$to
		mkdir -p "$root$(dirname "$to")"
		cp -a "$src/$from" "$root$to"
		say "COPY $from $to"
		;;
	RUN)
		[[ $args != \[* ]] || die "RUN in exec form is not supported here: $args"
		say "RUN $args"
		in_root "$args" || die "this RUN step failed: $args"
		;;
	WORKDIR)
		workdir=$args
		mkdir -p "$root$workdir"
		;;
	ENV)
		[[ $args == *=* ]] || die "ENV $args: write ENV NAME=VALUE"
		envs+=("$args")
		;;
	CMD | LABEL) ;;
	*) die "unknown instruction $keyword: teach tests/container/run.sh what it means" ;;
	esac
done < <(instructions)
phase "Containerfile steps"

# The repository as `make container-run` mounts it: the working tree, without build/.
mkdir -p "$root/pagelab"
(cd "$src" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | tar -C "$root/pagelab" -xf -
phase "copy the repository"

workdir=/pagelab
say "make all"
in_root "make -j2 all > /tmp/make-all.log 2>&1" ||
	{ tail -n 30 "$root/tmp/make-all.log"; die "make all failed in the root"; }
phase "make all"
say "python3 tests/qemu/run.py '$boot_test'"
in_root "python3 tests/qemu/run.py '$boot_test'" || die "the boot test failed in the root"
phase "SeaBIOS boot test"

printf 'test-container: passed in %d s\n%s' $((SECONDS - start)) "$timings"
