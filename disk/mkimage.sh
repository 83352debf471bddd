#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the disk image both firmwares boot from, without root:
#
#   sector 0        MBR: boot code (bytes 0-439, the legacy BIOS path's) + partition table
#   1 .. 2047       free: room for the legacy stage 2
#   2048 .. end     partition 1, type EF (EFI system partition), bootable, FAT32:
#                     /EFI/BOOT/BOOTX64.EFI   the UEFI loader
#                     /PAGELAB/KERNEL.ELF     the kernel both loaders start
#                     /PAGELAB/CMDLINE.TXT    the kernel command line
#
# usage: mkimage.sh IMAGE LOADER.EFI KERNEL.ELF CMDLINE.TXT MBR.BIN STAGE2.BIN
#        mkimage.sh --cmdline IMAGE BASE.IMG CMDLINE.TXT
#
# The second form copies a built image and replaces only its CMDLINE.TXT: `make run
# CMDLINE="..."` boots another command line without touching disk/cmdline.txt or the
# image the tests use.
set -euo pipefail

export MTOOLS_SKIP_CHECK=1
# Debian keeps sfdisk in /usr/sbin, which a user's PATH often leaves out.
export PATH=$PATH:/usr/sbin:/sbin
esp_offset=1M # partition 1 starts at sector 2048; mtools reaches it as "image@@offset"

if [[ ${1-} == --cmdline ]]; then
	img=$2 base=$3 cmdline=$4
	cp "$base" "$img.tmp"
	mcopy -o -i "$img.tmp@@$esp_offset" "$cmdline" ::/PAGELAB/CMDLINE.TXT
	mv "$img.tmp" "$img"
	exit 0
fi

img=$1 loader=$2 kernel=$3 cmdline=$4 mbr=$5 stage2=$6
size_mib=64 # FAT32 needs at least 65525 clusters: 64 MiB with 512-byte clusters

tmp=$img.tmp
rm -f "$tmp"
truncate -s ${size_mib}M "$tmp"
sfdisk --quiet --label dos "$tmp" <<<'start=2048, type=ef, bootable'

part="$tmp@@$esp_offset"
mformat -i "$part" -F -v PAGELAB ::
mmd -i "$part" ::/EFI ::/EFI/BOOT ::/PAGELAB
mcopy -i "$part" "$loader" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$part" "$kernel" ::/PAGELAB/KERNEL.ELF
mcopy -i "$part" "$cmdline" ::/PAGELAB/CMDLINE.TXT

# Only the boot code area: the partition table (446-509) and 0x55AA stay intact.
(($(stat -c %s "$mbr") <= 440)) || { echo "mkimage: $mbr is larger than 440 bytes" >&2; exit 1; }
dd if="$mbr" of="$tmp" conv=notrunc status=none
# Stage 2 goes in the gap before the partition, from sector 1; the MBR reads 64 sectors.
(($(stat -c %s "$stage2") <= 64 * 512)) || { echo "mkimage: $stage2 exceeds 64 sectors" >&2; exit 1; }
dd if="$stage2" of="$tmp" bs=512 seek=1 conv=notrunc status=none
mv "$tmp" "$img"
