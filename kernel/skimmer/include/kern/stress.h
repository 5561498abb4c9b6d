/*
 * kern/stress.h - the embedded stress test (CONFIG_SKIMMER_STRESS).
 *
 * stress_run() drives every CPU at once for a given time: kernel threads
 * exchange checksummed messages through message ports (synchronous and
 * asynchronous, within and across CPUs), send IPI function calls to every
 * CPU, migrate, change priority, arm and cancel callouts, sleep with
 * time-outs, allocate and free frames and kobj objects, and create and end
 * threads.  Every choice a worker makes comes from its own PRNG, seeded
 * from the run's seed, the CPU and the worker's index, so a seed repeats
 * the choices (not the interleaving).
 *
 * Invariants are checked during and after the run: each message arrives
 * once with its checksum intact and its reply reaches its sender; IPI calls
 * arrive once and in order per CPU pair; every armed callout fires or is
 * cancelled exactly once; no thread stays blocked past its deadline by more
 * than STRESS_LATE_MS; run queues stay consistent; free frames, kobj
 * counts and thread counts return to their baseline.  A violation panics
 * with a report naming the invariant, the CPU, the worker and the sequence
 * numbers involved ("stress: VIOLATION <invariant>: ..."), so the machine
 * powers off with the panic status.
 *
 * The frame and kobj baselines are exact only when nothing else in the
 * system allocates during the run (true at boot).  A live run (the
 * SysStress kernel call, with user space running) checks only the stress
 * test's own caches.
 */
#ifndef KERN_STRESS_H
#define KERN_STRESS_H

#include <kern/types.h>

#define STRESS_LATE_MS	2000	/* blocked this long past a deadline: a violation */

/*
 * Run the stress test for `seconds` (1..86400) with `seed`, on every
 * online CPU, and print a per-CPU summary and "stress: PASS".  Thread
 * context on any CPU; blocks for the duration (a little more while the
 * load drains).  Returns 0 on PASS, -EBUSY if a run is already going on,
 * -EINVAL for a bad duration, -ENOMEM if the workers cannot be created.
 * Does not return on a violated invariant: it panics.  live: the system
 * is in use, so the global memory baselines are not checked.
 */
int stress_run(unsigned seconds, uint64_t seed, bool live);

/* A seed from the time CSR, for runs that were given none. */
uint64_t stress_default_seed(void);

/*
 * The boot option stress=<seconds>: read seed=<n> (decimal or 0x hex; a
 * default from the time CSR otherwise) and the debug option
 * stress_inject=<kind> from the bootargs (stress/stress_boot.c lists the
 * kinds), print the test protocol around stress_run() (TEST START, PASS or
 * FAIL, DONE for stress.kernel) and return 0 if it passed, 1 otherwise (a
 * bad option, a run that could not start, or an injected fault that went
 * unnoticed).  Thread context on the boot CPU.
 */
int stress_boot(const char *seconds);

#endif
