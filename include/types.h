/* SPDX-License-Identifier: MIT */
/*
 * Fixed-width types with the short names Linux uses (u8 … u64), so mm code reads like
 * the kernel it mirrors.  Only compiler-provided freestanding headers are used, which
 * makes this header valid in the kernel, the UEFI loader, the 16-bit stage and on the host.
 */
#ifndef PAGELAB_TYPES_H
#define PAGELAB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64; /* as Linux: %llx prints it on every arch */
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;

typedef u64 phys_addr_t;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
/* clamp - @val kept inside [@lo, @hi] (Linux's clamp); each argument is evaluated once. */
#define clamp(val, lo, hi)                                                  \
	({                                                                  \
		__auto_type v__ = (val);                                    \
		__auto_type lo__ = (lo);                                    \
		__auto_type hi__ = (hi);                                    \
		v__ < lo__ ? lo__ : v__ > hi__ ? hi__ : v__;                \
	})

#define SZ_1K 0x400ULL
#define SZ_1M 0x100000ULL
#define SZ_2M 0x200000ULL
#define SZ_1G 0x40000000ULL
#define SZ_4G 0x100000000ULL

#define __packed __attribute__((packed))
#define __noreturn __attribute__((noreturn))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __unused __attribute__((unused))

/* Branch hints for hot paths: the compiler lays out the expected case as straight-line code. */
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
/* Keep a rarely taken path out of its caller, so the common path stays short. */
#define noinline __attribute__((noinline))
/* The address this function returns to: who called it, for %pS in debug messages. */
#define _RET_IP_ ((unsigned long)__builtin_return_address(0))
#ifndef __always_inline /* glibc defines the same on the host */
#define __always_inline inline __attribute__((always_inline))
#endif

#endif
