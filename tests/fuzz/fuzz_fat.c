// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the legacy loader's FAT32 reader (legacy16/fat.c) and MBR scan, on a
 * disk whose every byte the fuzzer chooses.
 *
 * Input: the disk, from LBA 0 (the MBR) on, 512 bytes a sector.  A read of a sector the
 * input does not hold fails, as a BIOS read past the disk's end does.
 *
 * The harness does what stage 2 does (legacy16/main.c): find the ESP in the MBR,
 * fat_mount() it, look up PAGELAB/KERNEL.ELF and read it (files up to 1 MiB, into a
 * buffer of exactly their size), then PAGELAB/CMDLINE.TXT if boot_check_cmdline_size()
 * allows it, into the bounce buffer's second half as stage 2 does.  Checked:
 *
 *   - no read or write outside the bounce buffer (allocated at its exact 64 KiB), the
 *     disk or the destination (ASan)
 *   - the command line read into the bounce buffer equals the same file read elsewhere:
 *     staging a cluster never overwrites what was already copied
 *   - every walk ends: a loop in a cluster chain or a directory is a libFuzzer timeout
 */
#include "../../legacy16/boot16.h"
#include "boot/loader.h"
#include "fuzz.h"
#include "lib/string.h"

#define READ_MAX (1U << 20)

static const u8 *disk;
static size_t disk_sectors;
static u8 *bounce;

void *disk_bounce(void)
{
	return bounce;
}

int disk_read(u32 lba, u32 count, void *buf)
{
	if (lba >= disk_sectors || count > disk_sectors - lba)
		return -1;
	memcpy(buf, disk + (size_t)lba * SECTOR_SIZE, (size_t)count * SECTOR_SIZE);
	return 0;
}

/* Read @f into a buffer of exactly its size; NULL if the read failed or is too large. */
static u8 *read_file(const struct fat_volume *v, const struct fat_file *f)
{
	u8 *buf;

	if (f->size > READ_MAX)
		return NULL;
	buf = malloc(f->size ? f->size : 1);
	if (fat_read(v, f, buf)) {
		free(buf);
		return NULL;
	}
	return buf;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fat_volume v;
	struct fat_file f;
	u32 lba, sectors = 0;
	u8 *kernel, *cmdline;

	if (!bounce)
		bounce = malloc(DISK_BOUNCE_SIZE);
	disk = data;
	disk_sectors = size / SECTOR_SIZE;
	if (disk_read(0, 1, bounce))
		return 0;
	lba = mbr_find_esp(bounce, &sectors);
	if (!lba || fat_mount(&v, lba))
		return 0;
	if (!fat_lookup(&v, BOOT_DIR "/" BOOT_KERNEL_FILE, &f)) {
		kernel = read_file(&v, &f);
		free(kernel);
	}
	if (!fat_lookup(&v, BOOT_DIR "/" BOOT_CMDLINE_FILE, &f) && !boot_check_cmdline_size(f.size)) {
		static u8 staged[BOOT_CMDLINE_MAX];
		u8 *raw = bounce + DISK_BOUNCE_SIZE / 2;
		bool ok = !fat_read(&v, &f, raw);

		memcpy(staged, raw, f.size); /* the next read stages clusters over it */
		cmdline = read_file(&v, &f);
		fuzz_check(ok == (cmdline != NULL), "CMDLINE.TXT read %s in the bounce buffer only",
			   ok ? "succeeds" : "fails");
		fuzz_check(!ok || !memcmp(staged, cmdline, f.size),
			   "CMDLINE.TXT read into the bounce buffer differs from the file");
		free(cmdline);
	}
	return 0;
}
