/* SPDX-License-Identifier: MIT */
/* The physical address space as a tree of named ranges, like Linux's /proc/iomem. */
#ifndef PAGELAB_KERNEL_RESOURCE_H
#define PAGELAB_KERNEL_RESOURCE_H

struct seq_file;

/*
 * iomem_show - the kernel's E820 table as /proc/iomem prints it ("System RAM",
 * "Reserved", "ACPI Tables", ...), with the kernel image's code, rodata, data and bss
 * nested inside the RAM range that holds them.
 */
void iomem_show(struct seq_file *m);

#endif
