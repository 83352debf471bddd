// SPDX-License-Identifier: MIT
/*
 * legacy16/fat.c on a real FAT32 file system made by mtools, the same tool that builds
 * build/pagelab.img: finding the kernel and command line, reading them byte-exact
 * across many clusters, and refusing damaged volumes instead of wandering off.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../legacy16/boot16.h"

#define KERNEL_SIZE (100 * 1024 + 123) /* many clusters, and a partial last one */

static char image[64];
static u8 kernel[KERNEL_SIZE];
static u8 bounce[DISK_BOUNCE_SIZE];
static FILE *disk;

void *disk_bounce(void)
{
	return bounce;
}

static unsigned long nr_reads;

int disk_read(u32 lba, u32 count, void *buf)
{
	nr_reads++;
	if (fseek(disk, (long)lba * SECTOR_SIZE, SEEK_SET))
		return -1;
	return fread(buf, SECTOR_SIZE, count, disk) == count ? 0 : -1;
}

static void sh(const char *cmd)
{
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

static void make_volume(void)
{
	char cmd[512], file[80];
	FILE *f;

	snprintf(image, sizeof(image), "/tmp/pagelab-fat-%d.img", getpid());
	snprintf(file, sizeof(file), "%s.kernel", image);
	for (u32 i = 0; i < KERNEL_SIZE; i++)
		kernel[i] = (u8)(i * 2654435761u >> 13);
	f = fopen(file, "wb");
	fwrite(kernel, 1, KERNEL_SIZE, f);
	fclose(f);
	/* (Our snprintf has no positional %1$s, so the shell variable I names the image.) */
	snprintf(cmd, sizeof(cmd),
		 "set -e; I=%s; export MTOOLS_SKIP_CHECK=1; rm -f $I; truncate -s 40M $I;"
		 "mformat -i $I -F ::; mmd -i $I ::/PAGELAB ::/OTHER;"
		 "printf 'efi=debug\\n' > $I.cmd; mcopy -i $I $I.cmd ::/OTHER/README.TXT;"
		 "mcopy -i $I $I.kernel ::/PAGELAB/KERNEL.ELF;"
		 "mcopy -i $I $I.cmd ::/PAGELAB/CMDLINE.TXT; rm $I.cmd $I.kernel",
		 image);
	sh(cmd);
	disk = fopen(image, "r+b");
	cr_assert_not_null(disk);
}

static void remove_volume(void)
{
	fclose(disk);
	unlink(image);
}

TestSuite(legacy_fat, .init = make_volume, .fini = remove_volume);

Test(legacy_fat, mounts_the_fat32_volume)
{
	struct fat_volume v;

	cr_assert_eq(fat_mount(&v, 0), 0);
	cr_assert_geq(v.root_cluster, 2);
	cr_assert_gt(v.nr_clusters, 65524, "FAT32 has at least 65525 clusters");
}

Test(legacy_fat, finds_and_reads_the_kernel_byte_exact)
{
	struct fat_volume v;
	struct fat_file f;
	static u8 out[KERNEL_SIZE + 16];

	cr_assert_eq(fat_mount(&v, 0), 0);
	cr_assert_eq(fat_lookup(&v, "PAGELAB/KERNEL.ELF", &f), 0);
	cr_assert_eq(f.size, KERNEL_SIZE);
	memset(out, 0xee, sizeof(out));
	cr_assert_eq(fat_read(&v, &f, out), 0);
	cr_assert_eq(memcmp(out, kernel, KERNEL_SIZE), 0);
	cr_assert_eq(out[KERNEL_SIZE], 0xee, "nothing written past the file's end");
}

Test(legacy_fat, names_match_in_any_case)
{
	struct fat_volume v;
	struct fat_file f;
	char text[16] = { 0 };

	cr_assert_eq(fat_mount(&v, 0), 0);
	cr_assert_eq(fat_lookup(&v, "pagelab/cmdline.txt", &f), 0);
	cr_assert_eq(fat_read(&v, &f, text), 0);
	cr_assert_str_eq(text, "efi=debug\n");
}

Test(legacy_fat, missing_files_and_bad_names_are_not_found)
{
	struct fat_volume v;
	struct fat_file f;

	cr_assert_eq(fat_mount(&v, 0), 0);
	cr_assert_eq(fat_lookup(&v, "PAGELAB/NOPE.ELF", &f), -1);
	cr_assert_eq(fat_lookup(&v, "NOPE/KERNEL.ELF", &f), -1);
	cr_assert_eq(fat_lookup(&v, "PAGELAB", &f), -1, "a directory is not a file");
	cr_assert_eq(fat_lookup(&v, "PAGELAB/KERNEL.ELF/X", &f), -1, "a file is not a directory");
	cr_assert_eq(fat_lookup(&v, "PAGELAB/TOOLONGNAME.ELF", &f), -1);
	cr_assert_eq(fat_lookup(&v, "OTHER/README.TXT", &f), 0);
}

Test(legacy_fat, broken_cluster_chain_is_an_error_not_a_wild_read)
{
	struct fat_volume v;
	struct fat_file f;
	static u8 out[KERNEL_SIZE];
	u32 zero = 0;

	cr_assert_eq(fat_mount(&v, 0), 0);
	cr_assert_eq(fat_lookup(&v, "PAGELAB/KERNEL.ELF", &f), 0);
	/* Cut the chain after the first cluster: FAT[first] = 0 (a free cluster). */
	fseek(disk, (long)v.fat_lba * SECTOR_SIZE + f.first_cluster * 4, SEEK_SET);
	fwrite(&zero, 4, 1, disk);
	fflush(disk);
	cr_assert_eq(fat_read(&v, &f, out), -1);
}

Test(legacy_fat, non_fat32_volume_is_refused)
{
	struct fat_volume v;
	static const u8 zeros[SECTOR_SIZE];

	fseek(disk, 0, SEEK_SET);
	fwrite(zeros, 1, sizeof(zeros), disk);
	fflush(disk);
	cr_assert_eq(fat_mount(&v, 0), -1);
}

Test(legacy_fat, mbr_partition_of_type_ef_is_found)
{
	u8 mbr[512] = { 0 };
	u32 lba = 2048, count = 129024, n = 0;

	mbr[510] = 0x55, mbr[511] = 0xaa;
	mbr[446 + 16 + 4] = 0x83; /* a Linux partition first: not ours */
	memcpy(mbr + 446 + 16 + 8, &lba, 4);
	memcpy(mbr + 446 + 16 + 12, &count, 4);
	cr_assert_eq(mbr_find_esp(mbr, &n), 0);
	mbr[446 + 32 + 4] = 0xef;
	memcpy(mbr + 446 + 32 + 8, &lba, 4);
	memcpy(mbr + 446 + 32 + 12, &count, 4);
	cr_assert_eq(mbr_find_esp(mbr, &n), 2048);
	cr_assert_eq(n, 129024);
	mbr[511] = 0;
	cr_assert_eq(mbr_find_esp(mbr, &n), 0, "no boot signature, no partition table");
}

/*
 * Issue 18, "check sizes before every read": a cluster is read whole into the 64 KiB
 * bounce buffer, so a boot sector claiming 255 sectors per cluster (FAT allows powers of
 * two up to 128) would have every directory read run 63.5 KiB past it.
 */
Test(legacy_fat, cluster_larger_than_the_bounce_buffer_is_refused)
{
	struct fat_volume v;

	for (unsigned int spc = 1; spc < 256; spc++) {
		u8 byte = (u8)spc;
		bool fits = !(spc & (spc - 1)) && spc * SECTOR_SIZE <= DISK_BOUNCE_SIZE;

		fseek(disk, 13, SEEK_SET); /* the boot sector's sectors-per-cluster byte */
		fwrite(&byte, 1, 1, disk);
		fflush(disk);
		if (fits)
			continue; /* a smaller legal cluster mounts, though files then read wrong */
		cr_assert_eq(fat_mount(&v, 0), -1, "%u sectors per cluster mounted", spc);
	}
}

/*
 * Found with tests/fuzz/fuzz_fat.c: a boot sector whose total sector count is smaller
 * than its FATs made the cluster count underflow to about 2^31, so every cluster number
 * looked valid and a directory walk's bound was 2^31 clusters.
 */
Test(legacy_fat, volume_smaller_than_its_fats_is_refused)
{
	struct fat_volume v;
	u32 total = 1;

	fseek(disk, 32, SEEK_SET); /* total_sectors32 */
	fwrite(&total, 4, 1, disk);
	fflush(disk);
	cr_assert_eq(fat_mount(&v, 0), -1);
}

/*
 * A directory's cluster chain that loops back on itself, in a full directory with no end
 * entry: FAT limits a directory to 65536 entries, so the walk stops there instead of
 * following the loop once per cluster of the volume (the same fuzzer input hung).
 */
Test(legacy_fat, looping_directory_chain_ends_the_walk)
{
	struct fat_volume v;
	struct fat_file f;
	u8 entry[32] = "ZZZZZZZZZZZ";

	cr_assert_eq(fat_mount(&v, 0), 0);
	entry[11] = 0x20; /* an ordinary file that matches nothing */
	fseek(disk, (long)v.fat_lba * SECTOR_SIZE + v.root_cluster * 4, SEEK_SET);
	fwrite(&v.root_cluster, 4, 1, disk); /* FAT[root] = root */
	fseek(disk, (long)v.data_lba * SECTOR_SIZE + (v.root_cluster - 2) * v.sectors_per_cluster * SECTOR_SIZE,
	      SEEK_SET);
	for (u32 i = 0; i < v.sectors_per_cluster * SECTOR_SIZE / 32; i++)
		fwrite(entry, 32, 1, disk);
	fflush(disk);
	nr_reads = 0;
	cr_assert_eq(fat_lookup(&v, "NOPE/KERNEL.ELF", &f), -1);
	cr_assert_leq(nr_reads, 2 * 65536 * 32 / (v.sectors_per_cluster * SECTOR_SIZE) + 2,
		      "%lu reads for one directory", nr_reads);
}
