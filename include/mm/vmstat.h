/* Printers for the /proc files about zones, used by the shell and the host tests. */
#ifndef PAGELAB_MM_VMSTAT_H
#define PAGELAB_MM_VMSTAT_H

struct seq_file;
struct page;

/* zoneinfo_show - /proc/zoneinfo: per zone free pages, watermarks, spans, start_pfn. */
void zoneinfo_show(struct seq_file *m);

/* buddyinfo_show - /proc/buddyinfo: free blocks per order, per populated zone. */
void buddyinfo_show(struct seq_file *m);

/*
 * dump_page - describe @page as Linux's dump_page() does (refcount, mapcount, pfn, flags
 * by name, the raw words), then say in plain words who owns it (mm/debug.c).
 */
void dump_page(struct seq_file *m, const struct page *page);

#endif
