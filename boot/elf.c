// SPDX-License-Identifier: MIT
/*
 * Checking the kernel ELF file before a loader trusts a single byte of it.
 *
 * Shared by efi/loader.c, legacy16/ and the host tests.  The check only reads the file
 * image in memory and never writes, so a truncated or corrupted kernel file produces a
 * clear message instead of a loader that copies garbage over the firmware and hangs;
 * only a file that passed it is laid out in memory, by the same code on both paths.  All
 * arithmetic on file offsets is done so it cannot wrap: a segment "inside the file"
 * must really be.
 */
#include "boot/elf.h"
#include "boot/boot_info.h"
#include "lib/string.h"

#define KERNEL_VIRT_LIMIT (KERNEL_VIRT_BASE + SZ_1G) /* one page directory's reach */

static bool range_inside(u64 off, u64 len, u64 size)
{
	return off <= size && len <= size - off;
}

static const char *check_ident(const struct elf64_ehdr *eh)
{
	if (eh->e_ident[0] != 0x7f || eh->e_ident[1] != 'E' || eh->e_ident[2] != 'L' ||
	    eh->e_ident[3] != 'F')
		return "bad ELF magic (not an ELF file)";
	if (eh->e_ident[4] != ELFCLASS64)
		return "not a 64-bit ELF file";
	if (eh->e_ident[5] != ELFDATA2LSB)
		return "not a little-endian ELF file";
	if (eh->e_ident[6] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return "unknown ELF version";
	if (eh->e_machine != EM_X86_64)
		return "ELF file is not for x86-64";
	if (eh->e_type != ET_EXEC)
		return "ELF file is not an executable";
	return NULL;
}

static const char *check_segment(const struct elf64_phdr *ph, u64 size)
{
	if (!range_inside(ph->p_offset, ph->p_filesz, size))
		return "a segment runs past the end of the file (truncated kernel?)";
	if (ph->p_filesz > ph->p_memsz)
		return "a segment's file size exceeds its memory size";
	/* Both bounds first: above the limit, the subtraction would wrap (issue 18 found it). */
	if (ph->p_vaddr < KERNEL_VIRT_BASE || ph->p_vaddr > KERNEL_VIRT_LIMIT ||
	    ph->p_memsz > KERNEL_VIRT_LIMIT - ph->p_vaddr)
		return "a segment lies outside the kernel's 1 GiB at KERNEL_VIRT_BASE";
	return NULL;
}

const struct elf64_phdr *elf_phdr(const void *file, unsigned int i)
{
	const struct elf64_ehdr *eh = file;

	return (const struct elf64_phdr *)((const u8 *)file + eh->e_phoff +
					   (u64)i * sizeof(struct elf64_phdr));
}

const char *elf_check_kernel_size(u64 size)
{
	if (size == 0)
		return "the file is empty";
	if (size < sizeof(struct elf64_ehdr))
		return "file too small for an ELF header";
	if (size > ELF_MAX_FILE_SIZE)
		return "the file is larger than the kernel's 1 GiB";
	return NULL;
}

/*
 * The one rule for which segments exist, so the check can never pass over a segment
 * the copy then writes (issue 18: a PT_LOAD with file bytes but p_memsz == 0 was both).
 * A segment with neither file nor memory bytes is nothing, wherever it claims to be.
 */
const struct elf64_phdr *elf_loaded_phdr(const void *file, unsigned int i)
{
	const struct elf64_phdr *ph = elf_phdr(file, i);

	return ph->p_type == PT_LOAD && (ph->p_memsz || ph->p_filesz) ? ph : NULL;
}

const char *elf_check_kernel(const void *file, u64 size, struct elf_kernel_image *img)
{
	const struct elf64_ehdr *eh = file;
	u64 prev_end = KERNEL_VIRT_BASE;
	bool entry_ok = false;
	const char *err;

	err = elf_check_kernel_size(size);
	if (err)
		return err;
	err = check_ident(eh);
	if (err)
		return err;
	if (eh->e_phentsize != sizeof(struct elf64_phdr) || eh->e_phnum == 0 ||
	    eh->e_phnum > ELF_MAX_PHDRS)
		return "bad program header table size";
	if (!range_inside(eh->e_phoff, (u64)eh->e_phnum * sizeof(struct elf64_phdr), size))
		return "program header table runs past the end of the file";
	/* The headers are read in place: an odd offset would make every access misaligned. */
	if (eh->e_phoff % 8)
		return "program header table is not 8-byte aligned";

	img->nr_load = 0;
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *ph = elf_loaded_phdr(file, i);

		if (!ph)
			continue;
		err = check_segment(ph, size);
		if (err)
			return err;
		/* Sorted, non-overlapping segments: one linear copy per segment is then safe. */
		if (ph->p_vaddr < prev_end)
			return "segments overlap or are out of order";
		prev_end = ph->p_vaddr + ph->p_memsz;
		if ((ph->p_flags & PF_X) && eh->e_entry >= ph->p_vaddr && eh->e_entry < prev_end)
			entry_ok = true;
		img->nr_load++;
	}
	if (img->nr_load == 0)
		return "no loadable segments";
	if (!entry_ok)
		return "entry point is not inside an executable segment";

	img->entry = eh->e_entry;
	img->vaddr_end = ALIGN_UP(prev_end, 4096ULL);
	img->image_size = img->vaddr_end - KERNEL_VIRT_BASE;
	return NULL;
}

void elf_load_segments(const void *file, const struct elf_kernel_image *img, void *base)
{
	const struct elf64_ehdr *eh = file;

	memset(base, 0, (size_t)img->image_size);
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *ph = elf_loaded_phdr(file, i);

		if (ph)
			memcpy((u8 *)base + (size_t)(ph->p_vaddr - KERNEL_VIRT_BASE),
			       (const u8 *)file + (size_t)ph->p_offset, (size_t)ph->p_filesz);
	}
}
