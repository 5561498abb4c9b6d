/*
 * tests/host/host_kern.h - host stand-ins for what a kernel build provides.
 *
 * Kernel sources that need per-CPU data or CONFIG_* options include this
 * first under HOST_TEST (a kernel build gets them from the generated
 * config.h and <kern/cpu.h>, whose mycpu() reads the tp register).
 *
 * "CPUs" on the host are threads: each sets host_cpu_id (thread-local) to
 * the CPU it plays.  One test file per program defines HOST_KERN_STUBS
 * before including this, which adds host versions of the spinlock and
 * panic functions (kern/spinlock.c and kern/panic.c use arch code).
 */
#ifndef HOST_KERN_H
#define HOST_KERN_H

#ifndef CONFIG_SKIMMER_MAX_CPUS
#define CONFIG_SKIMMER_MAX_CPUS 4
#endif
#ifndef CONFIG_INVARIANTS
#define CONFIG_INVARIANTS 1
#endif

#include <kern/types.h>

extern __thread int host_cpu_id;

static inline int
mycpu_id(void)
{
	return host_cpu_id;
}

#ifdef HOST_KERN_STUBS
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <kern/panic.h>
#include <kern/spinlock.h>

__thread int host_cpu_id;

void
spin_init(struct spinlock *sl, const char *name)
{
	sl->sl_locked = 0;
	sl->sl_owner = -1;
	sl->sl_name = name;
}

bool
spin_trylock(struct spinlock *sl)
{
	if (__atomic_exchange_n(&sl->sl_locked, 1, __ATOMIC_ACQUIRE) != 0)
		return false;
	__atomic_store_n(&sl->sl_owner, host_cpu_id, __ATOMIC_RELAXED);
	return true;
}

void
spin_lock(struct spinlock *sl)
{
	if (spin_held(sl))
		panic("spinlock %s: recursive acquire on cpu %d", sl->sl_name, host_cpu_id);
	while (!spin_trylock(sl))
		while (__atomic_load_n(&sl->sl_locked, __ATOMIC_RELAXED))
			sched_yield();
}

void
spin_unlock(struct spinlock *sl)
{
	if (!spin_held(sl))
		panic("spinlock %s: released by cpu %d, owner %d", sl->sl_name,
		    host_cpu_id, __atomic_load_n(&sl->sl_owner, __ATOMIC_RELAXED));
	__atomic_store_n(&sl->sl_owner, -1, __ATOMIC_RELAXED);
	__atomic_store_n(&sl->sl_locked, 0, __ATOMIC_RELEASE);
}

unsigned long
spin_lock_irqsave(struct spinlock *sl)
{
	spin_lock(sl);
	return 0x5a;	/* checked by spin_unlock_irqrestore */
}

void
spin_unlock_irqrestore(struct spinlock *sl, unsigned long flags)
{
	if (flags != 0x5a)
		panic("spinlock %s: bad irqsave flags %lu", sl->sl_name, flags);
	spin_unlock(sl);
}

bool
spin_held(const struct spinlock *sl)
{
	return __atomic_load_n(&sl->sl_locked, __ATOMIC_RELAXED) &&
	    __atomic_load_n(&sl->sl_owner, __ATOMIC_RELAXED) == host_cpu_id;
}

/* panic: print (the unit harness shows it on failure) and exit PANIC_EXIT_STATUS. */
void
panic(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("panic: cpu %d: %s\n", host_cpu_id, buf);
	fflush(stdout);
	_exit(PANIC_EXIT_STATUS);
}

/* Run fn(arg) in a child process; true if it panicked (and only then). */
static inline bool
host_expect_panic(void (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == PANIC_EXIT_STATUS;
}
#endif	/* HOST_KERN_STUBS */

#endif
