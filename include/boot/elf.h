/* SPDX-License-Identifier: MIT */
/*
 * The kernel file both loaders read: an x86-64 ELF executable linked at KERNEL_VIRT_BASE.
 *
 * Only what a loader needs is declared here (the ELF64 file and program headers).  The
 * check lives in one place, boot/elf.c, compiled into the UEFI loader, the 16-bit
 * stage 2 and the host tests, so a corrupted kernel file is refused with the same words
 * whichever firmware booted.
 */
#ifndef PAGELAB_BOOT_ELF_H
#define PAGELAB_BOOT_ELF_H

#include "types.h"

#define EI_NIDENT 16
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define EM_X86_64 62
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4

struct elf64_ehdr {
	u8 e_ident[EI_NIDENT];
	u16 e_type;
	u16 e_machine;
	u32 e_version;
	u64 e_entry;
	u64 e_phoff;
	u64 e_shoff;
	u32 e_flags;
	u16 e_ehsize;
	u16 e_phentsize;
	u16 e_phnum;
	u16 e_shentsize;
	u16 e_shnum;
	u16 e_shstrndx;
};

struct elf64_phdr {
	u32 p_type;
	u32 p_flags;
	u64 p_offset;
	u64 p_vaddr;
	u64 p_paddr;
	u64 p_filesz;
	u64 p_memsz;
	u64 p_align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header is 56 bytes");

#define ELF_MAX_PHDRS 16

/* What the loaders need to know about a kernel file that passed elf_check_kernel(). */
struct elf_kernel_image {
	u64 entry;      /* virtual entry point */
	u64 vaddr_end;  /* end of the highest segment in memory, page aligned */
	u64 image_size; /* vaddr_end - KERNEL_VIRT_BASE: bytes to reserve from phys_base */
	u32 nr_load;    /* PT_LOAD segments */
};

/*
 * elf_check_kernel - decide whether @file (of @size bytes) is a kernel we can load.
 * Checks the identification bytes, that it is an x86-64 executable, that every program
 * header and every PT_LOAD segment lies inside the file, that segments sit inside the
 * 1 GiB above KERNEL_VIRT_BASE without overlapping, and that the entry point is in an
 * executable segment.  Fills @img and returns NULL, or returns a static message saying
 * what is wrong (for example "bad ELF magic"); @img is then undefined.
 */
const char *elf_check_kernel(const void *file, u64 size, struct elf_kernel_image *img);

/* elf_phdr - program header @i of a file that passed elf_check_kernel(). */
const struct elf64_phdr *elf_phdr(const void *file, unsigned int i);

/*
 * elf_loaded_phdr - program header @i of a file that passed elf_check_kernel() if it is
 * a segment the kernel is laid out from (a PT_LOAD with any file or memory bytes), else
 * NULL.  elf_check_kernel() checks exactly these and elf_load_segments() copies exactly
 * these: one rule, so nothing is copied that was not checked.
 */
const struct elf64_phdr *elf_loaded_phdr(const void *file, unsigned int i);

/* A kernel file larger than the image it can describe is not one (and is not read). */
#define ELF_MAX_FILE_SIZE SZ_1G

/*
 * elf_check_kernel_size - whether a kernel file of @size bytes is worth reading: NULL,
 * or a static message ("the file is empty").  Both loaders ask before they allocate or
 * read anything; elf_check_kernel() asks again, so its answer covers this one.
 */
const char *elf_check_kernel_size(u64 size);

/*
 * elf_load_segments - lay out the kernel that passed elf_check_kernel() as @img at @base,
 * the address KERNEL_VIRT_BASE will map to: every PT_LOAD segment's file bytes at its
 * offset from KERNEL_VIRT_BASE, and zeros everywhere else in the @img->image_size bytes
 * (the .bss and the gaps between segments).  @base must have room for image_size bytes.
 */
void elf_load_segments(const void *file, const struct elf_kernel_image *img, void *base);

#endif
