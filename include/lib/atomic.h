/* SPDX-License-Identifier: MIT */
/*
 * Atomic operations and memory barriers, with Linux's names (include/linux/atomic.h,
 * include/asm-generic/barrier.h, include/asm-generic/rwonce.h).
 *
 * Everything here is a GCC __atomic builtin, not inline assembly, for two reasons: the
 * same header then builds the kernel, the host tests and the ThreadSanitizer test
 * (`make check-tsan`), and ThreadSanitizer understands the builtins, so it checks the
 * kernel's own lock and counter code as written.  On x86-64 the builtins compile to
 * what Linux's arch/x86 code uses: a plain mov for loads and stores, `lock xadd`,
 * `lock cmpxchg`, `xchg`.
 *
 * Ordering, as in Linux (Documentation/atomic_t.txt):
 *   atomic_read/set, atomic_inc/dec/add/sub      no ordering (relaxed)
 *   atomic_*_return, atomic_cmpxchg, xchg         fully ordered (a full barrier each side)
 *   atomic_try_cmpxchg, try_cmpxchg, cmpxchg      fully ordered on success
 * x86 is TSO: every locked instruction is a full barrier anyway, and loads are not
 * reordered with loads nor stores with stores, so smp_rmb() and smp_wmb() only stop
 * the compiler.  Code must still use them where Linux does: the compiler reorders.
 */
#ifndef PAGELAB_LIB_ATOMIC_H
#define PAGELAB_LIB_ATOMIC_H

#include "types.h"

/* barrier - the compiler keeps memory accesses on their side of this line. */
#define barrier() __asm__ volatile("" ::: "memory")

/*
 * READ_ONCE / WRITE_ONCE - one load or store of a word that another CPU (or an interrupt
 * handler) changes concurrently: the compiler neither tears, merges, repeats nor caches
 * it.  Relaxed atomics, so ThreadSanitizer sees an intended race, not a bug.  Scalars
 * and pointers of 1, 2, 4 or 8 bytes only.
 */
#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val) __atomic_store_n(&(x), (val), __ATOMIC_RELAXED)

/* smp_load_acquire / smp_store_release - one-way barriers tied to one access. */
#define smp_load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, val) __atomic_store_n((p), (val), __ATOMIC_RELEASE)

/*
 * smp_mb - no load or store crosses it in either direction, on this CPU as others see it
 * (x86's only visible reordering: a later load passing an earlier store).  smp_rmb and
 * smp_wmb order loads with loads and stores with stores, which x86 already does.
 *
 * ThreadSanitizer does not model fences (gcc refuses __atomic_thread_fence under
 * -fsanitize=thread), so its build makes smp_mb() a sequentially consistent add of 0 to
 * one shared word: every two smp_mb()s are then ordered for it, which is stronger than
 * a fence, so TSan can miss a race a missing smp_mb() would cause, never invent one.
 */
#ifdef __SANITIZE_THREAD__
__attribute__((weak)) unsigned long __tsan_smp_mb_word; /* one per program */
#define smp_mb() ((void)__atomic_fetch_add(&__tsan_smp_mb_word, 0, __ATOMIC_SEQ_CST))
#else
#define smp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif
#define smp_rmb() barrier()
#define smp_wmb() barrier()
#define smp_mb__before_atomic() barrier() /* x86: the locked instruction is the barrier */
#define smp_mb__after_atomic() barrier()

/*
 * cmpxchg / try_cmpxchg / xchg on plain words (int, long, pointers).
 * cmpxchg(p, old, new): store new if *p == old; returns what *p was.
 * try_cmpxchg(p, &old, new): the same as a bool; on failure *old becomes *p's value, so
 * a retry loop needs no extra load:  do { new = f(old); } while (!try_cmpxchg(p, &old, new));
 * xchg(p, new): store new, return the old value.
 */
#define cmpxchg(p, old, new)                                                             \
	({                                                                               \
		__typeof__(*(p)) __old = (old);                                          \
		__atomic_compare_exchange_n((p), &__old, (new), false, __ATOMIC_SEQ_CST, \
					    __ATOMIC_SEQ_CST);                           \
		__old;                                                                   \
	})
#define try_cmpxchg(p, pold, new)                                                        \
	__atomic_compare_exchange_n((p), (pold), (new), false, __ATOMIC_SEQ_CST,         \
				    __ATOMIC_RELAXED)
#define xchg(p, new) __atomic_exchange_n((p), (new), __ATOMIC_SEQ_CST)

/* atomic_t: an int only touched through these functions (Linux's atomic_t). */
typedef struct {
	int counter;
} atomic_t;

/* atomic_long_t: the same, a long wide (page counts, byte counts). */
typedef struct {
	long counter;
} atomic_long_t;

#define ATOMIC_INIT(i) { (i) }
#define ATOMIC_LONG_INIT(i) { (i) }

/*
 * One set of operations per type, generated, so that atomic_t and atomic_long_t cannot
 * drift apart.  @pfx is the name prefix, @T the type, @V the value type.
 */
#define __ATOMIC_OPS(pfx, T, V)                                                          \
	static __always_inline V pfx##_read(const T *v)                                 \
	{                                                                                \
		return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);                   \
	}                                                                                \
	static __always_inline void pfx##_set(T *v, V i)                                \
	{                                                                                \
		__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);                      \
	}                                                                                \
	static __always_inline void pfx##_add(V i, T *v)                                \
	{                                                                                \
		__atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED);                    \
	}                                                                                \
	static __always_inline void pfx##_sub(V i, T *v)                                \
	{                                                                                \
		__atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED);                    \
	}                                                                                \
	static __always_inline void pfx##_inc(T *v) { pfx##_add(1, v); }                \
	static __always_inline void pfx##_dec(T *v) { pfx##_sub(1, v); }                \
	static __always_inline V pfx##_add_return(V i, T *v)                            \
	{                                                                                \
		return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST);             \
	}                                                                                \
	static __always_inline V pfx##_sub_return(V i, T *v)                            \
	{                                                                                \
		return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST);             \
	}                                                                                \
	static __always_inline V pfx##_fetch_add(V i, T *v)                             \
	{                                                                                \
		return __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST);             \
	}                                                                                \
	static __always_inline V pfx##_fetch_sub(V i, T *v)                             \
	{                                                                                \
		return __atomic_fetch_sub(&v->counter, i, __ATOMIC_SEQ_CST);             \
	}                                                                                \
	static __always_inline V pfx##_inc_return(T *v) { return pfx##_add_return(1, v); } \
	static __always_inline V pfx##_dec_return(T *v) { return pfx##_sub_return(1, v); } \
	/* _dec_and_test: true when this decrement reached zero (the last reference). */ \
	static __always_inline bool pfx##_dec_and_test(T *v)                            \
	{                                                                                \
		return pfx##_sub_return(1, v) == 0;                                      \
	}                                                                                \
	static __always_inline V pfx##_xchg(T *v, V i)                                  \
	{                                                                                \
		return __atomic_exchange_n(&v->counter, i, __ATOMIC_SEQ_CST);            \
	}                                                                                \
	static __always_inline V pfx##_cmpxchg(T *v, V old, V new)                      \
	{                                                                                \
		__atomic_compare_exchange_n(&v->counter, &old, new, false,               \
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);         \
		return old;                                                              \
	}                                                                                \
	static __always_inline bool pfx##_try_cmpxchg(T *v, V *old, V new)              \
	{                                                                                \
		return __atomic_compare_exchange_n(&v->counter, old, new, false,         \
						   __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);  \
	}

__ATOMIC_OPS(atomic, atomic_t, int)
__ATOMIC_OPS(atomic_long, atomic_long_t, long)

#undef __ATOMIC_OPS

#endif
