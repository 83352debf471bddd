// SPDX-License-Identifier: MIT
/*
 * Spinlock debugging (kernel/locking/spinlock_debug.c) and the local locks, on the
 * host: each lock bug provoked once with debug_spinlock on, and the report read back
 * from the host printk's buffer.  "lockup suspected" needs a second CPU holding the
 * lock: a thread plays CPU 1 (the host's CPU number is per thread, host_cpu_id).
 * Criterion runs each test in a process of its own, so each starts with reporting
 * armed (debug_locks = 1) on CPU 0.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "arch/cpu.h"
#include "arch/irq.h"
#include "host/printk_capture.h"
#include "arch/smp.h"
#include "kernel/console.h"
#include "kernel/local_lock.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "lib/atomic.h"

static DEFINE_SPINLOCK(lock);

static void debug_on(void)
{
	debug_spinlock = true;
	host_printk_reset();
}

/* How often @needle occurs in what was logged. */
static int logged(const char *needle)
{
	int n = 0;

	for (const char *p = host_printk_buf; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

TestSuite(spinlock_debug, .init = debug_on);

Test(spinlock_debug, cpu_recursion_is_reported_with_the_lock_line)
{
	spin_lock(&lock);
	/* What spin_lock(&lock) checks before it would spin for ever. */
	debug_spin_lock_before(&lock, _THIS_IP_);
	cr_assert_eq(logged("BUG: spinlock cpu recursion on CPU#0, "), 1, "%s", host_printk_buf);
	cr_assert_eq(logged(", .magic: dead, .owner: "), 1, "%s", host_printk_buf);
	cr_assert_eq(logged(", .owner_cpu: 0\n"), 1, "%s", host_printk_buf);
	cr_assert_eq(debug_locks, 0);
	spin_unlock(&lock);
}

/* The caller's address ends the BUG line: the host can name the function. */
Test(spinlock_debug, the_report_names_the_caller)
{
	spin_lock(&lock);
	debug_spin_lock_before(&lock, _THIS_IP_);
	spin_unlock(&lock);
	cr_assert(strstr(host_symbolize_callers(host_printk_buf), "BUG: spinlock cpu recursion on CPU#0, "
			 "spinlock_debug_the_report_names_the_caller"),
		  "%s", host_symbolize_callers(host_printk_buf));
}

Test(spinlock_debug, unlock_of_a_free_lock_is_reported)
{
	spin_unlock(&lock);
	cr_assert_eq(logged("BUG: spinlock already unlocked on CPU#0, "), 1, "%s", host_printk_buf);
	cr_assert_eq(logged(".owner: <none>, .owner_cpu: -1\n"), 1, "%s", host_printk_buf);
	cr_assert(!spin_is_locked(&lock));
}

Test(spinlock_debug, unlock_by_another_cpu_is_reported)
{
	host_cpu_id = 1;
	spin_lock(&lock);
	host_cpu_id = 0; /* taken by CPU 1, let go by CPU 0 */
	spin_unlock(&lock);
	cr_assert_eq(logged("BUG: spinlock wrong CPU on CPU#0, "), 1, "%s", host_printk_buf);
	cr_assert_eq(logged(".owner_cpu: 1\n"), 1, "%s", host_printk_buf);
	cr_assert(!spin_is_locked(&lock), "a report never keeps the lock");
}

Test(spinlock_debug, an_uninitialised_lock_has_bad_magic)
{
	static spinlock_t zeroed; /* what kzalloc() without spin_lock_init() gives */

	spin_lock(&zeroed);
	cr_assert(spin_is_locked(&zeroed), "carried on and took it");
	spin_unlock(&zeroed);
	cr_assert_eq(logged("BUG: spinlock bad magic on CPU#0, "), 1, "%s", host_printk_buf);
	cr_assert_eq(logged(", .magic: 0000, "), 1, "%s", host_printk_buf);
}

Test(spinlock_debug, only_the_first_bug_is_reported)
{
	spin_unlock(&lock);
	spin_unlock(&lock);
	spin_lock(&lock);
	debug_spin_lock_before(&lock, _THIS_IP_);
	spin_unlock(&lock);
	cr_assert_eq(logged("BUG: spinlock"), 1, "%s", host_printk_buf);
	debug_locks = 1; /* re-armed, as a test that provoked one on purpose may */
	spin_unlock(&lock);
	cr_assert_eq(logged("BUG: spinlock already unlocked"), 2, "%s", host_printk_buf);
}

Test(spinlock_debug, nothing_is_checked_without_debug_spinlock)
{
	static spinlock_t zeroed;

	debug_spinlock = false;
	spin_unlock(&lock);
	spin_lock(&zeroed);
	spin_unlock(&zeroed);
	cr_assert_str_eq(host_printk_buf, "");
	cr_assert_eq(debug_locks, 1);
}

Test(spinlock_debug, lockdep_assert_held_is_checked)
{
	lockdep_assert_held(&lock);
	cr_assert_eq(logged("BUG: spinlock not held on CPU#0, "), 1, "%s", host_printk_buf);
	debug_locks = 1;
	spin_lock(&lock);
	lockdep_assert_held(&lock);
	spin_unlock(&lock);
	cr_assert_eq(logged("BUG: spinlock"), 1, "%s", host_printk_buf);
}

/* The holder: CPU 1 takes the lock and holds it until told to let go. */
static struct {
	int held, release;
} holder;

static void *hold_lock(void *arg)
{
	(void)arg;
	host_cpu_id = 1;
	spin_lock(&lock);
	smp_store_release(&holder.held, 1);
	while (!smp_load_acquire(&holder.release))
		cpu_relax();
	spin_unlock(&lock);
	return NULL;
}

static u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

static void *release_later(void *arg)
{
	u64 until = now_ms() + *(unsigned int *)arg;

	while (now_ms() < until)
		cpu_relax();
	smp_store_release(&holder.release, 1);
	return NULL;
}

/*
 * A CPU waiting spin_lockup_ms for a lock says so once, naming the holder's CPU, and
 * goes on waiting: it gets the lock when the holder lets go.
 */
Test(spinlock_debug, a_long_wait_is_reported_once_and_then_succeeds)
{
	pthread_t h, r;
	unsigned int hold_ms = 400;

	spin_lockup_ms = 20; /* TSC cycles as at 1 GHz on the host: 20 ms or less */
	cr_assert_eq(pthread_create(&h, NULL, hold_lock, NULL), 0);
	while (!smp_load_acquire(&holder.held))
		cpu_relax();
	cr_assert_eq(pthread_create(&r, NULL, release_later, &hold_ms), 0);
	spin_lock(&lock);
	cr_assert(READ_ONCE(holder.release), "got the lock before the holder let go");
	cr_assert_eq(lock.owner_cpu, 0);
	spin_unlock(&lock);
	pthread_join(h, NULL);
	pthread_join(r, NULL);
	cr_assert_eq(logged("BUG: spinlock lockup suspected on CPU#0, "), 1, "%s", host_printk_buf);
	cr_assert_eq(logged(".magic: dead, .owner: "), 1, "%s", host_printk_buf);
	cr_assert_eq(logged(".owner_cpu: 1\n"), 1, "%s", host_printk_buf);
}

static sigjmp_buf oopsed;

static void on_sigill(int sig)
{
	(void)sig;
	siglongjmp(oopsed, 1);
}

/*
 * A lock whose holder panicked (halted, holding it) is never waited for: the waiter says
 * so and oopses (ud2: SIGILL on the host), with or without debug_spinlock.  A holder that
 * is merely slow is waited for, as above.
 */
Test(spinlock_debug, a_lock_held_by_a_cpu_that_panicked_ends_in_an_oops_not_a_hang)
{
	struct sigaction sa = { .sa_handler = on_sigill };
	volatile bool oops = false;

	debug_spinlock = false;
	cr_assert_eq(sigaction(SIGILL, &sa, NULL), 0);
	lock.locked = 1;
	lock.owner_cpu = 3;
	__cpu_panicked_mask = 1UL << 3;
	if (sigsetjmp(oopsed, 1) == 0)
		spin_lock(&lock);
	else
		oops = true;
	cr_assert(oops, "waited for a CPU that panicked");
	cr_assert_eq(logged("BUG: spinlock held by a CPU that panicked on CPU#0, "), 1, "%s",
		     host_printk_buf);
	cr_assert_eq(logged(".owner_cpu: 3\n"), 1, "%s", host_printk_buf);
}

/* Without debug_spinlock the same wait says nothing. */
Test(spinlock_debug, a_long_wait_is_silent_without_debugging)
{
	pthread_t h, r;
	unsigned int hold_ms = 100;

	debug_spinlock = false;
	spin_lockup_ms = 1;
	cr_assert_eq(pthread_create(&h, NULL, hold_lock, NULL), 0);
	while (!smp_load_acquire(&holder.held))
		cpu_relax();
	cr_assert_eq(pthread_create(&r, NULL, release_later, &hold_ms), 0);
	spin_lock(&lock);
	spin_unlock(&lock);
	pthread_join(h, NULL);
	pthread_join(r, NULL);
	cr_assert_str_eq(host_printk_buf, "");
}

Test(spinlock_debug, the_boot_parameter)
{
	debug_spinlock = false;
	cr_assert_eq(debug_spinlock_setup(NULL), 0);
	cr_assert(debug_spinlock);
	cr_assert_eq(debug_spinlock_setup("off"), 0);
	cr_assert(!debug_spinlock);
	cr_assert_eq(debug_spinlock_setup("1"), 0);
	cr_assert(debug_spinlock);
	cr_assert_eq(debug_spinlock_setup("sometimes"), -1);
	cr_assert(debug_spinlock, "a refused value changes nothing");
}

Test(local_lock, recursion_and_unheld_unlock_are_reported)
{
	local_lock_t l = INIT_LOCAL_LOCK(l);
	unsigned long flags, inner;

	debug_on();
	local_lock_irqsave(&l, flags);
	local_lock_irqsave(&l, inner);
	local_unlock_irqrestore(&l, inner);
	local_unlock_irqrestore(&l, flags);
	cr_assert_eq(logged("BUG: local_lock recursion on CPU#0, "), 1, "%s", host_printk_buf);
	debug_locks = 1;
	local_unlock(&l);
	cr_assert_eq(logged("BUG: local_lock not held on CPU#0, "), 1, "%s", host_printk_buf);
	cr_assert(!irqs_disabled());
}

Test(local_lock, trylock_fails_while_this_cpu_is_inside)
{
	local_trylock_t l = INIT_LOCAL_TRYLOCK(l);
	unsigned long flags, inner;

	cr_assert(local_trylock_irqsave(&l, flags));
	cr_assert(irqs_disabled());
	cr_assert(!local_trylock_irqsave(&l, inner), "the interrupted owner is inside");
	cr_assert(irqs_disabled(), "a failed trylock_irqsave restores what it found: off");
	local_unlock_irqrestore(&l, flags);
	cr_assert(!irqs_disabled());
	local_lock(&l);
	cr_assert(!local_trylock(&l));
	cr_assert(!irqs_disabled(), "local_lock leaves interrupts on");
	local_unlock(&l);
	cr_assert(local_trylock(&l));
	local_unlock(&l);
}

static void *irqs_off_in_a_thread(void *arg)
{
	local_irq_disable();
	*(bool *)arg = irqs_disabled();
	return NULL;
}

/* The host's interrupt flag is per thread, as the real one is per CPU. */
Test(local_lock, the_interrupt_flag_is_per_thread)
{
	pthread_t t;
	bool off_there = false;

	cr_assert(!irqs_disabled());
	cr_assert_eq(pthread_create(&t, NULL, irqs_off_in_a_thread, &off_there), 0);
	pthread_join(t, NULL);
	cr_assert(off_there);
	cr_assert(!irqs_disabled(), "another thread's local_irq_disable() reached this one");
}

/*
 * The console lock (kernel/console.c): a nested writer on the CPU that holds it is told
 * so instead of waiting for itself, an oops gets through, and a lock abandoned by an
 * oops that jumped out of a console write is taken over after a second.
 */
Test(console_lock, nested_busted_and_released_by_bust_spinlocks)
{
	unsigned long flags = local_irq_save();

	cr_assert_eq(console_enter(), CONSOLE_LOCKED);
	cr_assert_eq(console_enter(), CONSOLE_NESTED, "this CPU is inside already");
	bust_spinlocks(1);
	cr_assert_eq(console_enter(), CONSOLE_BUSTED, "an oops writes regardless");
	bust_spinlocks(0); /* the oops jumped out of the write: the lock is let go */
	cr_assert_eq(oops_in_progress, 0);
	cr_assert_eq(console_enter(), CONSOLE_LOCKED);
	console_leave(CONSOLE_LOCKED);
	local_irq_restore(flags);
}

Test(console_lock, an_abandoned_lock_is_taken_over_after_a_second)
{
	unsigned long flags = local_irq_save();
	struct timespec pause = { .tv_sec = 1, .tv_nsec = 200000000 };

	cr_assert_eq(console_enter(), CONSOLE_LOCKED); /* and never left */
	cr_assert_eq(console_enter(), CONSOLE_NESTED);
	nanosleep(&pause, NULL); /* over 1e9 TSC cycles: the host's stand-in second */
	cr_assert_eq(console_enter(), CONSOLE_LOCKED);
	console_leave(CONSOLE_LOCKED);
	cr_assert_eq(console_enter(), CONSOLE_LOCKED, "and let go normally");
	console_leave(CONSOLE_LOCKED);
	local_irq_restore(flags);
}

static void *take_console_and_vanish(void *arg)
{
	(void)arg;
	host_cpu_id = 1;
	local_irq_disable();
	cr_assert_eq(console_enter(), CONSOLE_LOCKED); /* and CPU 1 never leaves */
	return NULL;
}

/* An oops on CPU 0 while CPU 1 holds the console for ever: printed after a second. */
Test(console_lock, an_oops_gets_past_another_cpus_lock)
{
	unsigned long flags = local_irq_save();
	struct timespec t0, t1;
	pthread_t t;

	cr_assert_eq(pthread_create(&t, NULL, take_console_and_vanish, NULL), 0);
	pthread_join(t, NULL);
	bust_spinlocks(1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(console_enter(), CONSOLE_BUSTED);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_assert_lt(t1.tv_sec - t0.tv_sec, 3, "waited %ld s", (long)(t1.tv_sec - t0.tv_sec));
	bust_spinlocks(0);
	local_irq_restore(flags);
}

/* A console that keeps what it is given; console_lock serialises its callers. */
#define WRITERS 4
#define LINE 48
#define LINES_PER_CPU 2000
static char screen[WRITERS * LINES_PER_CPU * LINE + 1];
static size_t screen_len;

static int writers_ready;

/* Byte by byte, giving the CPU away halfway: a second writer let in would show. */
static void screen_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		screen[screen_len++] = s[i];
		if (i == n / 2)
			sched_yield();
	}
}

static void *write_lines(void *arg)
{
	char line[LINE];

	host_cpu_id = (unsigned int)(unsigned long)arg;
	__atomic_add_fetch(&writers_ready, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&writers_ready, __ATOMIC_SEQ_CST) < WRITERS)
		cpu_relax();
	memset(line, 'A' + host_cpu_id, LINE - 1);
	line[LINE - 1] = '\n';
	for (int i = 0; i < LINES_PER_CPU; i++)
		console_write(line, LINE);
	return NULL;
}

/* Four CPUs writing lines at once: every line reaches the console whole. */
Test(console_lock, four_cpus_lines_never_mix)
{
	static struct console con = { .name = "test", .write = screen_write };
	pthread_t t[WRITERS];
	int count[WRITERS] = { 0 };

	register_console(&con, false);
	for (unsigned long i = 0; i < WRITERS; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, write_lines, (void *)i), 0);
	for (int i = 0; i < WRITERS; i++)
		pthread_join(t[i], NULL);
	cr_assert_eq(screen_len, sizeof(screen) - 1);
	for (size_t at = 0; at < screen_len; at += LINE) {
		char c = screen[at];

		cr_assert(c >= 'A' && c < 'A' + WRITERS, "line at %zu starts with %d", at, c);
		for (int j = 1; j < LINE - 1; j++)
			cr_assert_eq(screen[at + j], c, "line at %zu mixes CPUs", at);
		count[c - 'A']++;
	}
	for (int i = 0; i < WRITERS; i++)
		cr_assert_eq(count[i], LINES_PER_CPU);
}
