// SPDX-License-Identifier: MIT
/*
 * The kernel's locks and atomics under ThreadSanitizer (`make check-tsan`): four
 * pthreads play four CPUs and hammer spin_lock, spin_trylock, spin_lock_irqsave,
 * local_trylock and the atomics from include/kernel/spinlock.h, kernel/local_lock.h,
 * lib/atomic.h and kernel/locking/spinlock_debug.c, compiled unchanged with
 * -fsanitize=thread.  Each check is exact: a counter guarded by a lock is a plain int,
 * so a lock that let two threads in would lose increments (and TSan would report the
 * race on it); one that gave no happens-before edge from unlock to lock would be
 * reported by TSan even when the count came out right.
 *
 * A plain program printing TAP, not Criterion: Criterion forks and runs its own
 * threads, which TSan would have to follow too, for nothing.  Exit status: 0 when every
 * check passed; TSan's 66 (see the Makefile) if it reported anything.
 *
 * Each thread is a CPU to smp_processor_id() too (tests/host/smp.c's per-thread
 * host_cpu_id), so spin_lock runs once more with debug_spinlock on: the owner fields
 * are then read by the waiters while the holder writes them, and no check may fire.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "arch/cpu.h"
#include "arch/irq.h"
#include "arch/smp.h"
#include "kernel/local_lock.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "lib/atomic.h"
#include "tap.h"

#define THREADS 4
#define ROUNDS 20000 /* per thread and check; TSan makes each lock operation ~10x slower */

/* What spinlock_debug.c needs besides itself.  A report would be a failure here. */
u64 tsc_khz;
static atomic_t reports;

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	atomic_inc(&reports);
	va_start(ap, fmt);
	n = vfprintf(stderr, fmt, ap);
	va_end(ap);
	return n;
}

void dump_stack(void)
{
}


/* Run @fn on THREADS threads at once, each with its number; they start together. */
static atomic_t start_line;

struct worker {
	pthread_t thread;
	int id;
	void (*fn)(int id);
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	host_cpu_id = w->id;
	atomic_inc(&start_line);
	while (atomic_read(&start_line) < THREADS)
		cpu_relax();
	w->fn(w->id);
	return NULL;
}

static void run_threads(void (*fn)(int id))
{
	struct worker w[THREADS];

	atomic_set(&start_line, 0);
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .id = i, .fn = fn };
		if (pthread_create(&w[i].thread, NULL, worker_main, &w[i])) {
			perror("pthread_create");
			exit(2);
		}
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(w[i].thread, NULL);
}

/* Guarded by `lock`: plain variables on purpose. */
static DEFINE_SPINLOCK(lock);
static long counter;
static int inside, overlaps, irqs_were_on;

static void critical_section(void)
{
	if (inside++)
		overlaps++;
	counter++;
	inside--;
}

static void hammer_spin_lock(int id)
{
	(void)id;
	for (int i = 0; i < ROUNDS; i++) {
		spin_lock(&lock);
		critical_section();
		spin_unlock(&lock);
	}
}

static void hammer_spin_trylock(int id)
{
	(void)id;
	for (int done = 0; done < ROUNDS;) {
		if (!spin_trylock(&lock)) {
			cpu_relax();
			continue;
		}
		critical_section();
		spin_unlock(&lock);
		done++;
	}
}

static void hammer_spin_lock_irqsave(int id)
{
	(void)id;
	for (int i = 0; i < ROUNDS; i++) {
		unsigned long flags;

		spin_lock_irqsave(&lock, flags);
		if (!irqs_disabled())
			irqs_were_on++;
		critical_section();
		spin_unlock_irqrestore(&lock, flags);
		if (irqs_disabled()) /* this thread's flag, back as it was: on */
			__atomic_fetch_add(&irqs_were_on, 1000000, __ATOMIC_RELAXED);
	}
}

static void check_lock(const char *name, void (*fn)(int id))
{
	counter = overlaps = irqs_were_on = 0;
	run_threads(fn);
	tap(counter == (long)THREADS * ROUNDS && !overlaps && !irqs_were_on && !spin_is_locked(&lock),
	    "%s: %d threads x %d, counter %ld (want %ld), %d overlaps, interrupts wrong %d times",
	    name, THREADS, ROUNDS, counter, (long)THREADS * ROUNDS, overlaps, irqs_were_on);
}

/*
 * Per-CPU data under a local_trylock_t: each thread ("CPU") has its own lock and its
 * own counter, so nothing is shared and nothing needs an atomic - TSan checks that
 * claim.  An "interrupt" that arrives while its CPU is inside (the nested trylock)
 * must fail and leave the count alone.
 */
static struct {
	local_trylock_t lock;
	long count;
	long refused;
} percpu[THREADS];

static void hammer_local_trylock(int id)
{
	for (int i = 0; i < ROUNDS; i++) {
		unsigned long flags, inner;

		if (!local_trylock_irqsave(&percpu[id].lock, flags))
			continue;
		percpu[id].count++;
		if (!local_trylock_irqsave(&percpu[id].lock, inner))
			percpu[id].refused++;
		else
			percpu[id].count = -1000000; /* would be a nested entry: a bug */
		local_unlock_irqrestore(&percpu[id].lock, flags);
	}
}

static void check_local_trylock(void)
{
	bool ok = true;

	for (int i = 0; i < THREADS; i++)
		local_trylock_init(&percpu[i].lock);
	run_threads(hammer_local_trylock);
	for (int i = 0; i < THREADS; i++)
		ok &= percpu[i].count == ROUNDS && percpu[i].refused == ROUNDS &&
		      !local_lock_is_locked(&percpu[i].lock);
	tap(ok, "local_trylock_irqsave: %d CPUs x %d entries, each nested trylock refused",
	    THREADS, ROUNDS);
}

/* Atomics: every kind of increment, from every thread at once, counted exactly. */
static atomic_t a_inc, a_ret;
static atomic_long_t a_long;
static long plain_cmpxchg, plain_try;
static atomic_t seen_max;

static void hammer_atomics(int id)
{
	(void)id;
	for (int i = 0; i < ROUNDS; i++) {
		long old;
		int r;

		atomic_inc(&a_inc);
		r = atomic_add_return(2, &a_ret);
		atomic_long_add(1L << 33, &a_long);
		/* cmpxchg on a plain word: retry until our read was the current value */
		do
			old = READ_ONCE(plain_cmpxchg);
		while (cmpxchg(&plain_cmpxchg, old, old + 1) != old);
		/* try_cmpxchg: a failed attempt refreshes old, no extra load */
		old = READ_ONCE(plain_try);
		while (!try_cmpxchg(&plain_try, &old, old + 3))
			;
		/* the largest return value seen, kept with atomic_try_cmpxchg on an atomic_t */
		{
			int cur = atomic_read(&seen_max);

			while (cur < r && !atomic_try_cmpxchg(&seen_max, &cur, r))
				;
		}
	}
}

static void check_atomics(void)
{
	long n = (long)THREADS * ROUNDS;

	run_threads(hammer_atomics);
	tap(atomic_read(&a_inc) == n, "atomic_inc: %d (want %ld)", atomic_read(&a_inc), n);
	tap(atomic_read(&a_ret) == 2 * n && atomic_read(&seen_max) == 2 * n,
	    "atomic_add_return: %d, largest return %d (want %ld: the last adder sees the total)",
	    atomic_read(&a_ret), atomic_read(&seen_max), 2 * n);
	tap(atomic_long_read(&a_long) == n << 33, "atomic_long_add of 2^33: %ld (want %ld)",
	    atomic_long_read(&a_long), n << 33);
	tap(plain_cmpxchg == n, "cmpxchg loop on a plain long: %ld (want %ld)", plain_cmpxchg, n);
	tap(plain_try == 3 * n, "try_cmpxchg loop on a plain long: %ld (want %ld)", plain_try, 3 * n);
}

/*
 * Message passing: the payload is a plain array, published by smp_store_release and
 * taken by smp_load_acquire.  Without those two, TSan reports the payload as a race.
 * The readers hand it back the same way (a fully ordered atomic_inc_return, read with
 * smp_load_acquire) before the writer overwrites it: a relaxed atomic_inc there would
 * be a race on the payload too, in C's memory model if not on x86.
 */
#define MP_ROUNDS 200
static int payload[64];
static int published;
static atomic_t readers_done, mp_errors;

static void message_passing(int id)
{
	for (int round = 1; round <= MP_ROUNDS; round++) {
		if (id == 0) {
			while (smp_load_acquire(&readers_done.counter) < (round - 1) * (THREADS - 1))
				cpu_relax();
			for (int i = 0; i < 64; i++)
				payload[i] = round * 64 + i;
			smp_store_release(&published, round);
			continue;
		}
		while (smp_load_acquire(&published) < round)
			cpu_relax();
		for (int i = 0; i < 64; i++)
			if (payload[i] != round * 64 + i)
				atomic_inc(&mp_errors);
		atomic_inc_return(&readers_done);
	}
}

static void check_message_passing(void)
{
	run_threads(message_passing);
	tap(!atomic_read(&mp_errors) && atomic_read(&readers_done) == MP_ROUNDS * (THREADS - 1),
	    "smp_store_release/smp_load_acquire: %d rounds to %d readers, %d stale reads",
	    MP_ROUNDS, THREADS - 1, atomic_read(&mp_errors));
}

int main(void)
{
	printf("TAP version 13\n1..13\n");
	check_lock("spin_lock", hammer_spin_lock);
	check_lock("spin_trylock", hammer_spin_trylock);
	check_lock("spin_lock_irqsave", hammer_spin_lock_irqsave);
	/* A host thread can be descheduled for long: only a real lockup may be reported. */
	spin_lockup_ms = 10000;
	debug_spinlock = true;
	check_lock("spin_lock, debug_spinlock", hammer_spin_lock);
	check_lock("spin_lock_irqsave, debug_spinlock", hammer_spin_lock_irqsave);
	debug_spinlock = false;
	check_local_trylock();
	check_atomics();
	check_message_passing();
	tap(!atomic_read(&reports), "no lock bug reported (%d printk calls)", atomic_read(&reports));
	return tap_failed ? 1 : 0;
}
