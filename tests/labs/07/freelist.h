/* SPDX-License-Identifier: MIT */
/*
 * Reading a SLUB freelist the way the checks of lab 7 need to, shared by the host
 * checks (host.c) and `selftest lab7` (selftest.c).  The links are decoded here rather
 * than with the kernel's get_freepointer(), so that the checks read what the student's
 * code wrote, through code the student does not touch.
 */
#ifndef PAGELAB_LAB07_FREELIST_H
#define PAGELAB_LAB07_FREELIST_H
#include "mm/slub_def.h"

/* The free object after @object: the hardened link, stored at s->offset, decoded. */
static inline void *next_free(struct kmem_cache *s, void *object)
{
	unsigned long where = (unsigned long)object + s->offset;

	return (void *)(*(unsigned long *)where ^ s->random ^ __builtin_bswap64(where));
}

/* Objects on a freelist from @head, at most @limit + 1 (a longer one loops). */
static inline unsigned int freelist_length(struct kmem_cache *s, void *head, unsigned int limit)
{
	unsigned int n = 0;

	for (void *p = head; p && n <= limit; p = next_free(s, p))
		n++;
	return n;
}

/* Whether @object is among the first @limit + 1 objects of the freelist from @head. */
static inline bool on_freelist(struct kmem_cache *s, void *head, void *object, unsigned int limit)
{
	unsigned int n = 0;

	for (void *p = head; p && n <= limit; p = next_free(s, p), n++)
		if (p == object)
			return true;
	return false;
}
#endif
