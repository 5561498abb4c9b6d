/*
 * tests/bench/bench.h - what the musl benchmark programs of `make bench`
 * share (docs/benchmarks.md): the instret and time counters, the BENCH
 * line on the kernel's debug output, and the median/mean report.
 * Header-only: each program is one file (lib/c/libc.mk).
 */
#ifndef TESTS_BENCH_H
#define TESTS_BENCH_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/neutrino.h>

/* Instructions retired: under -icount shift=0, every instruction of the machine. */
static inline uint64_t instret(void)
{
	uint64_t v;

	__asm__ __volatile__("csrr %0, instret" : "=r"(v) :: "memory");
	return v;
}

/* The time CSR: 100 ns a tick on QEMU's virt machine. */
static inline uint64_t rdtime(void)
{
	uint64_t v;

	__asm__ __volatile__("csrr %0, time" : "=r"(v) :: "memory");
	return v;
}

/*
 * The CPUs' idle time so far, in ns (SysInfo; 0 if it fails).  Under
 * -icount shift=0 instret is the virtual clock, which also runs while
 * every CPU idles (with sleep=on, at the host's pace): a total that waits
 * for a disk subtracts the idle time to count only what ran.
 */
static inline uint64_t idle_ns(void)
{
	struct _sys_info si;

	return SysInfo(&si) == 0 ? si.si_idle_ns : 0;
}

/* A line on the kernel's debug output, where tools/bench reads it. */
static inline void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void say(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0)
		DebugWrite(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

static inline int bench_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * "BENCH <name> <median instructions> <mean ns>" of n samples: ins[]
 * in instructions (sorted in place), ticks[] in time-CSR ticks.
 */
static inline void bench_report(const char *name, uint64_t *ins, const uint64_t *ticks, int n)
{
	uint64_t t = 0;

	for (int i = 0; i < n; i++)
		t += ticks[i];
	qsort(ins, (size_t)n, sizeof(ins[0]), bench_cmp);
	say("BENCH %s %lu %lu\n", name, (unsigned long)ins[n / 2], (unsigned long)(t * 100 / n));
}

#endif
