// SPDX-License-Identifier: MIT
/*
 * Reading the boot disk with INT 13h AH=42h ("extended read", LBA addressing).
 * The BIOS can only write below 1 MiB, so every read lands in a 64 KiB bounce buffer at
 * 0x10000 and is copied on by the caller (fat.c) wherever it belongs.
 */
#include "boot16.h"

#define BOUNCE_ADDR 0x10000
#define MAX_SECTORS_PER_CALL 64 /* some BIOSes refuse more than 127; 64 fills the bounce */

struct disk_address_packet {
	u8 size;
	u8 reserved;
	u16 count;
	u16 offset, segment;
	u64 lba;
} __packed;

static u8 boot_drive;

void disk_init(u8 drive)
{
	struct biosregs in, out;

	boot_drive = drive;
	initregs(&in);
	in.eax = 0x4100;
	in.ebx = 0x55aa;
	in.edx = drive;
	intcall(0x13, &in, &out);
	if ((out.eflags & X86_EFLAGS_CF) || (out.ebx & 0xffff) != 0xaa55)
		die("the BIOS has no INT 13h LBA extensions for drive 0x%x", drive);
}

void *disk_bounce(void)
{
	return flat_ptr(BOUNCE_ADDR);
}

/* @buf must lie below 1 MiB (it is the bounce buffer, or inside it). */
int disk_read(u32 lba, u32 count, void *buf)
{
	static struct disk_address_packet dap;
	u32 addr = (u32)(uintptr_t)buf;

	while (count) {
		u32 n = MIN(count, (u32)MAX_SECTORS_PER_CALL);
		struct biosregs in, out;

		dap = (struct disk_address_packet){ 16, 0, n, addr & 0xf, addr >> 4, lba };
		initregs(&in);
		in.eax = 0x4200;
		in.edx = boot_drive;
		in.esi = (u32)(uintptr_t)&dap;
		intcall(0x13, &in, &out);
		if (out.eflags & X86_EFLAGS_CF) {
			bprintf("pagelab loader: disk read of LBA %u failed (status 0x%x)\n", lba,
				(out.eax >> 8) & 0xff);
			return -1;
		}
		count -= n, lba += n, addr += n * SECTOR_SIZE;
	}
	return 0;
}
