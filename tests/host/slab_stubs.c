// SPDX-License-Identifier: MIT
/*
 * What mm/slub.c reads from the rest of the kernel, for host builds that do not have it:
 * the tick counter (alloc/free "age" in slub_debug reports) and an empty kallsyms table
 * (callers then print as bare addresses).  Both are weak, so a test that defines its own
 * (tests/unit/test_kallsyms.c has a table) wins.
 */
#include "kernel/kallsyms.h"
#include "kernel/time.h"

__attribute__((weak)) volatile u64 jiffies;
__attribute__((weak)) const u64 kallsyms_num;
__attribute__((weak)) const u64 kallsyms_addresses[1];
__attribute__((weak)) const u32 kallsyms_sizes[1];
__attribute__((weak)) const u32 kallsyms_offsets[1];
__attribute__((weak)) const char kallsyms_names[1];
