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
