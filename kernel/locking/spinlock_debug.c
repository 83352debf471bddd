// SPDX-License-Identifier: MIT
/*
 * Spinlock debugging, Linux's CONFIG_DEBUG_SPINLOCK at run time: the checks that
 * include/kernel/spinlock.h calls when the boot parameter debug_spinlock is given,
 * the contended half of spin_lock(), and the reports.
 *
 * A report is Linux's (kernel/locking/spinlock_debug.c, spin_dump()): what went wrong
 * and on which CPU, then the lock's name, magic, owner and owner CPU, then a call
 * trace.  Where Linux names the current task ("swapper/0/1") and the owner task,
 * pagelab, which has no tasks, gives the address of the lock operation that found the
 * bug and of the one that took the lock, both as %pS.
 *
 * A report never stops the machine and never waits: the first one turns reporting off
 * (debug_locks_off(), as Linux), so a report about the console's own lock, or a broken
 * lock taken a million times, prints once.  Then the operation carries on as Linux
 * does - a recursive spin_lock() spins for ever, as it would have without the check,
 * but the log says why.
 *
 * "lockup suspected": a CPU that waits spin_lockup_ms for one lock says so once, with
 * the holder's CPU and where it took the lock, and goes on waiting.  Linux printed
 * exactly that line from this file until 4.11, which removed the check (a fair queued
 * lock can be waited for that long without anything being wrong, and the check itself
 * livelocked); since then, and in 6.18, the watchdogs catch a stuck CPU instead: the
 * soft-lockup detector ("watchdog: BUG: soft lockup - CPU#1 stuck for 22s!") from a
 * timer, the hard-lockup detector ("Watchdog detected hard LOCKUP on cpu 1") from the
 * NMI watchdog when interrupts are off.  pagelab has neither watchdog, so it keeps the
 * old check, which needs nothing but the TSC.
 *
 * Runs in the kernel and on the host (the unit and ThreadSanitizer tests build it).
 */
#include "arch/cpu.h"
#include "arch/setup.h"
#include "kernel/local_lock.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "lib/string.h"

bool debug_spinlock;
int debug_locks = 1;
unsigned int spin_lockup_ms = 1000;

/* The boot parameter: `debug_spinlock` alone (or =1, =on) switches the checks on. */
int debug_spinlock_setup(const char *val)
{
	if (val && strcmp(val, "1") && strcmp(val, "on") && strcmp(val, "0") && strcmp(val, "off"))
		return -1;
	WRITE_ONCE(debug_spinlock, !val || !strcmp(val, "1") || !strcmp(val, "on"));
	return 0;
}

/*
 * Where each CPU took the locks it holds, innermost last: spinlock_t has no room for it
 * (include/kernel/spinlock.h).  Only the CPU itself writes its row; reports on other
 * CPUs read it racily, which is good enough for "who took it, where".  Locks nested
 * deeper than SPIN_HELD_MAX are not recorded (their reports say <none>).
 */
#define SPIN_HELD_MAX 8
static struct held_spinlock {
	const spinlock_t *lock;
	unsigned long ip;
} held_spinlocks[NR_CPUS][SPIN_HELD_MAX];
static unsigned int nr_held_spinlocks[NR_CPUS];

void debug_spin_lock_after(spinlock_t *lock, unsigned long ip)
{
	unsigned int cpu = smp_processor_id(), n = 0;

	/*
	 * Keep only the entries of locks this CPU still holds: one let go while
	 * debug_spinlock was off (a test switching it) left its entry behind.
	 */
	for (unsigned int i = 0; i < READ_ONCE(nr_held_spinlocks[cpu]); i++) {
		const spinlock_t *l = READ_ONCE(held_spinlocks[cpu][i].lock);

		if (l == lock || !spin_is_locked((spinlock_t *)l) ||
		    READ_ONCE(l->owner_cpu) != (int)cpu)
			continue;
		WRITE_ONCE(held_spinlocks[cpu][n].lock, l);
		WRITE_ONCE(held_spinlocks[cpu][n].ip, READ_ONCE(held_spinlocks[cpu][i].ip));
		n++;
	}
	if (n < SPIN_HELD_MAX) {
		WRITE_ONCE(held_spinlocks[cpu][n].lock, lock);
		WRITE_ONCE(held_spinlocks[cpu][n].ip, ip);
		n++;
	}
	WRITE_ONCE(nr_held_spinlocks[cpu], n);
}

/* Forget @lock in this CPU's row (locks need not be released in the order taken). */
static void spin_forget_held(const spinlock_t *lock)
{
	unsigned int cpu = smp_processor_id(), n = READ_ONCE(nr_held_spinlocks[cpu]);

	for (unsigned int i = n; i-- > 0;) {
		if (READ_ONCE(held_spinlocks[cpu][i].lock) != lock)
			continue;
		WRITE_ONCE(held_spinlocks[cpu][i].lock, READ_ONCE(held_spinlocks[cpu][n - 1].lock));
		WRITE_ONCE(held_spinlocks[cpu][i].ip, READ_ONCE(held_spinlocks[cpu][n - 1].ip));
		WRITE_ONCE(nr_held_spinlocks[cpu], n - 1);
		return;
	}
}

unsigned long spin_lock_owner_ip(const spinlock_t *lock)
{
	int cpu = READ_ONCE(lock->owner_cpu);

	if (cpu < 0 || cpu >= NR_CPUS || !spin_is_locked((spinlock_t *)lock))
		return 0;
	for (unsigned int i = 0; i < READ_ONCE(nr_held_spinlocks[cpu]) && i < SPIN_HELD_MAX; i++)
		if (READ_ONCE(held_spinlocks[cpu][i].lock) == lock)
			return READ_ONCE(held_spinlocks[cpu][i].ip);
	return 0;
}

/* Linux's spin_dump(): the two lines and the call trace. */
static void spin_dump(spinlock_t *lock, const char *msg, unsigned long ip)
{
	unsigned long owner = spin_lock_owner_ip(lock);

	printk(KERN_EMERG "BUG: spinlock %s on CPU#%u, %pS\n", msg, smp_processor_id(), (void *)ip);
	if (owner)
		printk(KERN_EMERG " lock: %pS, .magic: %04x, .owner: %pS, .owner_cpu: %d\n", lock,
		       READ_ONCE(lock->magic), (void *)owner, READ_ONCE(lock->owner_cpu));
	else
		printk(KERN_EMERG " lock: %pS, .magic: %04x, .owner: <none>, .owner_cpu: %d\n",
		       lock, READ_ONCE(lock->magic), READ_ONCE(lock->owner_cpu));
	dump_stack();
}

static void spin_bug(spinlock_t *lock, const char *msg, unsigned long ip)
{
	if (debug_locks_off())
		spin_dump(lock, msg, ip);
}

void debug_spin_lock_before(spinlock_t *lock, unsigned long ip)
{
	if (READ_ONCE(lock->magic) != SPINLOCK_MAGIC)
		spin_bug(lock, "bad magic", ip);
	else if (READ_ONCE(lock->owner_cpu) == (int)smp_processor_id() && spin_is_locked(lock))
		spin_bug(lock, "cpu recursion", ip);
}

void debug_spin_unlock(spinlock_t *lock, unsigned long ip)
{
	if (READ_ONCE(lock->magic) != SPINLOCK_MAGIC)
		spin_bug(lock, "bad magic", ip);
	else if (!spin_is_locked(lock))
		spin_bug(lock, "already unlocked", ip);
	else if (READ_ONCE(lock->owner_cpu) != (int)smp_processor_id())
		spin_bug(lock, "wrong CPU", ip);
	spin_forget_held(lock);
}

void lockdep_assert_held_at(spinlock_t *lock, unsigned long ip)
{
	if (!spin_is_locked_by_me(lock))
		spin_bug(lock, "not held", ip);
}

void local_lock_bug(const void *lock, const char *msg, unsigned long ip)
{
	if (!debug_locks_off())
		return;
	printk(KERN_EMERG "BUG: local_lock %s on CPU#%u, %pS\n", msg, smp_processor_id(),
	       (void *)ip);
	printk(KERN_EMERG " lock: %pS\n", lock);
	dump_stack();
}

/* TSC cycles in spin_lockup_ms; before calibration (and on the host) as at 1 GHz. */
static u64 lockup_cycles(void)
{
	u64 khz = READ_ONCE(tsc_khz);

	return (u64)READ_ONCE(spin_lockup_ms) * (khz ? khz : 1000000);
}

/*
 * The holder of @lock panicked: it halted holding the lock, and waiting would never end.
 * Said once (debug_locks_off), then an oops, on every CPU that comes here: on the shell's
 * CPU the command ends and the prompt comes back; elsewhere that CPU stops too.  A hang
 * without a word is the one outcome a student can learn nothing from.
 */
static noinline void spin_owner_panicked(spinlock_t *lock, unsigned long ip)
{
	spin_bug(lock, "held by a CPU that panicked", ip);
	__asm__ volatile("ud2"); /* Linux's BUG(): an invalid-opcode oops */
	__builtin_unreachable();
}

/*
 * spin_lock_slowpath - wait for @lock, which another CPU holds, and take it.  Reading
 * the word until it looks free, and only then trying the exchange, keeps the cache
 * line shared while waiting instead of bouncing it between the waiters.  A holder that
 * panicked never lets go: that wait ends in spin_owner_panicked()'s oops instead.
 */
void spin_lock_slowpath(spinlock_t *lock, unsigned long ip)
{
	bool watch = READ_ONCE(debug_spinlock);
	u64 start = watch ? rdtsc() : 0, limit = watch ? lockup_cycles() : 0;

	while (!arch_spin_trylock(lock)) {
		int owner = READ_ONCE(lock->owner_cpu);

		if (unlikely(owner >= 0 && cpu_panicked((unsigned int)owner)) &&
		    spin_is_locked(lock) && READ_ONCE(lock->owner_cpu) == owner)
			spin_owner_panicked(lock, ip);
		cpu_relax();
		if (watch && rdtsc() - start > limit) {
			spin_bug(lock, "lockup suspected", ip);
			watch = false; /* once per wait; then wait as long as it takes */
		}
	}
}
