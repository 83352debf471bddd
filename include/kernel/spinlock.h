/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks, with Linux's names (include/linux/spinlock.h).
 *
 * A spinlock_t is one word: 0 free, 1 held.  spin_lock() takes it with an atomic
 * exchange and, while another CPU holds it, spins reading it (`pause` between reads,
 * so the sibling hyperthread and the bus are not hammered) before trying again.
 *
 * Which variant to take:
 *   spin_lock()              the lock is never taken from an interrupt handler
 *   spin_lock_irqsave()      it may be: interrupts off on this CPU while it is held,
 *                            or a handler that wants it would spin on its own CPU forever
 *   spin_trylock()           from a context that must not wait (Linux's pcp lock from IRQ)
 */
#ifndef PAGELAB_KERNEL_SPINLOCK_H
#define PAGELAB_KERNEL_SPINLOCK_H

#include "arch/irq.h"
#include "types.h"

typedef struct {
	int locked;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name) { .locked = 0 }
#define DEFINE_SPINLOCK(name) spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

static inline void spin_lock_init(spinlock_t *lock) { __atomic_store_n(&lock->locked, 0, __ATOMIC_RELAXED); }

/* spin_trylock - take @lock if it is free; true if taken. Never waits. */
static inline bool spin_trylock(spinlock_t *lock)
{
	return __atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

/* spin_lock - take @lock, waiting for as long as another CPU holds it. */
static inline void spin_lock(spinlock_t *lock)
{
	while (!spin_trylock(lock))
		while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED))
			__builtin_ia32_pause();
}

/* spin_unlock - let go of @lock, which the caller holds. */
static inline void spin_unlock(spinlock_t *lock) { __atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE); }

/* spin_is_locked - whether anyone holds @lock (for assertions only: racy by nature). */
static inline bool spin_is_locked(spinlock_t *lock) { return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED); }

/* Linux's spin_lock_irqsave(lock, flags) is a macro that assigns flags; so is ours. */
#define spin_lock_irqsave(lock, flags)            \
	do {                                      \
		(flags) = local_irq_save();       \
		spin_lock(lock);                  \
	} while (0)

static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	spin_unlock(lock);
	local_irq_restore(flags);
}

static inline void spin_lock_irq(spinlock_t *lock)
{
	local_irq_disable();
	spin_lock(lock);
}

static inline void spin_unlock_irq(spinlock_t *lock)
{
	spin_unlock(lock);
	local_irq_enable();
}

/* lockdep_assert_held - a caller's promise, checked while the lock word is visible. */
#define lockdep_assert_held(lock) ((void)0)

#endif
