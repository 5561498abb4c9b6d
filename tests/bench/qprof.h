/*
 * tests/bench/qprof.h - the marks of a measured loop for tools/qprof (a
 * QEMU plugin that counts instructions by address inside the Nth marked
 * window; docs/benchmarks.md, Profiling).  The hints `slti x0, x0, 1`
 * (open) and `slti x0, x0, 2` (close) are no-ops; put them outside the
 * instret reads.  Used by ipcbench (user/rt) and procbench (musl).
 */
#ifndef TESTS_BENCH_QPROF_H
#define TESTS_BENCH_QPROF_H

#define PROF_OPEN()	__asm__ __volatile__("slti x0, x0, 1" ::: "memory")
#define PROF_CLOSE()	__asm__ __volatile__("slti x0, x0, 2" ::: "memory")

#endif
