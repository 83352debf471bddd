// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the kernel-file check both loaders run, elf_check_kernel(), and the
 * copy that trusts it, elf_load_segments() (boot/elf.c).
 *
 * Input: the kernel file itself (an ELF64 header, program headers, segment bytes),
 * copied into a buffer of exactly its size, so any read past the file is an ASan report.
 *
 * Checked when the file is accepted:
 *
 *   - image_size is at most 1 GiB and is vaddr_end - KERNEL_VIRT_BASE, page aligned
 *   - every segment elf_loaded_phdr() names has its file bytes inside the file, no more
 *     file bytes than memory bytes, and its memory inside [KERNEL_VIRT_BASE, vaddr_end);
 *     no two of them overlap; nr_load counts them; the entry point is inside an
 *     executable one
 *   - laid out into a buffer of exactly image_size bytes (images up to 256 KiB), the copy
 *     writes nothing outside it, puts every segment's file bytes at its address and
 *     leaves zeros everywhere else
 */
#include "boot/boot_info.h"
#include "boot/elf.h"
#include "fuzz.h"
#include "lib/string.h"

#define LOAD_MAX (256UL << 10)

static void check_image(const u8 *file, size_t size, const struct elf_kernel_image *img)
{
	const struct elf64_ehdr *eh = (const void *)file;
	bool entry_ok = false;
	u32 nr_load = 0;

	fuzz_check(img->image_size <= SZ_1G && img->vaddr_end - KERNEL_VIRT_BASE == img->image_size &&
		   !(img->vaddr_end & 0xfff), "image_size %#llx vaddr_end %#llx", img->image_size,
		   img->vaddr_end);
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *p = elf_loaded_phdr(file, i);

		if (!p)
			continue;
		nr_load++;
		fuzz_check(p->p_offset <= size && p->p_filesz <= size - p->p_offset,
			   "phdr %u: file bytes [%#llx +%#llx] outside the %zu-byte file", i,
			   p->p_offset, p->p_filesz, size);
		fuzz_check(p->p_filesz <= p->p_memsz, "phdr %u: filesz > memsz", i);
		fuzz_check(p->p_vaddr >= KERNEL_VIRT_BASE && p->p_vaddr <= img->vaddr_end &&
			   p->p_memsz <= img->vaddr_end - p->p_vaddr,
			   "phdr %u: [%#llx +%#llx] outside the image", i, p->p_vaddr, p->p_memsz);
		if ((p->p_flags & PF_X) && eh->e_entry >= p->p_vaddr &&
		    eh->e_entry - p->p_vaddr < p->p_memsz)
			entry_ok = true;
		for (unsigned int j = 0; j < i; j++) {
			const struct elf64_phdr *q = elf_loaded_phdr(file, j);

			fuzz_check(!q || !p->p_memsz || !q->p_memsz ||
				   p->p_vaddr + p->p_memsz <= q->p_vaddr ||
				   q->p_vaddr + q->p_memsz <= p->p_vaddr,
				   "phdrs %u and %u overlap in memory", j, i);
		}
	}
	fuzz_check(nr_load == img->nr_load, "nr_load %u, %u loaded headers", img->nr_load, nr_load);
	fuzz_check(entry_ok && img->entry == eh->e_entry, "entry %#llx is in no executable segment",
		   eh->e_entry);
}

static void check_copy(const u8 *file, const struct elf_kernel_image *img)
{
	const struct elf64_ehdr *eh = (const void *)file;
	u8 *mem = malloc(img->image_size ? img->image_size : 1);
	u8 *want = calloc(1, img->image_size ? img->image_size : 1);

	memset(mem, 0xa5, img->image_size);
	elf_load_segments(file, img, mem);
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *p = elf_loaded_phdr(file, i);

		if (p)
			memcpy(want + (p->p_vaddr - KERNEL_VIRT_BASE), file + p->p_offset, p->p_filesz);
	}
	fuzz_check(!memcmp(mem, want, img->image_size), "the image differs from its segments");
	free(want);
	free(mem);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u8 *file = malloc(size ? size : 1);
	struct elf_kernel_image img;

	memcpy(file, data, size);
	if (!elf_check_kernel(file, size, &img)) {
		check_image(file, size, &img);
		if (img.image_size <= LOAD_MAX)
			check_copy(file, &img);
	}
	free(file);
	return 0;
}
