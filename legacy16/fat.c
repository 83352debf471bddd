// SPDX-License-Identifier: MIT
/*
 * Just enough FAT32 to find and read two files on the EFI system partition:
 * \PAGELAB\KERNEL.ELF and \PAGELAB\CMDLINE.TXT, the same files the UEFI loader opens.
 *
 *   partition:  [boot sector + reserved][FAT 1][FAT 2][data: cluster 2, 3, ...]
 *   a file:     directory entry -> first cluster -> FAT[cluster] -> next ... -> end mark
 *
 * Names are matched in their 8.3 form ("KERNEL  ELF"); the image is built with names
 * that fit 8.3, so long-name entries can be skipped.  Every cluster number read from
 * disk is range-checked, so a damaged FAT ends in an error message, not a wild read.
 * All sector I/O goes through disk_read() into the bounce buffer (disk.c); the host
 * tests provide a disk_read() that reads an image file made by mtools.
 */
#include "lib/string.h"
#include "boot16.h"

#define FAT32_EOC 0x0ffffff8 /* cluster numbers at or above this end a chain */
#define ATTR_LONG_NAME 0x0f
#define ATTR_DIRECTORY 0x10
#define ATTR_VOLUME_ID 0x08
#define FAT_DIR_MAX_ENTRIES 65536     /* the most a FAT directory may hold */
#define FAT32_MAX_CLUSTERS 0x0ffffff5 /* cluster numbers from 0x0ffffff7 on are marks */

struct fat32_bpb {
	u8 jump[3];
	char oem[8];
	u16 bytes_per_sector;
	u8 sectors_per_cluster;
	u16 reserved_sectors;
	u8 nr_fats;
	u16 root_entries; /* 0 on FAT32 */
	u16 total_sectors16;
	u8 media;
	u16 fat_size16; /* 0 on FAT32 */
	u16 sectors_per_track, heads;
	u32 hidden_sectors;
	u32 total_sectors32;
	u32 fat_size32;
	u16 ext_flags, version;
	u32 root_cluster;
} __packed;

struct fat_dirent {
	char name[11];
	u8 attr;
	u8 nt_reserved, ctime_tenth;
	u16 ctime, cdate, adate;
	u16 cluster_high;
	u16 mtime, mdate;
	u16 cluster_low;
	u32 size;
} __packed;

_Static_assert(sizeof(struct fat_dirent) == 32, "FAT directory entry");

u32 mbr_find_esp(const u8 *sector, u32 *nr_sectors)
{
	if (sector[510] != 0x55 || sector[511] != 0xaa)
		return 0;
	for (int i = 0; i < 4; i++) {
		const u8 *p = sector + 446 + 16 * i;
		u32 lba, count;

		memcpy(&lba, p + 8, 4);
		memcpy(&count, p + 12, 4);
		if (p[4] == 0xef && lba && count) {
			*nr_sectors = count;
			return lba;
		}
	}
	return 0;
}

int fat_mount(struct fat_volume *v, u32 part_lba)
{
	const struct fat32_bpb *b = disk_bounce();
	u32 total;
	u64 fat_area;

	if (disk_read(part_lba, 1, disk_bounce()))
		return -1;
	if (b->bytes_per_sector != SECTOR_SIZE || !b->sectors_per_cluster || !b->nr_fats ||
	    b->fat_size16 != 0 || b->root_entries != 0 || !b->fat_size32 || b->root_cluster < 2)
		return -1; /* not FAT32 with 512-byte sectors */
	/* A cluster is read whole into the bounce buffer: FAT's powers of two, up to 64 KiB. */
	if ((b->sectors_per_cluster & (b->sectors_per_cluster - 1)) ||
	    b->sectors_per_cluster > DISK_BOUNCE_SIZE / SECTOR_SIZE)
		return -1;
	total = b->total_sectors16 ? b->total_sectors16 : b->total_sectors32;
	/* The reserved sectors and the FATs must leave room for clusters: otherwise the
	 * count below underflows and every cluster number, however wild, looks valid. */
	fat_area = b->reserved_sectors + (u64)b->nr_fats * b->fat_size32;
	if (fat_area >= total)
		return -1;
	v->sectors_per_cluster = b->sectors_per_cluster;
	v->fat_lba = part_lba + b->reserved_sectors;
	v->data_lba = part_lba + (u32)fat_area;
	v->root_cluster = b->root_cluster;
	v->nr_clusters = MIN((total - (u32)fat_area) / v->sectors_per_cluster, FAT32_MAX_CLUSTERS);
	return 0;
}

/* The FAT entry for @cluster: the next cluster, an end mark, or 0 on a read error. */
static u32 fat_next(const struct fat_volume *v, u32 cluster)
{
	u32 off = cluster * 4;
	u32 *sector = disk_bounce();

	if (disk_read(v->fat_lba + off / SECTOR_SIZE, 1, sector))
		return 0;
	return sector[(off % SECTOR_SIZE) / 4] & 0x0fffffff;
}

static bool cluster_valid(const struct fat_volume *v, u32 c)
{
	return c >= 2 && c - 2 < v->nr_clusters;
}

static u32 cluster_lba(const struct fat_volume *v, u32 c)
{
	return v->data_lba + (c - 2) * v->sectors_per_cluster;
}

/* "kernel.elf" -> "KERNEL  ELF".  Returns -1 if @name does not fit 8.3. */
static int to_83(const char *name, u32 len, char out[11])
{
	u32 i = 0, j = 0;

	memset(out, ' ', 11);
	for (; i < len && name[i] != '.'; i++, j++) {
		if (j == 8)
			return -1;
		out[j] = (name[i] >= 'a' && name[i] <= 'z') ? name[i] - 32 : name[i];
	}
	if (i < len)
		i++; /* the dot */
	for (j = 8; i < len; i++, j++) {
		if (j == 11)
			return -1;
		out[j] = (name[i] >= 'a' && name[i] <= 'z') ? name[i] - 32 : name[i];
	}
	return 0;
}

/* Search directory @dir for @name83; fill @f.  0 if found, -1 if not or on error. */
static int find_in_dir(const struct fat_volume *v, u32 dir, const char name83[11],
		       struct fat_file *f, bool *is_dir)
{
	u32 per_cluster = v->sectors_per_cluster * SECTOR_SIZE / sizeof(struct fat_dirent);
	/* FAT allows 65536 entries a directory: a longer chain loops, however big the disk. */
	u32 max_clusters = FAT_DIR_MAX_ENTRIES / per_cluster;

	for (u32 steps = 0; cluster_valid(v, dir) && steps < max_clusters; steps++) {
		const struct fat_dirent *d = disk_bounce();

		if (disk_read(cluster_lba(v, dir), v->sectors_per_cluster, disk_bounce()))
			return -1;
		for (u32 i = 0; i < per_cluster; i++, d++) {
			if (d->name[0] == 0)
				return -1; /* end of directory */
			if ((u8)d->name[0] == 0xe5 || d->attr == ATTR_LONG_NAME ||
			    (d->attr & ATTR_VOLUME_ID) || memcmp(d->name, name83, 11))
				continue;
			f->first_cluster = (u32)d->cluster_high << 16 | d->cluster_low;
			f->size = d->size;
			*is_dir = d->attr & ATTR_DIRECTORY;
			return 0;
		}
		dir = fat_next(v, dir);
	}
	return -1;
}

int fat_lookup(const struct fat_volume *v, const char *path, struct fat_file *f)
{
	u32 dir = v->root_cluster;
	bool is_dir = true;

	while (*path) {
		const char *slash = path;
		char name83[11];

		while (*slash && *slash != '/')
			slash++;
		if (!is_dir || to_83(path, slash - path, name83) ||
		    find_in_dir(v, dir, name83, f, &is_dir))
			return -1;
		dir = f->first_cluster;
		path = *slash ? slash + 1 : slash;
	}
	return is_dir ? -1 : 0;
}

int fat_read(const struct fat_volume *v, const struct fat_file *f, void *dest)
{
	u32 cluster_bytes = v->sectors_per_cluster * SECTOR_SIZE;
	u32 left = f->size, c = f->first_cluster;
	u8 *out = dest;

	while (left) {
		u32 n = MIN(left, cluster_bytes);

		if (!cluster_valid(v, c) || disk_read(cluster_lba(v, c), v->sectors_per_cluster,
						      disk_bounce()))
			return -1;
		memcpy(out, disk_bounce(), n);
		out += n, left -= n;
		c = fat_next(v, c);
		if (left && c >= FAT32_EOC)
			return -1; /* the chain ends before the file does */
	}
	return 0;
}
