// SPDX-License-Identifier: MIT
/*
 * pagelab's UEFI loader: EFI/BOOT/BOOTX64.EFI on the EFI system partition.
 *
 * It does, in order (efi_main below reads as this list):
 *
 *   1. open the FAT partition it was itself loaded from;
 *   2. read \PAGELAB\KERNEL.ELF, refuse it unless its seal (boot/seal.c) and boot/elf.c
 *      accept it, and copy its segments to a 2 MiB aligned physical base wherever the
 *      firmware has room, where the seal checks the result again;
 *   3. read the command line from \PAGELAB\CMDLINE.TXT into its slot in the boot_info;
 *   4. note the ACPI RSDP and the GOP framebuffer;
 *   5. build the page tables the kernel is entered with (picture in boot/boot_info.h);
 *   6. get the memory map, ExitBootServices (retrying once with a fresh map if the key
 *      went stale), and jump to the kernel with the boot_info's address in %rdi.
 *
 * Every failure before step 6 prints what went wrong and waits for a key; then the
 * loader returns the error to the firmware, which tries its next boot option.
 * EDK2's names (EFI_STATUS, EfiLoaderData, ...) are used here and nowhere else.
 */
#include <efi.h>
#include <efilib.h>

#include "arch/cpu.h"
#include "boot/boot_info.h"
#include "boot/elf.h"
#include "boot/loader.h"
#include "boot/seal.h"

#define KERNEL_PATH L"" BOOT_KERNEL_PATH
#define CMDLINE_PATH L"" BOOT_CMDLINE_PATH

#define PAGES(bytes) (((bytes) + EFI_PAGE_SIZE - 1) / EFI_PAGE_SIZE)

/* The firmware's map grows when we allocate; leave room for that many more descriptors. */
#define MMAP_SLACK_DESCRIPTORS 16

static struct boot_info *bi;

/*
 * fail - report an error on the console, wait for a key, and return @status so the
 * caller can hand it back to the firmware.  Used for every error before the jump.
 */
static EFI_STATUS fail(EFI_STATUS status, const CHAR16 *what, const char *detail)
{
	EFI_INPUT_KEY key;
	UINTN index;

	Print(L"\r\npagelab loader: error: %s", what);
	if (detail)
		Print(L": %a", detail);
	if (EFI_ERROR(status))
		Print(L" (%r)", status);
	Print(L"\r\npagelab loader: press any key to return to the firmware.\r\n");
	uefi_call_wrapper(ST->ConIn->Reset, 2, ST->ConIn, FALSE);
	uefi_call_wrapper(BS->WaitForEvent, 3, 1, &ST->ConIn->WaitForKey, &index);
	uefi_call_wrapper(ST->ConIn->ReadKeyStroke, 2, ST->ConIn, &key);
	return EFI_ERROR(status) ? status : EFI_LOAD_ERROR;
}

static EFI_STATUS alloc_pages(EFI_MEMORY_TYPE type, UINTN pages, EFI_PHYSICAL_ADDRESS *addr)
{
	return uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages, type, pages, addr);
}

/* Record memory the kernel must not reuse before it has read what is in it. */
static EFI_STATUS add_loader_range(u64 start, u64 size, u32 kind)
{
	const char *why = boot_add_range(bi, start, size, kind);

	return why ? fail(EFI_OUT_OF_RESOURCES, L"cannot record loader memory", why) : EFI_SUCCESS;
}

/*
 * Read a whole file from @root into pool memory.  *@buf is NULL on error.  @size_ok
 * judges the size before anything is allocated or read: if it objects, its message is
 * in *@why and the result is EFI_BAD_BUFFER_SIZE.
 */
static EFI_STATUS read_file(EFI_FILE_HANDLE root, CHAR16 *path, const char *(*size_ok)(u64),
			    UINT8 **buf, UINTN *size, const char **why)
{
	EFI_FILE_HANDLE fh;
	EFI_FILE_INFO *info;
	EFI_STATUS st;

	*buf = NULL;
	*why = NULL;
	st = uefi_call_wrapper(root->Open, 5, root, &fh, path, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		return st;
	info = LibFileInfo(fh);
	if (!info) {
		uefi_call_wrapper(fh->Close, 1, fh);
		return EFI_DEVICE_ERROR;
	}
	*size = info->FileSize;
	FreePool(info);
	*why = size_ok(*size);
	if (*why) {
		uefi_call_wrapper(fh->Close, 1, fh);
		return EFI_BAD_BUFFER_SIZE;
	}
	*buf = AllocatePool(*size ? *size : 1);
	if (!*buf) {
		st = EFI_OUT_OF_RESOURCES;
	} else {
		UINTN got = *size;

		st = uefi_call_wrapper(fh->Read, 3, fh, &got, *buf);
		if (!EFI_ERROR(st) && got != *size)
			st = EFI_END_OF_FILE;
		if (EFI_ERROR(st)) {
			FreePool(*buf);
			*buf = NULL;
		}
	}
	uefi_call_wrapper(fh->Close, 1, fh);
	return st;
}

/*
 * Load the kernel's segments.  The physical base is whatever the firmware gives us,
 * rounded up to 2 MiB inside an over-sized allocation whose unused ends go back; the
 * kernel learns it from boot_info (Linux calls the same number phys_base).
 */
static EFI_STATUS load_kernel(EFI_FILE_HANDLE root, u64 *entry)
{
	struct elf_kernel_image img;
	EFI_PHYSICAL_ADDRESS raw, base;
	UINT8 *file;
	UINTN size, span, slack_front, raw_pages;
	u64 elf_size;
	const char *why;
	EFI_STATUS st;

	st = read_file(root, KERNEL_PATH, elf_check_kernel_size, &file, &size, &why);
	if (EFI_ERROR(st) && !why)
		return fail(st, L"cannot read the kernel file " KERNEL_PATH, NULL);
	if (!why)
		why = boot_seal_check_file(file, size, &elf_size); /* damaged anywhere? */
	if (!why)
		why = elf_check_kernel(file, elf_size, &img);
	if (why) {
		if (file)
			FreePool(file);
		return fail(EFI_LOAD_ERROR, L"the kernel file " KERNEL_PATH " is not a valid kernel",
			    why);
	}

	span = ALIGN_UP(img.image_size, KERNEL_PHYS_ALIGN);
	raw_pages = PAGES(span + KERNEL_PHYS_ALIGN);
	st = alloc_pages(EfiLoaderCode, raw_pages, &raw);
	if (EFI_ERROR(st)) {
		FreePool(file);
		return fail(st, L"no memory for the kernel image", NULL);
	}
	base = ALIGN_UP(raw, KERNEL_PHYS_ALIGN);
	slack_front = base - raw;
	if (slack_front)
		uefi_call_wrapper(BS->FreePages, 2, raw, PAGES(slack_front));
	if (raw_pages - PAGES(slack_front) > PAGES(span))
		uefi_call_wrapper(BS->FreePages, 2, base + span,
				  raw_pages - PAGES(slack_front) - PAGES(span));

	elf_load_segments(file, &img, (void *)base);
	why = boot_seal_check_image(file, elf_size, &img, (void *)base); /* laid out as built? */
	FreePool(file);
	if (why) {
		uefi_call_wrapper(BS->FreePages, 2, base, PAGES(span));
		return fail(EFI_LOAD_ERROR, L"the kernel file " KERNEL_PATH " is not a valid kernel",
			    why);
	}

	bi->kernel_phys_start = base;
	bi->kernel_phys_end = base + span;
	*entry = img.entry;
	Print(L"pagelab loader: kernel %lu KiB at physical 0x%lx, entry 0x%lx\r\n",
	      img.image_size >> 10, base, img.entry);
	return EFI_SUCCESS;
}

/*
 * The command line goes to its slot in the boot_info page.  A missing file means an
 * empty command line; an over-long one is an error rather than a silent cut.
 */
static EFI_STATUS load_cmdline(EFI_FILE_HANDLE root)
{
	const char *why;
	UINT8 *file;
	UINTN size;
	EFI_STATUS st;

	st = read_file(root, CMDLINE_PATH, boot_check_cmdline_size, &file, &size, &why);
	if (st == EFI_NOT_FOUND)
		return EFI_SUCCESS;
	if (EFI_ERROR(st) && !why)
		return fail(st, L"cannot read " CMDLINE_PATH, NULL);
	if (!why) {
		why = boot_set_cmdline(bi, file, size);
		FreePool(file);
	}
	return why ? fail(EFI_BAD_BUFFER_SIZE, L"cannot use " CMDLINE_PATH, why) : EFI_SUCCESS;
}

static void find_acpi_rsdp(void)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;

	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];

		if (!CompareGuid(&t->VendorGuid, &acpi20))
			bi->acpi_rsdp = (u64)(UINTN)t->VendorTable;
		else if (!bi->acpi_rsdp && !CompareGuid(&t->VendorGuid, &AcpiTableGuid))
			bi->acpi_rsdp = (u64)(UINTN)t->VendorTable;
	}
}

/* The GOP framebuffer, if there is one and it is linear 32-bit RGB or BGR. */
static void find_framebuffer(void)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info;
	struct boot_framebuffer *fb = &bi->fb;

	if (EFI_ERROR(LibLocateProtocol(&GraphicsOutputProtocol, (void **)&gop)) || !gop->Mode)
		return;
	info = gop->Mode->Info;
	if (info->PixelFormat == PixelRedGreenBlueReserved8BitPerColor) {
		fb->red_shift = 0, fb->green_shift = 8, fb->blue_shift = 16;
	} else if (info->PixelFormat == PixelBlueGreenRedReserved8BitPerColor) {
		fb->red_shift = 16, fb->green_shift = 8, fb->blue_shift = 0;
	} else {
		return; /* bit-mask or blt-only: not worth supporting for a text console */
	}
	fb->type = BOOT_FB_RGB;
	fb->base = gop->Mode->FrameBufferBase;
	fb->size = gop->Mode->FrameBufferSize;
	fb->width = info->HorizontalResolution;
	fb->height = info->VerticalResolution;
	fb->bpp = 32;
	fb->pitch = info->PixelsPerScanLine * 4;
}

static void record_firmware(void)
{
	const CHAR16 *v = ST->FirmwareVendor;
	unsigned int i = 0;

	bi->fw_revision = ST->Hdr.Revision;
	bi->efi_system_table = (u64)(UINTN)ST;
	for (; v && v[i] && i < BOOT_FW_VENDOR_MAX - 1; i++)
		bi->fw_vendor[i] = v[i] < 0x80 ? (char)v[i] : '?';
	bi->fw_vendor[i] = 0;
}

/*
 * The end of the highest descriptor that holds memory, by the rule both loaders share
 * (boot_range_holds_memory); the descriptors are walked by the firmware's stride.
 */
static u64 memory_top(void)
{
	UINTN nr, key, desc_size;
	UINT32 version;
	EFI_MEMORY_DESCRIPTOR *map = LibMemoryMap(&nr, &key, &desc_size, &version);
	u64 top = 0;

	if (!map)
		return top;
	for (UINTN off = 0; off < nr * desc_size; off += desc_size) {
		EFI_MEMORY_DESCRIPTOR *d = (void *)((UINT8 *)map + off);

		if (boot_range_holds_memory(BOOT_FIRMWARE_UEFI, d->Type))
			top = boot_mem_top(top, d->PhysicalStart, d->NumberOfPages * EFI_PAGE_SIZE);
	}
	FreePool(map);
	return top;
}

/* The tables of boot/boot_info.h's picture, built by code the BIOS path shares. */
static EFI_STATUS build_page_tables(u64 *cr3)
{
	EFI_PHYSICAL_ADDRESS mem;
	const char *why;
	u64 map_end;
	EFI_STATUS st;

	why = boot_direct_map_end(memory_top(), &map_end);
	if (why)
		return fail(EFI_UNSUPPORTED, L"cannot build the direct map", why);
	st = alloc_pages(EfiLoaderData, boot_page_table_pages(map_end), &mem);
	if (EFI_ERROR(st))
		return fail(st, L"no memory for page tables", NULL);
	why = boot_setup_page_tables(bi, (void *)mem, mem, map_end, cr3);
	if (why)
		return fail(EFI_LOAD_ERROR, L"cannot build the boot page tables", why);
	return EFI_SUCCESS;
}

/* Switch to our page tables and enter the kernel.  Runs from identity-mapped memory. */
static void __attribute__((noreturn)) enter_kernel(u64 cr3, u64 entry)
{
	bi->loader_tsc = rdtsc();
	__asm__ volatile("cli\n\t"
			 "mov %0, %%cr3\n\t"
			 "jmp *%1"
			 :
			 : "r"(cr3), "r"(entry), "D"((u64)(UINTN)bi)
			 : "memory");
	__builtin_unreachable();
}

/*
 * Get the final memory map and leave boot services.  Nothing may allocate or print
 * between the last GetMemoryMap and ExitBootServices: either would change the map and
 * make the key stale.  Some firmware changes it anyway (a timer event allocating), so
 * a stale key gets one retry with a fresh map in the same buffer.
 */
static EFI_STATUS exit_boot_services(EFI_HANDLE image)
{
	UINTN size = 0, key, desc_size, capacity;
	UINT32 desc_version;
	EFI_PHYSICAL_ADDRESS buf;
	EFI_STATUS st;

	st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, NULL, &key, &desc_size, &desc_version);
	if (st != EFI_BUFFER_TOO_SMALL)
		return fail(st, L"GetMemoryMap did not report its size", NULL);
	capacity = ALIGN_UP(size + MMAP_SLACK_DESCRIPTORS * desc_size, EFI_PAGE_SIZE);
	st = alloc_pages(EfiLoaderData, PAGES(capacity), &buf);
	if (EFI_ERROR(st))
		return fail(st, L"no memory for the memory map", NULL);
	st = add_loader_range(buf, capacity, BOOT_RANGE_MEMORY_MAP);
	if (EFI_ERROR(st))
		return st;

	for (int attempt = 0; attempt < 2; attempt++) {
		size = capacity;
		st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, (EFI_MEMORY_DESCRIPTOR *)buf, &key,
				       &desc_size, &desc_version);
		if (EFI_ERROR(st))
			break;
		st = uefi_call_wrapper(BS->ExitBootServices, 2, image, key);
		if (st != EFI_INVALID_PARAMETER)
			break;
	}
	if (EFI_ERROR(st))
		return fail(st, L"ExitBootServices failed", "even with a fresh memory map");

	bi->mmap_addr = buf;
	bi->mmap_size = size;
	bi->mmap_desc_size = desc_size;
	bi->mmap_desc_version = desc_version;
	return EFI_SUCCESS;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_LOADED_IMAGE *li;
	EFI_FILE_HANDLE root;
	EFI_PHYSICAL_ADDRESS bi_page;
	u64 entry = 0, cr3 = 0;
	EFI_STATUS st;

	InitializeLib(image, systab);
	/* The firmware's 5-minute watchdog would reset us while an error waits for a key. */
	uefi_call_wrapper(BS->SetWatchdogTimer, 4, 0, 0, 0, NULL);
	Print(L"pagelab loader: UEFI %d.%02d firmware by %s\r\n", ST->Hdr.Revision >> 16,
	      ST->Hdr.Revision & 0xffff, ST->FirmwareVendor);

	st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(st))
		return fail(st, L"cannot find the loaded image protocol", NULL);
	root = LibOpenRoot(li->DeviceHandle);
	if (!root)
		return fail(EFI_NOT_FOUND, L"cannot open the partition the loader came from", NULL);

	st = alloc_pages(EfiLoaderData, 1, &bi_page);
	if (EFI_ERROR(st))
		return fail(st, L"no memory for boot_info", NULL);
	bi = boot_info_init((void *)bi_page, bi_page, BOOT_FIRMWARE_UEFI); /* + command line */

	record_firmware();                    /* vendor, revision, system table */
	st = load_kernel(root, &entry);       /* ELF checked, segments copied */
	if (EFI_ERROR(st))
		return st;
	st = load_cmdline(root);              /* \PAGELAB\CMDLINE.TXT */
	if (EFI_ERROR(st))
		return st;
	find_acpi_rsdp();                     /* for poweroff and, later, the APIC */
	find_framebuffer();                   /* GOP, for the screen console */
	st = build_page_tables(&cr3);         /* identity + direct map + kernel */
	if (EFI_ERROR(st))
		return st;
	Print(L"pagelab loader: command line \"%a\"; starting the kernel\r\n",
	      (char *)bi->cmdline_addr);
	st = exit_boot_services(image);       /* the last thing the firmware does for us */
	if (EFI_ERROR(st))
		return st;
	enter_kernel(cr3, entry);
}
