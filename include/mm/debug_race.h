/* SPDX-License-Identifier: MIT */
/*
 * debug_race= - pagelab's teaching switch, not a Linux option: boot with one path of
 * the memory manager leaving out its lock, so that `stress --cpus 4` shows what that
 * lock was for (docs/mm/smp.md, "Watching a race").  Never on unless asked for; the boot
 * log says so loudly and `cpus` repeats it.
 *
 *   debug_race=list_lock  SLUB's slow paths change slabs and the partial list without
 *                         n->list_lock (mm/slub.c): objects are lost or handed out
 *                         twice, and `stress --cpus 4` lives to report it
 *   debug_race=zone       rmqueue_buddy() and free_one_page() change the buddy lists
 *                         without zone->lock (mm/page_alloc.c): two CPUs unlink the same
 *                         block and the lists break, so this one ends in an oops or a
 *                         CPU looping in a broken list, which `stress` reports as stuck,
 *                         before any count can be made
 */
#ifndef PAGELAB_MM_DEBUG_RACE_H
#define PAGELAB_MM_DEBUG_RACE_H

#include "types.h"

enum debug_race {
	DEBUG_RACE_NONE,
	DEBUG_RACE_ZONE,
	DEBUG_RACE_LIST_LOCK,
};

extern enum debug_race debug_race;

/* race_unlocked - whether the path guarded by @lock is to run without it (almost never). */
static inline bool race_unlocked(enum debug_race lock)
{
	return __builtin_expect(debug_race == lock, 0);
}

/*
 * debug_race_enter, debug_race_exit - around a path that skips @lock: count the times
 * another CPU was already inside a path that skips the same lock (the race happening).
 */
void debug_race_enter(const void *lock);
void debug_race_exit(const void *lock);

/* debug_race_collisions - how many times debug_race_enter() found another CPU inside. */
unsigned long debug_race_collisions(void);

/* debug_race_setup - the debug_race= option (kernel/params.c): 0, or -EINVAL. */
int debug_race_setup(const char *val);

/* debug_race_name - the switch's value as typed ("zone" ...), or NULL when it is off. */
const char *debug_race_name(void);

/* debug_race_lock_name - the lock the switch leaves out ("zone->lock" ...), or NULL. */
const char *debug_race_lock_name(void);

#endif
