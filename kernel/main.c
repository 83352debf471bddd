// SPDX-License-Identifier: MIT
/*
 * start_kernel: the kernel's table of contents.  Each line brings up one piece, in the
 * only order that works - a console before anything can be said, the trap table before
 * anything can fault usefully, boot_info checked before anything believes it.
 */
#include "arch/irq.h"
#include "arch/memory.h"
#include "arch/memory_setup.h"
#include "arch/pgtable.h"
#include "arch/setup.h"
#include "arch/smpboot.h"
#include "arch/tsc.h"
#include "boot/boot_info.h"
#include "firmware/acpi.h"
#include "kernel/console.h"
#include "kernel/params.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/setup.h"
#include "kernel/time.h"
#include "mm/slab.h"
#include "mm/vmstat.h"
#include "shell/shell.h"

u64 phys_base;
const struct boot_info *boot_info;
const char *boot_command_line = "";

static void setup_boot_info(u64 phys)
{
	/* The direct map covers at least 4 GiB, and loaders place boot_info below that. */
	const struct boot_info *bi = phys < SZ_4G ? __va(phys) : NULL;
	const char *err = boot_info_validate(bi);

	if (err)
		panic("boot_info at %#llx: %s", phys, err);
	boot_info = bi;
	phys_base = bi->kernel_phys_start;
	if (bi->cmdline_addr)
		boot_command_line = __va(bi->cmdline_addr);
}

static void print_boot_banner(void)
{
	const struct boot_info *bi = boot_info;

	pr_info("%s\n", pagelab_banner);
	pr_info("Command line: %s\n", boot_command_line);
	if (bi->firmware == BOOT_FIRMWARE_UEFI) {
		pr_info("efi: EFI v%u.%u by %s\n", bi->fw_revision >> 16,
			(bi->fw_revision & 0xffff) / 10, bi->fw_vendor);
		pr_info("efi: ACPI 2.0=0x%llx\n", bi->acpi_rsdp);
	} else {
		pr_info("BIOS boot (legacy path)\n");
	}
	tsc_print_calibration();
	pr_info("Kernel at [mem %#018llx-%#018llx] (phys_base), direct map of %llu GiB\n",
		bi->kernel_phys_start, bi->kernel_phys_end - 1, bi->direct_map_end >> 30);
}

extern char init_stack[], init_stack_top[]; /* head.S */

/*
 * pagelab's one thread runs on the boot stack; Linux counts each thread's stack in
 * KernelStack when fork() makes it, so the count starts here, with this one.
 */
static void account_boot_stack(void)
{
	mod_node_page_state(NODE_DATA(0), NR_KERNEL_STACK_KB, (init_stack_top - init_stack) / 1024);
}

void start_kernel(u64 boot_info_phys)
{
	serial_init();                   /* COM1: from here on printk is visible */
	gdt_init();                      /* our own segments, TSS with a double-fault stack */
	idt_init();                      /* exceptions print an oops, never a silent reset */
	tsc_init();                      /* printk timestamps count from kernel entry */
	setup_boot_info(boot_info_phys); /* validate what the loader handed over */
	print_boot_banner();             /* version, command line, firmware, clock */
	/* The firmware's map -> e820 -> memblock, as setup_arch() (arch/memory_setup.h). */
	setup_arch_memory(boot_info, boot_command_line, NULL, NULL);
	acpi_set_phys_limit(boot_info->direct_map_end); /* ACPI reads stay in the map */
	acpi_init(boot_info->acpi_rsdp);  /* tables, for poweroff and reset */
	prefill_possible_map();          /* the MADT's CPUs, at most NR_CPUS and nr_cpus= */
	tsc_refine_calibration_start();  /* PM timer: the long window to the end of boot */
	init_mem_mapping();              /* own page tables from memblock; the loader's freed */
	setup_per_cpu_areas();           /* a copy of .data..percpu per possible CPU */
	mm_init_after_paging();          /* memmap and zones, then memblock_free_all() -> buddy */
	account_boot_stack();            /* meminfo's KernelStack: this thread's 16 KiB */
	print_unknown_bootoptions(boot_command_line); /* options no table row knows */
	kmem_cache_init();               /* SLUB: kmem_cache bootstrap, kmalloc-8 ... kmalloc-8k */
	init_IRQ();                      /* 8259 PICs at vectors 0x20-0x2f, lines masked */
	time_init();                     /* PIT tick on IRQ 0, HZ times a second */
	serial_irq_init();               /* COM1 input by interrupt (IRQ 4) */
	keyboard_init();                 /* PS/2 keyboard on IRQ 1, keys as terminal bytes */
	screen_init(boot_info);          /* text console on the GOP framebuffer or VGA */
	smp_init();                      /* local APIC + timer, then the other CPUs (INIT-SIPI) */
	tsc_refine_calibration();        /* the TSC's rate over the whole boot, vs PM timer */
	local_irq_enable();              /* interrupts on: the shell sleeps in hlt */
	pr_info("pagelab: boot complete, starting the shell\n");
	shell_run();                     /* never returns */
}
