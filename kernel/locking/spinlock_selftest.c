// SPDX-License-Identifier: MIT
/*
 * KTAP self-tests for the locks (`selftest spinlock`): what one CPU can check about
 * spinlocks, local locks, the atomics and printk's nested records, on the running
 * kernel.  The cases that provoke a lock bug switch debug_spinlock on for the moment
 * and re-arm debug_locks afterwards, so they work whatever the command line said; the
 * "BUG: spinlock ..." lines they make appear on the console, each after a "# expected"
 * line.  What needs two CPUs at once (mutual exclusion, "lockup suspected") is checked
 * on the host with threads: tests/unit/test_spinlock.c and tests/tsan/locking.c.
 */
#include "arch/irq.h"
#include "kernel/console.h"
#include "kernel/local_lock.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "kernel/spinlock.h"
#include "lib/atomic.h"
#include "lib/string.h"

static DEFINE_SPINLOCK(demo_lock);

/* The debug switches as the case found them, and where the log stood. */
struct provoke {
	bool debug_spinlock;
	int debug_locks;
	u64 log_from;
};

static void provoke_start(struct selftest *t, struct provoke *p, const char *what)
{
	selftest_log(t, "expected: the %s report below is this test's", what);
	p->debug_spinlock = READ_ONCE(debug_spinlock);
	p->debug_locks = READ_ONCE(debug_locks);
	WRITE_ONCE(debug_locks, 1);
	WRITE_ONCE(debug_spinlock, true);
	p->log_from = log_buf_bytes();
}

/* Put the switches back; true if the log since provoke_start() contains @expected. */
static bool provoke_end(struct provoke *p, const char *expected)
{
	static char log[1024];

	WRITE_ONCE(debug_spinlock, p->debug_spinlock);
	WRITE_ONCE(debug_locks, p->debug_locks);
	log_buf_read(p->log_from, log, sizeof(log));
	return strstr(log, expected) != NULL;
}

static void trylock_of_a_held_lock_fails(struct selftest *t)
{
	ST_ASSERT(t, spin_trylock(&demo_lock));
	ST_EXPECT(t, spin_is_locked(&demo_lock));
	ST_EXPECT(t, !spin_trylock(&demo_lock));
	spin_unlock(&demo_lock);
	ST_EXPECT(t, !spin_is_locked(&demo_lock));
	ST_EXPECT(t, spin_trylock(&demo_lock));
	spin_unlock(&demo_lock);
}

static void the_lock_records_its_owner(struct selftest *t)
{
	bool was = READ_ONCE(debug_spinlock);

	WRITE_ONCE(debug_spinlock, true); /* where it was taken is kept only then */
	spin_lock(&demo_lock);
	ST_EXPECT_EQ(t, demo_lock.owner_cpu, smp_processor_id());
	ST_EXPECT(t, spin_lock_owner_ip(&demo_lock) != 0);
	ST_EXPECT(t, spin_is_locked_by_me(&demo_lock));
	spin_unlock(&demo_lock);
	WRITE_ONCE(debug_spinlock, was);
	ST_EXPECT_EQ(t, demo_lock.owner_cpu, -1);
	ST_EXPECT_EQ(t, spin_lock_owner_ip(&demo_lock), 0);
	ST_EXPECT(t, !spin_is_locked_by_me(&demo_lock));
}

static void irqsave_turns_interrupts_off_and_restores_them(struct selftest *t)
{
	unsigned long outer = local_irq_save(), flags;

	local_irq_enable();
	spin_lock_irqsave(&demo_lock, flags);
	ST_EXPECT(t, irqs_disabled());
	spin_unlock_irqrestore(&demo_lock, flags);
	ST_EXPECT(t, !irqs_disabled());
	local_irq_disable();
	spin_lock_irqsave(&demo_lock, flags);
	spin_unlock_irqrestore(&demo_lock, flags);
	ST_EXPECT(t, irqs_disabled()); /* off before, off after */
	ST_EXPECT(t, spin_trylock_irqsave(&demo_lock, flags));
	ST_EXPECT(t, !spin_trylock_irqsave(&demo_lock, flags));
	spin_unlock(&demo_lock);
	local_irq_restore(outer);
}

/*
 * spin_lock() of a lock this CPU holds would check, report, then spin for ever (as
 * Linux does); the case calls the check spin_lock() makes and stops there.
 */
static void recursion_is_reported(struct selftest *t)
{
	struct provoke p;
	unsigned long flags;

	spin_lock_irqsave(&demo_lock, flags);
	provoke_start(t, &p, "cpu recursion");
	debug_spin_lock_before(&demo_lock, _THIS_IP_);
	ST_EXPECT_EQ(t, debug_locks, 0); /* reported, and reporting is off */
	ST_EXPECT(t, provoke_end(&p, "BUG: spinlock cpu recursion on CPU#"));
	spin_unlock_irqrestore(&demo_lock, flags);
	ST_EXPECT(t, provoke_end(&p, " lock: 0x"));
}

static void unlock_of_a_free_lock_is_reported(struct selftest *t)
{
	struct provoke p;

	provoke_start(t, &p, "already unlocked");
	spin_unlock(&demo_lock);
	ST_EXPECT(t, provoke_end(&p, "BUG: spinlock already unlocked on CPU#"));
	ST_EXPECT(t, provoke_end(&p, ".owner: <none>, .owner_cpu: -1"));
}

static void unlock_on_another_cpu_is_reported(struct selftest *t)
{
	struct provoke p;

	spin_lock(&demo_lock);
	WRITE_ONCE(demo_lock.owner_cpu, (int)smp_processor_id() + 1); /* as if CPU n+1 took it */
	provoke_start(t, &p, "wrong CPU");
	spin_unlock(&demo_lock);
	ST_EXPECT(t, provoke_end(&p, "BUG: spinlock wrong CPU on CPU#"));
	ST_EXPECT(t, !spin_is_locked(&demo_lock)); /* carried on: it is free */
}

static void an_uninitialised_lock_is_reported(struct selftest *t)
{
	static spinlock_t zeroed; /* all zero: magic 0, as kzalloc'd memory would be */
	struct provoke p;

	provoke_start(t, &p, "bad magic");
	spin_lock(&zeroed);
	spin_unlock(&zeroed); /* a second report would come here: there is none */
	ST_EXPECT(t, provoke_end(&p, "BUG: spinlock bad magic on CPU#"));
	ST_EXPECT(t, provoke_end(&p, ".magic: 0000,"));
	ST_EXPECT(t, !spin_is_locked(&zeroed));
}

static void only_the_first_bug_is_reported(struct selftest *t)
{
	struct provoke p;
	static char log[1024];

	provoke_start(t, &p, "one already unlocked");
	spin_unlock(&demo_lock);
	spin_unlock(&demo_lock);
	provoke_end(&p, "");
	log_buf_read(p.log_from, log, sizeof(log));
	ST_EXPECT(t, strstr(log, "already unlocked") != NULL);
	ST_EXPECT(t, strstr(strstr(log, "already unlocked") + 1, "already unlocked") == NULL);
}

static void local_trylock_fails_when_this_cpu_is_inside(struct selftest *t)
{
	local_trylock_t lock = INIT_LOCAL_TRYLOCK(lock);
	unsigned long outer = local_irq_save(), flags, inner;

	local_irq_enable();
	ST_ASSERT(t, local_trylock(&lock));
	ST_EXPECT(t, local_lock_is_locked(&lock));
	ST_EXPECT(t, !irqs_disabled()); /* local_trylock leaves interrupts alone */
	/* An interrupt handler arriving now sees the owner inside and backs off. */
	ST_EXPECT(t, !local_trylock(&lock));
	ST_EXPECT(t, !local_trylock_irqsave(&lock, inner));
	ST_EXPECT(t, !irqs_disabled()); /* a failed trylock_irqsave restored them */
	local_unlock(&lock);
	ST_EXPECT(t, !local_lock_is_locked(&lock));

	ST_ASSERT(t, local_trylock_irqsave(&lock, flags));
	ST_EXPECT(t, irqs_disabled());
	ST_EXPECT(t, !local_trylock(&lock));
	local_unlock_irqrestore(&lock, flags);
	ST_EXPECT(t, !irqs_disabled());

	local_lock_irqsave(&lock, flags); /* local_lock on a trylock lock marks it too */
	ST_EXPECT(t, !local_trylock(&lock));
	local_unlock_irqrestore(&lock, flags);
	ST_EXPECT(t, local_trylock(&lock));
	local_unlock(&lock);
	local_irq_restore(outer);
}

static void local_lock_recursion_is_reported(struct selftest *t)
{
	local_lock_t lock = INIT_LOCAL_LOCK(lock);
	unsigned long flags, inner;
	struct provoke p;

	local_lock_irqsave(&lock, flags);
	provoke_start(t, &p, "local_lock recursion");
	local_lock_irqsave(&lock, inner);
	local_unlock_irqrestore(&lock, inner);
	ST_EXPECT(t, provoke_end(&p, "BUG: local_lock recursion on CPU#"));
	local_unlock_irqrestore(&lock, flags);
}

static void atomics_count_and_compare(struct selftest *t)
{
	atomic_t a = ATOMIC_INIT(5);
	atomic_long_t l = ATOMIC_LONG_INIT(-1);
	int old = 4;
	unsigned long word = 7;

	atomic_inc(&a);
	ST_EXPECT_EQ(t, atomic_read(&a), 6);
	ST_EXPECT_EQ(t, atomic_add_return(4, &a), 10);
	ST_EXPECT_EQ(t, atomic_fetch_sub(3, &a), 10);
	ST_EXPECT_EQ(t, atomic_cmpxchg(&a, 7, 1), 7);
	ST_EXPECT(t, !atomic_try_cmpxchg(&a, &old, 9));
	ST_EXPECT_EQ(t, old, 1); /* a failed try_cmpxchg says what it found */
	ST_EXPECT(t, atomic_try_cmpxchg(&a, &old, 9));
	ST_EXPECT(t, !atomic_dec_and_test(&a));
	atomic_set(&a, 1);
	ST_EXPECT(t, atomic_dec_and_test(&a));
	atomic_long_add(1L << 40, &l);
	ST_EXPECT_EQ(t, atomic_long_read(&l), (1LL << 40) - 1);
	ST_EXPECT_EQ(t, cmpxchg(&word, 7UL, 8UL), 7);
	ST_EXPECT_EQ(t, xchg(&word, 3UL), 8);
	ST_EXPECT_EQ(t, READ_ONCE(word), 3);
}

/*
 * A printk from inside this CPU's own console write (an NMI, a driver that printks)
 * must not wait for itself: it is stored, and the holder prints it on the way out.
 */
static void a_nested_printk_is_printed_by_the_holder(struct selftest *t)
{
	static char log[512];
	unsigned long flags = local_irq_save();
	enum console_enter how = console_enter();
	u64 from = log_buf_bytes();

	ST_EXPECT_EQ(t, how, CONSOLE_LOCKED);
	ST_EXPECT_EQ(t, console_enter(), CONSOLE_NESTED);
	printk("spinlock selftest: a nested record\n");
	ST_EXPECT_EQ(t, log_buf_bytes(), from); /* not logged yet: the log is ours */
	console_leave(how);
	local_irq_restore(flags);
	log_buf_read(from, log, sizeof(log));
	ST_EXPECT(t, strstr(log, "] spinlock selftest: a nested record\n") != NULL);
}

static const struct selftest_case spinlock_cases[] = {
	SELFTEST_CASE(trylock_of_a_held_lock_fails),
	SELFTEST_CASE(the_lock_records_its_owner),
	SELFTEST_CASE(irqsave_turns_interrupts_off_and_restores_them),
	SELFTEST_CASE(recursion_is_reported),
	SELFTEST_CASE(unlock_of_a_free_lock_is_reported),
	SELFTEST_CASE(unlock_on_another_cpu_is_reported),
	SELFTEST_CASE(an_uninitialised_lock_is_reported),
	SELFTEST_CASE(only_the_first_bug_is_reported),
	SELFTEST_CASE(local_trylock_fails_when_this_cpu_is_inside),
	SELFTEST_CASE(local_lock_recursion_is_reported),
	SELFTEST_CASE(atomics_count_and_compare),
	SELFTEST_CASE(a_nested_printk_is_printed_by_the_holder),
};
DEFINE_SELFTEST_SUITE(spinlock, spinlock_cases);
