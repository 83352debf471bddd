/* SPDX-License-Identifier: MIT */
/*
 * Local locks, with Linux 6.18's names and its !PREEMPT_RT meaning
 * (include/linux/local_lock.h, local_lock_internal.h).
 *
 * A local lock protects data that belongs to one CPU - a per-cpu page list, a SLUB
 * per-cpu sheaf - against the only other code that can touch it: this CPU's own
 * interrupt handlers (other CPUs have their own copy and never look at this one).  So
 * "taking" it is turning interrupts off on this CPU: no atomic instruction, no shared
 * cache line, nothing to wait for.  The lock variable is still there, one per CPU, so
 * that a reader sees which lock guards which data and so that a trylock can ask
 * "is this CPU already inside?".
 *
 *   local_lock_t      local_lock_irqsave(l, flags) / local_unlock_irqrestore(l, flags)
 *                     (and local_lock_irq / local_unlock_irq when interrupts are known on).
 *                     For data that interrupt handlers also touch, and code that never
 *                     needs to back off.
 *   local_trylock_t   the same, plus local_trylock(l) and local_trylock_irqsave(l, flags),
 *                     which fail instead of entering when this CPU is already inside.
 *                     For data reached from a context that may have interrupted its own
 *                     CPU's holder: an NMI, or an interrupt handler when the holder used
 *                     local_lock() without turning interrupts off.  Linux 6.18's SLUB
 *                     sheaves (kmalloc_nolock) and BPF use it that way: the interrupting
 *                     allocation fails its trylock and takes the slow path.
 *   local_lock / local_unlock   only marks the section (Linux: preemption off; pagelab
 *                     never preempts, so nothing else): interrupt handlers stay on and
 *                     must use local_trylock on the same lock.
 *
 * Unlike Linux, @lock is this CPU's instance itself (&pcp[smp_processor_id()].lock),
 * not a per-cpu pointer that the macro turns into this_cpu_ptr(): pagelab's per-cpu
 * areas are arrays indexed by CPU number until the per-cpu infrastructure lands.
 *
 * A local_trylock_t remembers whether this CPU is inside (`acquired`, as in Linux);
 * local_lock_t carries the same byte only to catch bugs: with debug_spinlock, entering
 * a local lock this CPU is already inside, or leaving one it is not in, is reported
 * as "BUG: local_lock recursion" / "BUG: local_lock not held" (pagelab's words: Linux
 * reports these through lockdep).
 */
#ifndef PAGELAB_KERNEL_LOCAL_LOCK_H
#define PAGELAB_KERNEL_LOCAL_LOCK_H

#include "arch/irq.h"
#include "kernel/spinlock.h"
#include "lib/atomic.h"
#include "types.h"

typedef struct {
	u8 acquired; /* this CPU is inside: only checked with debug_spinlock */
} local_lock_t;

typedef struct {
	u8 acquired; /* this CPU is inside: a local_trylock now fails */
} local_trylock_t;

#define INIT_LOCAL_LOCK(lockname) { .acquired = 0 }
#define INIT_LOCAL_TRYLOCK(lockname) { .acquired = 0 }

/* local_lock_init - a free local lock (either kind). */
#define local_lock_init(lock) WRITE_ONCE((lock)->acquired, 0)
#define local_trylock_init(lock) WRITE_ONCE((lock)->acquired, 0)

/* Reports for the debug checks (kernel/locking/spinlock_debug.c). */
void local_lock_bug(const void *lock, const char *msg, unsigned long ip);

/*
 * Mark @lock entered.  A local_trylock_t must be free (a local_lock on it while this
 * CPU is inside is a deadlock-class bug, as in Linux's lockdep_assert); a local_lock_t
 * is checked only with debug_spinlock.
 */
#define __local_lock_acquire(lock, ip)                                                   \
	do {                                                                             \
		__auto_type __l = (lock);                                                \
		if (unlikely(spin_debug() && READ_ONCE(__l->acquired)))                  \
			local_lock_bug(__l, "recursion", ip);                            \
		WRITE_ONCE(__l->acquired, 1);                                            \
	} while (0)

#define __local_lock_release(lock, ip)                                                   \
	do {                                                                             \
		__auto_type __l = (lock);                                                \
		if (unlikely(spin_debug() && !READ_ONCE(__l->acquired)))                 \
			local_lock_bug(__l, "not held", ip);                             \
		WRITE_ONCE(__l->acquired, 0);                                            \
	} while (0)

/* local_lock - enter @lock; interrupts stay as they are (see above). */
#define local_lock(lock) __local_lock_acquire(lock, _THIS_IP_)
#define local_unlock(lock) __local_lock_release(lock, _THIS_IP_)

/* local_lock_irq - interrupts off, enter @lock; local_unlock_irq turns them back on. */
#define local_lock_irq(lock)                                                             \
	do {                                                                             \
		local_irq_disable();                                                     \
		__local_lock_acquire(lock, _THIS_IP_);                                   \
	} while (0)
#define local_unlock_irq(lock)                                                           \
	do {                                                                             \
		__local_lock_release(lock, _THIS_IP_);                                   \
		local_irq_enable();                                                      \
	} while (0)

/* local_lock_irqsave - interrupts off (their state saved in @flags), enter @lock. */
#define local_lock_irqsave(lock, flags)                                                  \
	do {                                                                             \
		(flags) = local_irq_save();                                              \
		__local_lock_acquire(lock, _THIS_IP_);                                   \
	} while (0)

/* local_unlock_irqrestore - leave @lock, interrupts back as @flags says. */
#define local_unlock_irqrestore(lock, flags)                                             \
	do {                                                                             \
		__local_lock_release(lock, _THIS_IP_);                                   \
		local_irq_restore(flags);                                                \
	} while (0)

/*
 * local_trylock - enter @lock (a local_trylock_t) unless this CPU is already inside;
 * true if entered.  Interrupts stay as they are.  Never waits.
 */
#define local_trylock(lock)                                                              \
	({                                                                               \
		local_trylock_t *__tl = (lock);                                          \
		bool __in = !READ_ONCE(__tl->acquired);                                  \
		if (__in)                                                                \
			WRITE_ONCE(__tl->acquired, 1);                                   \
		__in;                                                                    \
	})

/*
 * local_trylock_irqsave - interrupts off and @lock entered, or, when this CPU is
 * already inside, neither (interrupts as they were); true if entered.
 */
#define local_trylock_irqsave(lock, flags)                                               \
	({                                                                               \
		local_trylock_t *__tl = (lock);                                          \
		bool __in;                                                               \
		(flags) = local_irq_save();                                              \
		__in = !READ_ONCE(__tl->acquired);                                       \
		if (__in)                                                                \
			WRITE_ONCE(__tl->acquired, 1);                                   \
		else                                                                     \
			local_irq_restore(flags);                                        \
		__in;                                                                    \
	})

/* local_lock_is_locked - whether this CPU is inside @lock (a local_trylock_t). */
#define local_lock_is_locked(lock) ((bool)READ_ONCE((lock)->acquired))

#endif
