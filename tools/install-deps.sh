#!/usr/bin/env bash
# Check for the Debian packages pagelab needs and install the missing ones with apt-get
# (through sudo when not root).  Quiet when everything is there, so `make run` and
# `make test` can call it every time.
set -euo pipefail

packages=(
	build-essential # gcc, ld, make
	gnu-efi         # the UEFI loader's headers, crt0 and libraries
	ovmf            # UEFI firmware for QEMU
	seabios         # legacy BIOS firmware for QEMU
	qemu-system-x86 # the machine
	mtools          # the FAT partition, without root
	fdisk           # sfdisk: the MBR partition table, without root
	libcriterion-dev # host unit tests
	python3         # the QEMU test driver
	gdb             # make debug, and the QEMU test that drives it
	valgrind        # make bench: instructions per operation (callgrind)
	libjemalloc-dev # make bench-slub: the allocators SLUB is compared with
	libmimalloc-dev
	libgoogle-perftools-dev # tcmalloc
)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[[ $status == installed ]] || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

echo "pagelab: installing missing Debian packages: ${missing[*]}"
sudo=()
if ((EUID != 0)); then
	command -v sudo >/dev/null || {
		echo "pagelab: not root and no sudo; please install: ${missing[*]}" >&2
		exit 1
	}
	sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "pagelab: packages installed"
