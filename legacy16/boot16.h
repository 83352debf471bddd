/* SPDX-License-Identifier: MIT */
/*
 * Stage 2 of the legacy BIOS path: shared declarations.
 *
 * Stage 2 is C compiled with `gcc -m16` (as Linux's arch/x86/boot is): 32-bit code with
 * operand- and address-size prefixes, which a 386 or later runs in real mode.  It is
 * loaded at 0000:8000 and runs with CS = DS = ES = SS = 0, so a C pointer is a physical
 * address.  After enter_unreal() the data segments reach all 4 GiB, so plain pointers
 * also reach memory above 1 MiB - that is how the kernel gets there.
 */
#ifndef PAGELAB_LEGACY16_BOOT16_H
#define PAGELAB_LEGACY16_BOOT16_H

#include "firmware/e820.h"
#include "types.h"

/*
 * flat_ptr - a pointer to physical address @addr that really reaches it.  A constant
 * address in -m16 code is assembled with a 16-bit displacement and silently loses its
 * upper bits (0x100500 becomes 0x0500); hiding the value from the compiler puts it in a
 * register, and register addressing is 32-bit.  Any address above 64 KiB needs this.
 */
static inline void *flat_ptr(u32 addr)
{
	__asm__("" : "+r"(addr));
	return (void *)(uintptr_t)addr;
}

/* ---- bioscall.S: the one door to the BIOS ------------------------------------- */

/* Registers in and out of a BIOS call, in the order pushal/popal use. */
struct biosregs {
	u32 edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;
	u16 gs, fs, es, ds;
	u32 eflags;
};

#define X86_EFLAGS_CF 0x0001
#define X86_EFLAGS_ID 0x200000

/* initregs - a clean register set: all zero but the segments (0) and CF set, so a
 * BIOS that does not implement a call and leaves the flags alone reports failure. */
void initregs(struct biosregs *r);

/* intcall - execute `int $vector` with the registers in @in; results in @out (may be NULL). */
void intcall(u8 vector, const struct biosregs *in, struct biosregs *out);

/* ---- pm.S ---------------------------------------------------------------------- */

/* enter_unreal - give DS, ES, FS and GS a 4 GiB limit while staying in real mode. */
void enter_unreal(void);

/* go_long_mode - protected mode, paging with lm_cr3, long mode, jump to lm_entry with
 * lm_boot_info in %rdi.  Never returns. */
__noreturn void go_long_mode(void);
extern u32 lm_cr3;
extern u64 lm_entry, lm_boot_info;

/* ---- console.c ----------------------------------------------------------------- */

/* console_init - COM1 at 115200 8N1, and the screen too if a video BIOS owns INT 10h
 * (not SeaBIOS's serial console: see console.c). */
void console_init(void);
/* putchar, puts - write to the console, '\n' as CR LF. */
void putchar(int c);
void puts(const char *s);
/* bprintf - %s %c %u (u32) %x (u32) %llx (u64) and %%; nothing else. */
void bprintf(const char *fmt, ...) __printf(1, 2);
/* die - print "pagelab loader: error: <msg>" on screen and serial, then halt for good. */
__noreturn void die(const char *fmt, ...) __printf(1, 2);

/* ---- a20.c, cpu.c ---------------------------------------------------------------- */

void enable_a20(void);
void check_long_mode_cpu(void);

/* ---- memory.c: the BIOS memory map ---------------------------------------------- */

#define BIOS_E820_MAX 128 /* entries stage 2 collects; the kernel copes with more */
#define SMAP 0x534d4150 /* "SMAP", the signature E820 calls pass and return */

/* One entry as INT 15h E820 writes it; the ACPI 3.0 attribute word is optional. */
struct e820_raw {
	u64 addr;
	u64 size;
	u32 type;
	u32 ext_attr; /* bit 0: entry enabled (ACPI 3.0); bit 1: non-volatile */
} __packed;

#define E820_EXT_ENABLED 1

enum e820_call_result {
	E820_CALL_OK,       /* an entry in *buf, *len bytes of it valid */
	E820_CALL_LAST,     /* an entry, and the BIOS says it was the last */
	E820_CALL_END,      /* no entry: the list ended (CF set after the first call) */
	E820_CALL_FAILED,   /* no entry: unsupported or a lost 'SMAP' signature */
};

/*
 * One E820 call: continuation value in/out through @cont, entry into @buf, its length
 * into @len.  bios_e820_call() is the real one; the host tests pass their own.
 */
typedef enum e820_call_result (*e820_call_fn)(u32 *cont, struct e820_raw *buf, u32 *len);
enum e820_call_result bios_e820_call(u32 *cont, struct e820_raw *buf, u32 *len);

/*
 * e820_read_table - collect the E820 map with @call into @out (room for @max entries):
 * the BIOS's real entries, in its order.  Returns how many (0 if the BIOS answered but
 * gave no real entry), or -1 if this BIOS has no E820 at all.  Always returns, whatever @call does.  The full contract is exercise 1 of
 * docs/labs/01-boot-and-real-mode.md.
 */
int e820_read_table(e820_call_fn call, struct boot_e820_entry *out, int max);

/* e801_to_e820 - the map INT 15h E801 implies: @low_kb below 640K, @kb_1m_16m KiB above
 * 1 MiB, @blocks_16m 64 KiB blocks above 16 MiB.  Returns the entries written (<= 4). */
int e801_to_e820(u32 low_kb, u32 kb_1m_16m, u32 blocks_16m, struct boot_e820_entry *out);

/*
 * e801_alt_mem_k - Linux's alt_mem_k from an E801h answer: @kb_1m_16m KiB between 1 and
 * 16 MiB, plus @blocks_16m 64 KiB blocks above 16 MiB only if the first is a full 15 MiB
 * (else a hole at 15 MiB hides them).  0 for an impossible answer (above 15 MiB).
 */
u32 e801_alt_mem_k(u32 kb_1m_16m, u32 blocks_16m);

/*
 * detect_memory_sizes - ask E801h and AH=88h for the RAM above 1 MiB, whatever E820 said
 * (Linux's boot code asks all three), into *@alt_mem_k and *@ext_mem_k (KiB; 0 where the
 * call failed).  The kernel falls back on them if the E820 map is unusable.
 */
void detect_memory_sizes(u32 *alt_mem_k, u32 *ext_mem_k);

/* detect_memory - E820, else E801, else AH=88h.  Dies if none answers. */
int detect_memory(struct boot_e820_entry *out, int max);

/*
 * e820_find_free - the lowest address >= @min, aligned to @align, where @size bytes are
 * RAM in @e (inside one RAM entry, touching no other entry and none of the @nr_taken
 * ranges in @taken, pairs of [start, end)).  Returns 0 if there is no such place.
 */
u64 e820_find_free(const struct boot_e820_entry *e, int n, const u64 (*taken)[2], int nr_taken,
		   u64 size, u64 align, u64 min);

/* ---- disk.c and fat.c: reading the ESP ------------------------------------------ */

#define SECTOR_SIZE 512

/* disk_read - read @count sectors at @lba into @buf.  Returns 0 or -1. */
int disk_read(u32 lba, u32 count, void *buf);
void disk_init(u8 drive);

/* The bounce buffer BIOS reads land in: below 1 MiB, 64 KiB. */
void *disk_bounce(void);
#define DISK_BOUNCE_SIZE 0x10000

/* mbr_find_esp - the first partition of type 0xEF in the MBR @sector, or 0. */
u32 mbr_find_esp(const u8 *sector, u32 *nr_sectors);

struct fat_volume {
	u32 fat_lba;      /* first sector of the first FAT */
	u32 data_lba;     /* first sector of cluster 2 */
	u32 sectors_per_cluster;
	u32 root_cluster;
	u32 nr_clusters;
};

struct fat_file {
	u32 first_cluster;
	u32 size;
};

/* fat_mount - read the FAT32 boot sector of the partition at @part_lba.  0 or -1. */
int fat_mount(struct fat_volume *v, u32 part_lba);
/* fat_lookup - find "DIR/NAME.EXT" (8.3 names, any case).  0, or -1 if not found. */
int fat_lookup(const struct fat_volume *v, const char *path, struct fat_file *f);
/* fat_read - copy the whole file to @dest (any address, even above 1 MiB).  0 or -1. */
int fat_read(const struct fat_volume *v, const struct fat_file *f, void *dest);

#endif
