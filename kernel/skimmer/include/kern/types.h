/*
 * kern/types.h - basic kernel types.
 *
 * The kernel is freestanding: only the compiler's own headers (stdint,
 * stddef, stdbool, stdarg) are used.  The same pure modules also build on the
 * host for the unit tests (HOST_TEST), where these come from the host libc.
 */
#ifndef KERN_TYPES_H
#define KERN_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;	/* physical address */
typedef uint64_t vaddr_t;	/* virtual address */
typedef int64_t ssize_t;

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define __unused	__attribute__((unused))
#define __noreturn	__attribute__((noreturn))
#define __packed	__attribute__((packed))
#define __aligned(n)	__attribute__((aligned(n)))
#define __section(s)	__attribute__((section(s)))
#define __printflike(f, a) __attribute__((format(printf, f, a)))

#define container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

#endif
