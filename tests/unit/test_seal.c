// SPDX-License-Identifier: MIT
/*
 * The seal at the end of KERNEL.ELF (include/boot/seal.h): the CRC-32 both loaders
 * compute, the file check before the ELF check and the layout check after the copy.
 * A small kernel like test_elf.c's is sealed by the build's own tool,
 * tools/kernel_seal.py, so the Python layout and elf_load_segments() must agree.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "boot/boot_info.h"
#include "boot/elf.h"
#include "boot/seal.h"

#define ELF_SIZE 0x3000
#define SEALED_SIZE (ELF_SIZE + sizeof(struct kernel_seal))
#define IMAGE_ROOM 0x8000 /* the kernel is 0x5000 in memory; room for a bigger .bss */

static u8 file[SEALED_SIZE];
static u8 image[IMAGE_ROOM];

static struct elf64_ehdr *eh(void) { return (struct elf64_ehdr *)file; }
static struct elf64_phdr *ph(int i) { return (struct elf64_phdr *)(file + 64) + i; }

/* test_elf.c's kernel, with bytes in its segments so a misplaced copy shows. */
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
	for (int i = 0x1000; i < ELF_SIZE; i++)
		file[i] = (u8)(i * 2654435761u >> 11);
}

/* The ELF in file[] sealed by tools/kernel_seal.py, back in file[]. */
static void seal_with_the_build_tool(void)
{
	char in[64], out[64], cmd[256];
	FILE *f;

	snprintf(in, sizeof(in), "/tmp/pagelab-seal-%d.elf", getpid());
	snprintf(out, sizeof(out), "/tmp/pagelab-seal-%d.sealed", getpid());
	f = fopen(in, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(file, 1, ELF_SIZE, f), ELF_SIZE);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 tools/kernel_seal.py %s %s", in, out);
	cr_assert_eq(system(cmd), 0, "%s failed (run from the repository's top)", cmd);
	f = fopen(out, "rb");
	cr_assert_not_null(f);
	cr_assert_eq(fread(file, 1, SEALED_SIZE + 1, f), SEALED_SIZE, "the seal is 32 bytes");
	fclose(f);
	unlink(in);
	unlink(out);
}

static void sealed_kernel(void)
{
	build_kernel();
	seal_with_the_build_tool();
}

/* Every check both loaders make, in their order: NULL, or the first message. */
static const char *load(u64 size)
{
	struct elf_kernel_image img;
	const char *why;
	u64 elf_size;

	why = boot_seal_check_file(file, size, &elf_size);
	if (!why)
		why = elf_check_kernel(file, elf_size, &img);
	if (why)
		return why;
	cr_assert_leq(img.image_size, sizeof(image));
	elf_load_segments(file, &img, image);
	return boot_seal_check_image(file, elf_size, &img, image);
}

TestSuite(seal, .init = sealed_kernel);

Test(seal, crc32_is_zlibs)
{
	cr_assert_eq(boot_crc32("123456789", 9), 0xcbf43926);
	cr_assert_eq(boot_crc32("", 0), 0);
	cr_assert_eq(boot_crc32("The quick brown fox jumps over the lazy dog", 43), 0x414fa339);
}

Test(seal, the_build_tools_seal_is_accepted)
{
	u64 elf_size = 0;

	cr_assert_null(boot_seal_check_file(file, SEALED_SIZE, &elf_size));
	cr_assert_eq(elf_size, ELF_SIZE, "the ELF check sees the file without its seal");
	cr_assert_null(load(SEALED_SIZE), "the Python layout is elf_load_segments()'s");
}

Test(seal, any_changed_byte_is_a_checksum_mismatch)
{
	/* A byte of code, of a header, of each of the seal's fields after its magic. */
	static const u32 at[] = { 0x1234, 0x18, ELF_SIZE + 8, ELF_SIZE + 12, ELF_SIZE + 16,
				  ELF_SIZE + 24, SEALED_SIZE - 1 };

	for (unsigned int i = 0; i < ARRAY_SIZE(at); i++) {
		file[at[i]] ^= 0x40;
		cr_assert_str_eq(load(SEALED_SIZE), "the file is damaged: checksum mismatch",
				 "byte 0x%x", at[i]);
		file[at[i]] ^= 0x40;
	}
	cr_assert_null(load(SEALED_SIZE));
}

Test(seal, a_file_without_a_seal_is_refused)
{
	build_kernel(); /* not sealed: the last 32 bytes are code */
	cr_assert_str_eq(load(ELF_SIZE), "the file is damaged: no checksum record at its end "
					 "(not sealed by the build?)");
	cr_assert_str_eq(load(31), "the file is damaged: too short to end in its checksum record");
}

Test(seal, a_truncated_file_loses_its_seal)
{
	cr_assert_str_eq(load(SEALED_SIZE - 1), "the file is damaged: no checksum record at its "
						"end (not sealed by the build?)");
}

/* Header changes whose file checksum was made to match: what only the layout catches. */
static void reseal_file(void)
{
	u32 crc = boot_crc32(file, SEALED_SIZE - sizeof(crc));

	memcpy(file + SEALED_SIZE - sizeof(crc), &crc, sizeof(crc));
}

Test(seal, a_moved_entry_point_is_refused)
{
	eh()->e_entry += 0x100; /* still in the text segment: the ELF check passes */
	reseal_file();
	cr_assert_str_eq(load(SEALED_SIZE),
			 "the headers do not match the sealed kernel: another entry point");
}

Test(seal, a_dropped_or_moved_segment_is_refused)
{
	eh()->e_phnum = 1; /* the data segment left out */
	reseal_file();
	cr_assert_str_eq(load(SEALED_SIZE), "the headers do not match the sealed kernel: laid out "
					    "differently (image checksum mismatch)");
	eh()->e_phnum = 2;
	ph(0)->p_offset += 0x10; /* the text read from 16 bytes further on */
	reseal_file();
	cr_assert_str_eq(load(SEALED_SIZE), "the headers do not match the sealed kernel: laid out "
					    "differently (image checksum mismatch)");
	ph(0)->p_offset -= 0x10;
	ph(1)->p_memsz += 0x1000; /* a bigger .bss: the same bytes, another size */
	reseal_file();
	cr_assert_str_eq(load(SEALED_SIZE), "the headers do not match the sealed kernel: laid out "
					    "differently (image checksum mismatch)");
}

Test(seal, unused_header_fields_still_boot)
{
	eh()->e_shoff = 0x1234; /* section headers: no loader reads them */
	ph(1)->p_paddr = 0x5678;
	reseal_file();
	cr_assert_null(load(SEALED_SIZE));
}
