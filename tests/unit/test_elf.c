// SPDX-License-Identifier: MIT
/*
 * elf_check_kernel(): both loaders trust a kernel file only after this says yes.
 * A small valid kernel image is built in memory, then damaged one field at a time; the
 * one that passes is laid out by elf_load_segments(), the copy both loaders share.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "boot/boot_info.h"
#include "boot/elf.h"

#define FILE_SIZE 0x3000

static u8 file[FILE_SIZE];

static struct elf64_ehdr *eh(void) { return (struct elf64_ehdr *)file; }
static struct elf64_phdr *ph(int i) { return (struct elf64_phdr *)(file + 64) + i; }

/*
 *   file:   [ehdr|phdr0|phdr1] ... 0x1000 text ... 0x2000 data ...
 *   memory: KERNEL_VIRT_BASE: text (0x1000, R X)   +0x1000: data (0x800 in file, 0x4000 in memory)
 */
static void build_kernel(void)
{
	memset(file, 0, sizeof(file));
	memcpy(eh()->e_ident, "\177ELF", 4);
	eh()->e_ident[4] = ELFCLASS64;
	eh()->e_ident[5] = ELFDATA2LSB;
	eh()->e_ident[6] = EV_CURRENT;
	eh()->e_type = ET_EXEC;
	eh()->e_machine = EM_X86_64;
	eh()->e_version = EV_CURRENT;
	eh()->e_entry = KERNEL_VIRT_BASE + 0x10;
	eh()->e_phoff = 64;
	eh()->e_ehsize = 64;
	eh()->e_phentsize = sizeof(struct elf64_phdr);
	eh()->e_phnum = 2;
	*ph(0) = (struct elf64_phdr){ PT_LOAD, PF_R | PF_X, 0x1000, KERNEL_VIRT_BASE, 0, 0x1000, 0x1000, 0x1000 };
	*ph(1) = (struct elf64_phdr){ PT_LOAD, PF_R | PF_W, 0x2000, KERNEL_VIRT_BASE + 0x1000, 0, 0x800, 0x4000, 0x1000 };
}

static const char *check(u64 size)
{
	struct elf_kernel_image img;

	return elf_check_kernel(file, size, &img);
}

Test(elf, valid_kernel_is_accepted_with_its_layout)
{
	struct elf_kernel_image img;

	build_kernel();
	cr_assert_null(elf_check_kernel(file, FILE_SIZE, &img));
	cr_assert_eq(img.entry, KERNEL_VIRT_BASE + 0x10);
	cr_assert_eq(img.nr_load, 2);
	cr_assert_eq(img.image_size, 0x5000, "bss counts: 0x1000 text + 0x4000 data");
	cr_assert_eq(img.vaddr_end, KERNEL_VIRT_BASE + 0x5000);
}

Test(elf, zeroed_file_has_bad_magic)
{
	memset(file, 0, sizeof(file));
	cr_assert_str_eq(check(FILE_SIZE), "bad ELF magic (not an ELF file)");
}

Test(elf, file_shorter_than_a_header_is_refused)
{
	build_kernel();
	cr_assert_str_eq(check(63), "file too small for an ELF header");
}

Test(elf, wrong_class_machine_and_type_are_refused)
{
	build_kernel();
	eh()->e_ident[4] = 1;
	cr_assert_str_eq(check(FILE_SIZE), "not a 64-bit ELF file");
	build_kernel();
	eh()->e_ident[5] = 2;
	cr_assert_str_eq(check(FILE_SIZE), "not a little-endian ELF file");
	build_kernel();
	eh()->e_machine = 3; /* i386 */
	cr_assert_str_eq(check(FILE_SIZE), "ELF file is not for x86-64");
	build_kernel();
	eh()->e_type = 3; /* ET_DYN */
	cr_assert_str_eq(check(FILE_SIZE), "ELF file is not an executable");
}

Test(elf, program_headers_outside_the_file_are_refused)
{
	build_kernel();
	eh()->e_phoff = FILE_SIZE - 56;
	cr_assert_str_eq(check(FILE_SIZE), "program header table runs past the end of the file");
	build_kernel();
	eh()->e_phoff = ~0ULL - 8; /* offset + size would wrap */
	cr_assert_str_eq(check(FILE_SIZE), "program header table runs past the end of the file");
	build_kernel();
	eh()->e_phnum = 0;
	cr_assert_str_eq(check(FILE_SIZE), "bad program header table size");
}

Test(elf, truncated_file_is_refused)
{
	build_kernel();
	cr_assert_str_eq(check(0x2400), "a segment runs past the end of the file (truncated kernel?)");
}

Test(elf, segment_offset_that_wraps_is_refused)
{
	build_kernel();
	ph(1)->p_offset = ~0ULL - 0x100;
	cr_assert_str_eq(check(FILE_SIZE), "a segment runs past the end of the file (truncated kernel?)");
}

Test(elf, filesz_larger_than_memsz_is_refused)
{
	build_kernel();
	ph(1)->p_memsz = 0x400;
	cr_assert_str_eq(check(FILE_SIZE), "a segment's file size exceeds its memory size");
}

Test(elf, segment_below_kernel_base_or_beyond_1g_is_refused)
{
	build_kernel();
	ph(0)->p_vaddr = 0x100000;
	cr_assert_str_eq(check(FILE_SIZE), "a segment lies outside the kernel's 1 GiB at KERNEL_VIRT_BASE");
	build_kernel();
	ph(1)->p_memsz = SZ_1G;
	cr_assert_str_eq(check(FILE_SIZE), "a segment lies outside the kernel's 1 GiB at KERNEL_VIRT_BASE");
}

Test(elf, overlapping_segments_are_refused)
{
	build_kernel();
	ph(1)->p_vaddr = KERNEL_VIRT_BASE + 0x800;
	cr_assert_str_eq(check(FILE_SIZE), "segments overlap or are out of order");
}

Test(elf, entry_outside_executable_segment_is_refused)
{
	build_kernel();
	eh()->e_entry = KERNEL_VIRT_BASE + 0x1010; /* in the data segment */
	cr_assert_str_eq(check(FILE_SIZE), "entry point is not inside an executable segment");
}

Test(elf, file_without_load_segments_is_refused)
{
	build_kernel();
	ph(0)->p_type = ph(1)->p_type = 4; /* PT_NOTE */
	cr_assert_str_eq(check(FILE_SIZE), "no loadable segments");
}

Test(elf, segments_land_at_their_offsets_and_the_rest_is_zero)
{
	struct elf_kernel_image img;
	u8 *mem;

	build_kernel();
	memset(file + 0x1000, 0xaa, 0x1000); /* text */
	memset(file + 0x2000, 0xbb, 0x800);  /* data; its other 0x3800 bytes are bss */
	cr_assert_null(elf_check_kernel(file, FILE_SIZE, &img));
	mem = malloc(img.image_size); /* exactly: ASan catches a byte written past it */
	memset(mem, 0x55, img.image_size);

	elf_load_segments(file, &img, mem);
	for (u64 i = 0; i < img.image_size; i++) {
		u8 want = i < 0x1000 ? 0xaa : i < 0x1800 ? 0xbb : 0;

		cr_assert_eq(mem[i], want, "byte 0x%llx is 0x%x, not 0x%x", i, mem[i], want);
	}
	free(mem);
}

/*
 * Issue 18, finding 2: a PT_LOAD with p_memsz == 0 was skipped by the check but copied by
 * elf_load_segments(), so its file bytes went to an address nobody had checked.  Here the
 * address is just past the image: the copy would write where the loader put nothing.
 */
Test(elf, load_segment_with_file_bytes_but_no_memory_is_refused)
{
	build_kernel();
	eh()->e_phnum = 3;
	*ph(2) = (struct elf64_phdr){ PT_LOAD, PF_R, 0x1000, KERNEL_VIRT_BASE + 0x5000, 0, 0x100, 0, 0x1000 };
	cr_assert_str_eq(check(FILE_SIZE), "a segment's file size exceeds its memory size");
}

Test(elf, empty_load_segment_anywhere_is_ignored_by_check_and_copy)
{
	struct elf_kernel_image img;
	u8 *mem;

	build_kernel();
	eh()->e_phnum = 3;
	*ph(2) = (struct elf64_phdr){ PT_LOAD, PF_R, 0, 0, 0, 0, 0, 0x1000 }; /* nothing, at 0 */
	cr_assert_null(elf_check_kernel(file, FILE_SIZE, &img));
	cr_assert_eq(img.nr_load, 2);
	mem = malloc(img.image_size);
	elf_load_segments(file, &img, mem);
	free(mem);
}

/* Found by tests/fuzz/fuzz_elf.c: headers at offset 0x44 were read misaligned (UBSan). */
Test(elf, misaligned_program_header_table_is_refused)
{
	build_kernel();
	memmove(file + 0x44, file + 64, 2 * sizeof(struct elf64_phdr));
	eh()->e_phoff = 0x44;
	cr_assert_str_eq(check(FILE_SIZE), "program header table is not 8-byte aligned");
}

/* The loaders ask before they read a byte: an empty file gets its own words. */
Test(elf, file_size_is_checked_before_reading)
{
	cr_assert_str_eq(elf_check_kernel_size(0), "the file is empty");
	cr_assert_str_eq(elf_check_kernel_size(63), "file too small for an ELF header");
	cr_assert_null(elf_check_kernel_size(64));
	cr_assert_null(elf_check_kernel_size(ELF_MAX_FILE_SIZE));
	cr_assert_str_eq(elf_check_kernel_size(ELF_MAX_FILE_SIZE + 1),
			 "the file is larger than the kernel's 1 GiB");
	cr_assert_str_eq(check(0), "the file is empty");
}

/*
 * Check and copy must agree on every header, not only the ones above: program header 1
 * (and a third one) gets every combination of awkward field values; whenever the check
 * says yes, the copy must stay inside the image_size bytes it reported.  A guard on
 * each side catches a copy that strays a little; ASan, or a crash, one that strays far.
 */
#define GUARD 0x2000

static void copy_stays_inside(unsigned int n)
{
	static const u32 types[] = { PT_LOAD, 0, 4 };
	static const u64 offs[] = { 0, 0x1000, 0x2000, FILE_SIZE, ~0ULL };
	static const u64 vaddrs[] = { 0, KERNEL_VIRT_BASE - 0x1000, KERNEL_VIRT_BASE,
				      KERNEL_VIRT_BASE + 0x1000, KERNEL_VIRT_BASE + 0x5000, ~0ULL };
	static const u64 sizes[] = { 0, 0x800, 0x1000, 0x4000, SZ_1G, ~0ULL };
	unsigned int accepted = 0;

	for (unsigned int t = 0; t < ARRAY_SIZE(types); t++)
	for (unsigned int o = 0; o < ARRAY_SIZE(offs); o++)
	for (unsigned int v = 0; v < ARRAY_SIZE(vaddrs); v++)
	for (unsigned int f = 0; f < ARRAY_SIZE(sizes); f++)
	for (unsigned int m = 0; m < ARRAY_SIZE(sizes); m++) {
		struct elf_kernel_image img;
		u8 *mem;

		build_kernel();
		eh()->e_phnum = n + 1;
		*ph(n) = (struct elf64_phdr){ types[t], PF_R | PF_W, offs[o], vaddrs[v], 0,
					      sizes[f], sizes[m], 0x1000 };
		if (elf_check_kernel(file, FILE_SIZE, &img))
			continue;
		accepted++;
		cr_assert_leq(img.image_size, SZ_1G);
		if (img.image_size > SZ_1M)
			continue; /* the fields that reach 1 GiB are checked by the cases above */
		mem = malloc(img.image_size + 2 * GUARD);
		memset(mem, 0x5a, img.image_size + 2 * GUARD);
		elf_load_segments(file, &img, mem + GUARD);
		for (u64 i = 0; i < GUARD; i++) {
			cr_assert_eq(mem[i], 0x5a, "type %u off 0x%llx vaddr 0x%llx filesz 0x%llx "
				     "memsz 0x%llx: wrote below the image", types[t], offs[o],
				     vaddrs[v], sizes[f], sizes[m]);
			cr_assert_eq(mem[GUARD + img.image_size + i], 0x5a, "type %u off 0x%llx "
				     "vaddr 0x%llx filesz 0x%llx memsz 0x%llx: wrote past the image",
				     types[t], offs[o], vaddrs[v], sizes[f], sizes[m]);
		}
		free(mem);
	}
	cr_assert_gt(accepted, 0, "no combination was accepted: the test tests nothing");
}

Test(elf, copy_stays_inside_what_the_check_accepted)
{
	copy_stays_inside(1); /* replaces the data segment */
	copy_stays_inside(2); /* a third segment after it */
}

/* Found by the test above: KERNEL_VIRT_LIMIT - p_vaddr wrapped for a segment above the 1 GiB. */
Test(elf, segment_above_the_kernels_1g_is_refused)
{
	build_kernel();
	ph(1)->p_vaddr = ~0ULL - 0x7ff;
	ph(1)->p_memsz = 0x1000;
	cr_assert_str_eq(check(FILE_SIZE), "a segment lies outside the kernel's 1 GiB at KERNEL_VIRT_BASE");
}
