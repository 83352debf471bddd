/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks, with Linux's names (include/linux/spinlock.h).
 *
 * The lock word is 0 free, 1 held.  spin_lock() takes it with an atomic exchange and,
 * while another CPU holds it, spins reading it (`pause` between reads, so the sibling
 * hyperthread and the bus are not hammered) before trying again.
 *
 * Which variant to take:
 *   spin_lock()              the lock is never taken from an interrupt handler
 *   spin_lock_irqsave()      it may be: interrupts off on this CPU while it is held,
 *                            or a handler that wants it would spin on its own CPU forever
 *   spin_trylock()           from a context that must not wait (Linux's pcp lock from IRQ)
 * A lock that only guards per-CPU data against this CPU's own interrupt handlers needs
 * no spinlock at all: that is local_lock_t (kernel/local_lock.h).
 *
 * Debugging (Linux's CONFIG_DEBUG_SPINLOCK, kernel/locking/spinlock_debug.c).  Every
 * lock carries, besides its word, a magic number that only an initialised lock has,
 * the CPU holding it and where it was taken (the caller's address, where Linux keeps
 * the task: pagelab has no tasks).  The owner fields are kept up to date always - two
 * stores into a cache line the lock operation owns already - so that the checks can be
 * switched on at any moment and an oops can say who holds what.  The checks themselves
 * run only with the boot parameter `debug_spinlock` (one load and a branch per lock and
 * unlock otherwise): wrong magic (a lock nobody initialised), this CPU taking a lock it
 * holds, unlocking a lock that is free or held by another CPU, and waiting longer than
 * spin_lockup_ms for one.  Each prints Linux's two lines,
 *
 *   BUG: spinlock cpu recursion on CPU#0, recursion_is_reported+0x72/0x1fc
 *    lock: 0xffffffff80041180, .magic: dead, .owner: recursion_is_reported+0x1b/0x1fc, .owner_cpu: 0
 *
 * and a call trace.  Only the first bug is reported (Linux's debug_locks_off()): the
 * report is what matters, and a second one from the same broken lock could not help.
 */
#ifndef PAGELAB_KERNEL_SPINLOCK_H
#define PAGELAB_KERNEL_SPINLOCK_H

#include "arch/irq.h"
#include "kernel/smp.h"
#include "lib/atomic.h"
#include "types.h"

/*
 * spinlock_t is 4 bytes, as in a production Linux (CONFIG_DEBUG_SPINLOCK off), so that
 * every structure holding one - struct kmem_cache_node, mempool_t, ... - has Linux's
 * size and the slab caches show Linux's numbers.  The debugging state therefore packs
 * into the same word: the owner CPU always (printk needs it to spot nesting), a 16-bit
 * magic, and where the lock was taken kept per CPU beside it (spin_lock_owner_ip()),
 * as lockdep keeps a task's held locks instead of growing every lock.  Linux's debug
 * spinlock has a 32-bit magic of its own, 0xdead4ead; ours is its upper half.
 */
#define SPINLOCK_MAGIC 0xdead

typedef struct {
	u8 locked;
	s8 owner_cpu; /* the CPU holding it, -1 when free */
	u16 magic;    /* SPINLOCK_MAGIC once initialised */
} spinlock_t;

_Static_assert(sizeof(spinlock_t) == 4, "spinlock_t is Linux's 4 bytes");
_Static_assert(NR_CPUS <= 127, "owner_cpu is a signed byte");

#define __SPIN_LOCK_UNLOCKED(name) { .locked = 0, .owner_cpu = -1, .magic = SPINLOCK_MAGIC }
#define DEFINE_SPINLOCK(name) spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

/*
 * The address of this very statement, for "taken at" (Linux's _THIS_IP_).  Read from
 * %rip rather than taken as a label's address (&&label), which gcc is free to place at
 * the start of the function, and at -O2 does.
 */
#ifndef _THIS_IP_
#define _THIS_IP_                                                                \
	({                                                                       \
		unsigned long __here;                                            \
		__asm__ volatile("leaq 0(%%rip), %0" : "=r"(__here));            \
		__here;                                                          \
	})
#endif

/* Set by the boot parameter debug_spinlock (kernel/locking/spinlock_debug.c). */
extern bool debug_spinlock;
/* debug_spinlock_setup - the boot parameter's handler: no value, 1 or on; 0 or off. */
int debug_spinlock_setup(const char *val);
/*
 * Linux's debug_locks: 1 until the first lock bug is reported, then 0, and no more
 * reports.  A test may set it back to 1 after provoking one on purpose.
 */
extern int debug_locks;

/*
 * How long a CPU may wait for a spinlock before it says "lockup suspected" (with
 * debug_spinlock), in milliseconds; 1000 as Linux had it.  Tests shorten it.
 */
extern unsigned int spin_lockup_ms;

/* The out-of-line halves (kernel/locking/spinlock_debug.c); callers use spin_lock() &c. */
void debug_spin_lock_before(spinlock_t *lock, unsigned long ip);
void debug_spin_lock_after(spinlock_t *lock, unsigned long ip);
void debug_spin_unlock(spinlock_t *lock, unsigned long ip);

/*
 * spin_lock_owner_ip - where the CPU holding @lock took it (a text address), or 0 if
 * unknown: the lock is free, or was taken while debug_spinlock was off.  Racy by nature:
 * for reports and tests only.
 */
unsigned long spin_lock_owner_ip(const spinlock_t *lock);
void spin_lock_slowpath(spinlock_t *lock, unsigned long ip);

/*
 * debug_locks_off - turn lock-bug reporting off; true if it was on (so the caller is
 * the one that reports).  Atomic: of two CPUs finding bugs at once, one reports.
 */
static inline bool debug_locks_off(void) { return xchg(&debug_locks, 0) != 0; }

/* spin_lock_init - make @lock a free, initialised lock. */
static inline void spin_lock_init(spinlock_t *lock)
{
	WRITE_ONCE(lock->magic, SPINLOCK_MAGIC);
	WRITE_ONCE(lock->owner_cpu, -1);
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

static __always_inline bool arch_spin_trylock(spinlock_t *lock)
{
	return !READ_ONCE(lock->locked) &&
	       __atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

/*
 * spin_debug - whether the checks run.  A plain load, not READ_ONCE(): the switch changes
 * at boot or in a test between two runs, never while a CPU is inside a lock operation,
 * and a plain load is one compare with memory (cmpb $0, debug_spinlock) where a
 * READ_ONCE() is a load and a test.  On the pcp fast path (a trylock and an unlock on
 * alloc, the same on free) that is 4 instructions per order-0 pair.
 */
static __always_inline bool spin_debug(void) { return unlikely(debug_spinlock); }

/*
 * The lock is ours: say so in it.  _THIS_IP_ only on the debugging branch, where it is
 * used: computed outside it, it would cost an instruction on every lock.
 */
#define spin_acquired(lock, debug)                                       \
	do {                                                             \
		WRITE_ONCE((lock)->owner_cpu, (s8)smp_processor_id());   \
		if (debug)                                               \
			debug_spin_lock_after(lock, _THIS_IP_);          \
	} while (0)

/* spin_trylock - take @lock if it is free; true if taken. Never waits. */
static __always_inline bool spin_trylock(spinlock_t *lock)
{
	if (!arch_spin_trylock(lock))
		return false;
	spin_acquired(lock, spin_debug());
	return true;
}

/*
 * spin_lock - take @lock, waiting for as long as another CPU holds it.  The switch is
 * read once, so the checks before and after the wait agree.
 */
static __always_inline void spin_lock(spinlock_t *lock)
{
	bool debug = spin_debug();

	if (debug)
		debug_spin_lock_before(lock, _THIS_IP_);
	if (unlikely(!arch_spin_trylock(lock)))
		spin_lock_slowpath(lock, _THIS_IP_);
	spin_acquired(lock, debug);
}

/* spin_unlock - let go of @lock, which the caller holds. */
static __always_inline void spin_unlock(spinlock_t *lock)
{
	if (spin_debug())
		debug_spin_unlock(lock, _THIS_IP_);
	WRITE_ONCE(lock->owner_cpu, -1);
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

/* spin_is_locked - whether anyone holds @lock (for assertions only: racy by nature). */
static inline bool spin_is_locked(spinlock_t *lock) { return READ_ONCE(lock->locked); }

/* spin_is_locked_by_me - whether this CPU holds @lock (exact: only this CPU sets that). */
static inline bool spin_is_locked_by_me(spinlock_t *lock)
{
	return READ_ONCE(lock->owner_cpu) == (int)smp_processor_id() && spin_is_locked(lock);
}

/* Linux's spin_lock_irqsave(lock, flags) is a macro that assigns flags; so is ours. */
#define spin_lock_irqsave(lock, flags)            \
	do {                                      \
		(flags) = local_irq_save();       \
		spin_lock(lock);                  \
	} while (0)

/* spin_trylock_irqsave - interrupts off and @lock taken, or neither; true if taken. */
#define spin_trylock_irqsave(lock, flags)                                  \
	({                                                                 \
		bool __taken;                                              \
		(flags) = local_irq_save();                                \
		__taken = spin_trylock(lock);                              \
		if (!__taken)                                              \
			local_irq_restore(flags);                          \
		__taken;                                                   \
	})

static __always_inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	spin_unlock(lock);
	local_irq_restore(flags);
}

static __always_inline void spin_lock_irq(spinlock_t *lock)
{
	local_irq_disable();
	spin_lock(lock);
}

static __always_inline void spin_unlock_irq(spinlock_t *lock)
{
	spin_unlock(lock);
	local_irq_enable();
}

/*
 * lockdep_assert_held - the caller's promise that this CPU holds @lock.  With
 * debug_spinlock a broken one is reported like the other lock bugs, as "BUG: spinlock
 * not held" (pagelab's words: Linux's lockdep prints a WARNING with its own report).
 */
#define lockdep_assert_held(lock)                                                \
	do {                                                                     \
		if (spin_debug())                                                \
			lockdep_assert_held_at(lock, _THIS_IP_);                 \
	} while (0)
void lockdep_assert_held_at(spinlock_t *lock, unsigned long ip);

#endif
