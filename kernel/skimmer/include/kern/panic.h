/*
 * kern/panic.h - panic and assertions.
 *
 * panic() stops every other CPU (by IPI once SMP is up), prints which CPU
 * panicked, why, and a backtrace, then powers the machine off with exit
 * status PANIC_EXIT_STATUS so the runner and the test harness see it.
 * KASSERT is always on; KASSERT_INV only under CONFIG_INVARIANTS.
 */
#ifndef KERN_PANIC_H
#define KERN_PANIC_H

#include <kern/types.h>

#define PANIC_EXIT_STATUS 99

__noreturn void panic(const char *fmt, ...) __printflike(1, 2);

#define KASSERT(cond, fmt, ...) do {					\
	if (unlikely(!(cond)))						\
		panic("assertion \"%s\" failed in %s (%s:%d): " fmt,	\
		    #cond, __func__, __FILE__, __LINE__, ##__VA_ARGS__);	\
} while (0)

#ifdef CONFIG_INVARIANTS
#define KASSERT_INV(cond, fmt, ...) KASSERT(cond, fmt, ##__VA_ARGS__)
#else
#define KASSERT_INV(cond, fmt, ...) do { (void)sizeof(cond); } while (0)
#endif

#endif
