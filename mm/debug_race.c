// SPDX-License-Identifier: MIT
/*
 * debug_race=: the teaching switch that makes one path of the memory manager skip its
 * lock (include/mm/debug_race.h).  Linux has nothing like it: a kernel built to lose
 * pages on purpose is pagelab's, for a student to watch a race and then put the lock
 * back.  The option is read by kernel/params.c before the allocators start, so the
 * switch never changes while a lock could be held.
 */
#include "kernel/printk.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/debug_race.h"

enum debug_race debug_race;

/* CPUs inside an unlocked path, per lock (hashed: a shared bucket only overcounts). */
#define RACE_BUCKETS 64
static int race_inside[RACE_BUCKETS];
static unsigned long race_collisions;

static int *race_bucket(const void *lock)
{
	return &race_inside[((unsigned long)lock >> 6) % RACE_BUCKETS];
}

void debug_race_enter(const void *lock)
{
	if (__atomic_fetch_add(race_bucket(lock), 1, __ATOMIC_SEQ_CST))
		__atomic_add_fetch(&race_collisions, 1, __ATOMIC_RELAXED);
}

void debug_race_exit(const void *lock)
{
	__atomic_fetch_sub(race_bucket(lock), 1, __ATOMIC_SEQ_CST);
}

unsigned long debug_race_collisions(void)
{
	return __atomic_load_n(&race_collisions, __ATOMIC_RELAXED);
}

static const struct {
	const char *name, *lock, *what;
} races[] = {
	[DEBUG_RACE_ZONE] = { "zone", "zone->lock", "the buddy lists of orders above 3" },
	[DEBUG_RACE_LIST_LOCK] = { "list_lock", "n->list_lock", "SLUB's partial slabs" },
};

int debug_race_setup(const char *val)
{
	for (unsigned int i = DEBUG_RACE_ZONE; i < ARRAY_SIZE(races); i++) {
		if (val && !strcmp(val, races[i].name)) {
			debug_race = i;
			/* As loud as Linux's "trace_printk() is in use" notice: this kernel is unsafe. */
			pr_warn("**********************************************************\n");
			pr_warn("**   NOTICE: debug_race=%s, pagelab's teaching switch   \n", val);
			pr_warn("**   %s is NOT taken for %s:\n", races[i].lock, races[i].what);
			pr_warn("**   pages and objects WILL be lost or handed out twice\n");
			pr_warn("**   when several CPUs allocate (stress --cpus 4).\n");
			pr_warn("**   Never boot this way for anything but the lesson.\n");
			pr_warn("**********************************************************\n");
			return 0;
		}
	}
	pr_warn("debug_race=%s ignored: expected list_lock or zone\n", val ? val : "");
	return -EINVAL;
}

const char *debug_race_name(void)
{
	return debug_race ? races[debug_race].name : NULL;
}

const char *debug_race_lock_name(void)
{
	return debug_race ? races[debug_race].lock : NULL;
}
