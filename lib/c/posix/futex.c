/*
 * Linux's futex(2), as much of it as musl uses, on Skimmer's FutexWait and
 * FutexWake (keyed by physical address, so shared and private futexes are
 * the same).
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sys/neutrino.h>
#include "futex.h"
#include "px.h"
#include "qsoe_kernel.h"

#define NSEC	1000000000ULL

/* FUTEX_WAIT: sleep while *addr == val, at most ts (relative) if given. */
static long futex_wait(volatile int *cancel, volatile int *addr, int val,
    const struct timespec *ts)
{
	uint64_t ns;

	if (ts) {
		if (ts->tv_sec < 0 || (unsigned long)ts->tv_nsec >= NSEC)
			return -EINVAL;
		ns = (uint64_t)ts->tv_sec > UINT64_MAX / NSEC - 1 ? UINT64_MAX :
		    (uint64_t)ts->tv_sec * NSEC + (uint64_t)ts->tv_nsec;
		/* Armed right before the wait: nothing may come between. */
		long r = TimerTimeout_r(CLOCK_MONOTONIC, _NTO_TIMEOUT_MUTEX, 0, &ns, 0);
		if (r < 0)
			return r;
	}
	return __qsoe_FutexWait_cp(cancel, addr, val);
}

/*
 * Priority-inheritance futexes (musl's PTHREAD_PRIO_INHERIT mutexes) are
 * the kernel's Sync* mutexes: Linux's PI word (the owner's tid, bit 31
 * for waiters the kernel keeps) is QNX's sync_t __owner (the owner's tid,
 * _NTO_SYNC_WAITING), so the word is used as the __owner of a sync_t that
 * starts 4 bytes before it.  SyncMutexLock/Unlock touch only __owner (the
 * word before it is musl's _m_type), and the kernel raises the owner to
 * the priority of its best waiter until it unlocks (kern/sync.c).  That
 * sync_t must be 8-aligned, as it is in a pthread_mutex_t; another word
 * can only be taken while it is free, as musl's probe does.
 */
#define PI_TID		0x3fffffff

static sync_t *pi_sync(volatile int *addr)
{
	uintptr_t s = (uintptr_t)addr - offsetof(sync_t, __owner);

	return (s & 7) ? NULL : (sync_t *)s;
}

/* FUTEX_LOCK_PI: take the word for the caller, at the latest by at (CLOCK_REALTIME). */
static long lock_pi(volatile int *addr, const struct timespec *at)
{
	sync_t *s = pi_sync(addr);
	uint64_t ns;
	long r;

	if (s == NULL) {	/* no kernel object there: only a free word */
		int tid = (int)__px_gettid();

		if ((*addr & PI_TID) == tid)
			return -EDEADLK;
		return __sync_bool_compare_and_swap(addr, 0, tid) ? 0 : -EINVAL;
	}
	if (at) {
		if (at->tv_sec < 0 || (unsigned long)at->tv_nsec >= NSEC)
			return -EINVAL;
		ns = (uint64_t)at->tv_sec > UINT64_MAX / NSEC - 1 ? UINT64_MAX :
		    (uint64_t)at->tv_sec * NSEC + (uint64_t)at->tv_nsec;
		r = TimerTimeout_r(CLOCK_REALTIME, _NTO_TIMEOUT_MUTEX | TIMER_ABSTIME, 0, &ns, 0);
		if (r < 0)
			return r;
	}
	return SyncMutexLock_r(s);
}

/* FUTEX_UNLOCK_PI: give the word to the best waiter (or free it). */
static long unlock_pi(volatile int *addr)
{
	sync_t *s = pi_sync(addr);

	if (s == NULL) {
		int tid = (int)__px_gettid();

		if ((*addr & PI_TID) != tid)
			return -EPERM;
		return __sync_bool_compare_and_swap(addr, tid, 0) ? 0 : -EINVAL;
	}
	return SyncMutexUnlock_r(s);
}

/*
 * musl's futex calls: WAIT (a cancellation point when cancel is not
 * NULL), WAKE, REQUEUE, LOCK_PI and UNLOCK_PI; others are ENOSYS.
 */
long __px_futex(volatile int *cancel, volatile int *addr, int op, int val,
    const struct timespec *ts, volatile int *addr2, int val3)
{
	switch (op & ~FUTEX_PRIVATE) {
	case FUTEX_WAIT:
		return futex_wait(cancel, addr, val, ts);
	case FUTEX_WAKE:
		return FutexWake_r(addr, val < 0 ? INT_MAX : val);
	case FUTEX_REQUEUE: {
		/*
		 * No requeue in the kernel: wake the waiters instead of moving
		 * them (val woken + (long)ts moved).  A woken waiter re-checks
		 * and waits on the second word itself, so this is correct,
		 * only less frugal.
		 */
		long n = (long)val + (long)(intptr_t)ts;

		return FutexWake_r(addr, n > INT_MAX || n < 0 ? INT_MAX : (int)n);
	}
	case FUTEX_LOCK_PI:
		return lock_pi(addr, ts);
	case FUTEX_UNLOCK_PI:
		return unlock_pi(addr);
	default:
		return -ENOSYS;
	}
}
